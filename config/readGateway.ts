// Stack config of the Gateway API routes: the Gateway to attach to, the client host, the gRPC host.
import { checkDnsLabel, checkDnsSubdomain, checkIngressHost } from "./checks";
import { ConfigReader } from "./reader";
import { GatewaySettings } from "./settings";

const GATEWAY_DETAIL_KEYS = ["gatewayNamespace", "gatewaySectionName", "gatewayHost", "gatewayGrpcHost"];

export function readGateway(r: ConfigReader, namespace: string): GatewaySettings | undefined {
    const name = r.optionalString("gatewayName", checkDnsSubdomain);
    const gatewayNamespace = r.optionalString("gatewayNamespace", checkDnsLabel);
    const sectionName = r.optionalString("gatewaySectionName", checkDnsSubdomain);
    const host = r.optionalString("gatewayHost", checkIngressHost);
    const grpcHost = r.optionalString("gatewayGrpcHost", checkIngressHost);
    if (!r.isSet("gatewayName")) {
        for (const key of GATEWAY_DETAIL_KEYS) {
            if (r.isSet(key)) r.problem(key, `needs ${r.fullKey("gatewayName")}: name the Gateway to attach to, or remove this key`);
        }
        return undefined;
    }
    if (!r.isSet("gatewayHost")) {
        r.problem(
            "gatewayName",
            `needs ${r.fullKey("gatewayHost")}: the host the route answers for (a route without one would take every host of the Gateway's listeners)`,
        );
    }
    // A GRPCRoute and an HTTPRoute for one host on one listener conflict (Gateway API, GRPCRoute).
    if (grpcHost !== undefined && grpcHost === host) {
        r.problem("gatewayGrpcHost", `must differ from ${r.fullKey("gatewayHost")}: an HTTPRoute and a GRPCRoute for one host conflict`);
    }
    if (name === undefined || host === undefined) return undefined;
    return { name, namespace: gatewayNamespace ?? namespace, sectionName, host, grpcHost };
}
