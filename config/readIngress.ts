// Stack config of the Ingress: the client host with its TLS, and the gRPC host beside it.
import { checkDnsSubdomain, checkIngressHost } from "./checks";
import { DEFAULTS } from "./defaults";
import { readAnnotations } from "./readAnnotations";
import { ConfigReader } from "./reader";
import { IngressSettings } from "./settings";

const INGRESS_DETAIL_KEYS = {
    ingressClassName: "",
    ingressTlsSecret: "",
    ingressClusterIssuer: "",
    ingressTlsTerminatedUpstream: DEFAULTS.ingressTlsTerminatedUpstream,
};

export function readIngress(r: ConfigReader): IngressSettings | undefined {
    const host = r.optionalString("ingressHost", checkIngressHost);
    const className = r.optionalString("ingressClassName", checkDnsSubdomain);
    const tlsSecret = r.optionalString("ingressTlsSecret", checkDnsSubdomain);
    const clusterIssuer = r.optionalString("ingressClusterIssuer", checkDnsSubdomain);
    const tlsUpstream = r.boolean("ingressTlsTerminatedUpstream", DEFAULTS.ingressTlsTerminatedUpstream);
    const annotations = readAnnotations(r, "ingressAnnotations");
    const grpcServiceAnnotations = readAnnotations(r, "ingressGrpcServiceAnnotations");
    if (Object.keys(grpcServiceAnnotations).length > 0 && !r.isSet("ingressGrpcHost")) {
        r.problem(
            "ingressGrpcServiceAnnotations",
            `needs ${r.fullKey("ingressGrpcHost")}: they go on the gRPC Ingress's Service; set the host, or remove this key`,
        );
    }
    if (!r.isSet("ingressHost")) {
        r.onlyWith(INGRESS_DETAIL_KEYS, `needs ${r.fullKey("ingressHost")}: set the host, or remove this key`);
        // Its default ({}) is harmless without a host; annotations are not.
        if (Object.keys(annotations).length > 0)
            r.problem("ingressAnnotations", `needs ${r.fullKey("ingressHost")}: set the host, or remove this key`);
        return undefined;
    }
    // Tinode's logins and tokens travel in the websocket: never in clear text by accident.
    const tls = tlsSecret !== undefined || clusterIssuer !== undefined;
    if (!tls && !tlsUpstream) {
        r.problem(
            "ingressHost",
            `has no TLS, so logins would cross the network in clear text: set ${r.fullKey("ingressClusterIssuer")} (cert-manager) or ${r.fullKey("ingressTlsSecret")}, or, if a load balancer or proxy in front of the Ingress ends TLS, set ${r.fullKey("ingressTlsTerminatedUpstream")} true`,
        );
    }
    if (tls && tlsUpstream) {
        r.problem(
            "ingressTlsTerminatedUpstream",
            `says TLS ends before the Ingress, but ${r.fullKey("ingressTlsSecret")} or ${r.fullKey("ingressClusterIssuer")} configures TLS on it: remove one of them`,
        );
    }
    if (host === undefined) return undefined;
    // cert-manager writes the certificate into a Secret; give it a name when the user did not.
    return { host, className, tlsSecret, clusterIssuer, annotations, grpcServiceAnnotations };
}

export function readGrpcIngressHost(r: ConfigReader, ingress: IngressSettings | undefined): string | undefined {
    const host = r.optionalString("ingressGrpcHost", checkIngressHost);
    if (host === undefined) return undefined;
    if (!r.isSet("ingressHost")) {
        r.problem("ingressGrpcHost", `needs ${r.fullKey("ingressHost")}: the gRPC Ingress uses its class and TLS settings`);
        return undefined;
    }
    if (ingress === undefined) return undefined;
    if (host === ingress.host) {
        r.problem(
            "ingressGrpcHost",
            `must differ from ${r.fullKey("ingressHost")}: gRPC needs its own host (the backend protocol is set per Ingress)`,
        );
    }
    if (!ingress.tlsSecret && !ingress.clusterIssuer) {
        // ingress-nginx speaks HTTP/2, which gRPC needs, to clients only over TLS.
        r.problem(
            "ingressGrpcHost",
            `needs TLS: set ${r.fullKey("ingressClusterIssuer")} or ${r.fullKey("ingressTlsSecret")} (gRPC through the ingress needs HTTP/2, which it offers only over TLS)`,
        );
    }
    return host;
}
