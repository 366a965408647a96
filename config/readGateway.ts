// Stack config of the Gateway API exposure: the routes' hosts, and the Gateway they attach to - one
// the operator runs (gatewayName) or one the stack makes (gatewayClassName), never both.
import { DEFAULTS } from "./defaults";
import { checkDnsLabel, checkDnsSubdomain, checkIngressHost } from "./checks";
import { ConfigReader } from "./reader";
import { GatewaySettings } from "./settings";

/** Keys that only mean something with a Gateway to attach to (gatewayName). */
const ATTACH_KEYS = { gatewayNamespace: "", gatewaySectionName: "" };
/** Keys that only mean something for the stack's own Gateway (gatewayClassName); gatewayPort at its default is harmless. */
const OWN_KEYS = { gatewayTlsSecret: "", gatewayClusterIssuer: "", gatewayPort: DEFAULTS.gatewayPort };
/** Keys that need one of the two. */
const ROUTE_KEYS = { gatewayHost: "", gatewayGrpcHost: "" };

export function readGateway(r: ConfigReader, namespace: string): GatewaySettings | undefined {
    const name = r.optionalString("gatewayName", checkDnsSubdomain);
    const className = r.optionalString("gatewayClassName", checkDnsSubdomain);
    const gatewayNamespace = r.optionalString("gatewayNamespace", checkDnsLabel);
    const sectionName = r.optionalString("gatewaySectionName", checkDnsSubdomain);
    const tlsSecret = r.optionalString("gatewayTlsSecret", checkDnsSubdomain);
    const clusterIssuer = r.optionalString("gatewayClusterIssuer", checkDnsSubdomain);
    const port = r.integer("gatewayPort", DEFAULTS.gatewayPort, 1, 65535);
    const host = r.optionalString("gatewayHost", checkIngressHost);
    const grpcHost = r.optionalString("gatewayGrpcHost", checkIngressHost);
    const attach = r.isSet("gatewayName");
    const own = r.isSet("gatewayClassName");
    if (attach && own) {
        r.problem(
            "gatewayClassName",
            `cannot be used with ${r.fullKey("gatewayName")}: either the routes attach to your Gateway (gatewayName) or the stack makes one (gatewayClassName); remove one of them`,
        );
        return undefined;
    }
    if (!own) r.onlyWith(OWN_KEYS, `needs ${r.fullKey("gatewayClassName")}: it configures the stack's own Gateway, or remove this key`);
    if (!attach) r.onlyWith(ATTACH_KEYS, `needs ${r.fullKey("gatewayName")}: name the Gateway to attach to, or remove this key`);
    if (!attach && !own) {
        r.onlyWith(
            ROUTE_KEYS,
            `needs ${r.fullKey("gatewayName")} or ${r.fullKey("gatewayClassName")}: name a Gateway to attach to or a class for the stack's own, or remove this key`,
        );
        return undefined;
    }
    if (!r.isSet("gatewayHost")) {
        r.problem(
            own ? "gatewayClassName" : "gatewayName",
            `needs ${r.fullKey("gatewayHost")}: the host the route answers for (a route without one would take every host of the Gateway's listeners)`,
        );
    }
    // A GRPCRoute and an HTTPRoute for one host on one listener conflict (Gateway API, GRPCRoute).
    if (grpcHost !== undefined && grpcHost === host) {
        r.problem("gatewayGrpcHost", `must differ from ${r.fullKey("gatewayHost")}: an HTTPRoute and a GRPCRoute for one host conflict`);
    }
    // The stack's Gateway is public: its listeners end TLS, from a Secret or from cert-manager.
    if (own && !r.isSet("gatewayTlsSecret") && !r.isSet("gatewayClusterIssuer")) {
        r.problem(
            "gatewayClassName",
            `needs TLS, or logins would cross the network in clear text: set ${r.fullKey("gatewayClusterIssuer")} (cert-manager) or ${r.fullKey("gatewayTlsSecret")} (a kubernetes.io/tls Secret in the stack's namespace)`,
        );
    }
    if (tlsSecret !== undefined && clusterIssuer !== undefined) {
        r.problem(
            "gatewayClusterIssuer",
            `cannot be used with ${r.fullKey("gatewayTlsSecret")}: cert-manager fills a Secret of the stack's; give the certificate one way, and remove the other key`,
        );
    }
    if (host === undefined) return undefined;
    if (own) {
        if (className === undefined) return undefined;
        const tls = clusterIssuer !== undefined ? { clusterIssuer } : tlsSecret !== undefined ? { secret: tlsSecret } : undefined;
        if (tls === undefined) return undefined;
        return { kind: "own", className, port, tls, host, grpcHost };
    }
    if (name === undefined) return undefined;
    return { kind: "attach", name, namespace: gatewayNamespace ?? namespace, sectionName, host, grpcHost };
}
