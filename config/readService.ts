// Stack config of the client Service: its type and annotations, and the TLS that a NodePort or
// LoadBalancer Service needs because its clients arrive directly, with no Ingress or Gateway in front.
import { checkDnsSubdomain, checkIngressHost, checkPinnedImage } from "./checks";
import { DEFAULTS } from "./defaults";
import { readAnnotations } from "./readAnnotations";
import { ConfigReader } from "./reader";
import { ServiceTls, ServiceType, TinodeSettings } from "./settings";

/** Keys of a NodePort or LoadBalancer Service's TLS (tlsProxyImage at its default is harmless). */
const PROXY_KEYS = {
    serviceTlsSecret: "",
    serviceClusterIssuer: "",
    serviceHost: "",
    serviceTlsTerminatedUpstream: DEFAULTS.serviceTlsTerminatedUpstream,
    tlsProxyImage: DEFAULTS.tlsProxyImage,
};

export function readService(r: ConfigReader): Pick<TinodeSettings, "serviceType" | "serviceAnnotations" | "serviceTls"> {
    const serviceType: ServiceType = r.oneOf("serviceType", DEFAULTS.serviceType, ["ClusterIP", "NodePort", "LoadBalancer"] as const);
    const serviceAnnotations = readAnnotations(r, "serviceAnnotations");
    const secret = r.optionalString("serviceTlsSecret", checkDnsSubdomain);
    const clusterIssuer = r.optionalString("serviceClusterIssuer", checkDnsSubdomain);
    const host = r.optionalString("serviceHost", checkIngressHost);
    const upstream = r.boolean("serviceTlsTerminatedUpstream", DEFAULTS.serviceTlsTerminatedUpstream);
    const image = r.string("tlsProxyImage", DEFAULTS.tlsProxyImage, checkPinnedImage);
    const base = { serviceType, serviceAnnotations };
    if (serviceType === "ClusterIP") {
        r.onlyWith(
            PROXY_KEYS,
            `needs ${r.fullKey("serviceType")} NodePort or LoadBalancer: a ClusterIP Service is reached from inside the cluster, through an Ingress or a Gateway, which end TLS themselves; remove this key`,
        );
        return base;
    }
    const proxied = secret !== undefined || clusterIssuer !== undefined;
    // Tinode's logins and tokens travel in the websocket: never in clear text by accident.
    if (!proxied && !upstream) {
        r.problem(
            "serviceType",
            `${serviceType} takes clients directly, so logins would cross the network in clear text: set ${r.fullKey("serviceTlsSecret")} (a kubernetes.io/tls Secret) or ${r.fullKey("serviceClusterIssuer")} with ${r.fullKey("serviceHost")} (cert-manager), and a TLS proxy in each Tinode pod serves it; or, if the load balancer in front ends TLS, set ${r.fullKey("serviceTlsTerminatedUpstream")} true`,
        );
    }
    if (proxied && upstream) {
        r.problem(
            "serviceTlsTerminatedUpstream",
            `says TLS ends before the Service, but ${r.fullKey(secret !== undefined ? "serviceTlsSecret" : "serviceClusterIssuer")} configures TLS in the pods: remove one of them`,
        );
    }
    if (clusterIssuer !== undefined && !r.isSet("serviceHost")) {
        r.problem(
            "serviceClusterIssuer",
            `needs ${r.fullKey("serviceHost")}: the DNS name clients use, which the certificate is issued for`,
        );
    }
    if (r.isSet("serviceHost") && clusterIssuer === undefined) {
        r.problem(
            "serviceHost",
            `needs ${r.fullKey("serviceClusterIssuer")}: it names the certificate cert-manager issues; with ${r.fullKey("serviceTlsSecret")} the Secret's certificate says which names it serves; remove this key`,
        );
    }
    if (!proxied && image !== DEFAULTS.tlsProxyImage) {
        r.problem(
            "tlsProxyImage",
            `needs ${r.fullKey("serviceTlsSecret")} or ${r.fullKey("serviceClusterIssuer")}: there is no TLS proxy without a certificate; remove this key`,
        );
    }
    let serviceTls: ServiceTls | undefined;
    if (upstream && !proxied) serviceTls = { kind: "upstream" };
    else if (clusterIssuer !== undefined && host !== undefined)
        serviceTls = { kind: "proxy", secret, certificate: { clusterIssuer, host }, image };
    else if (secret !== undefined && clusterIssuer === undefined) serviceTls = { kind: "proxy", secret, image };
    return { ...base, serviceTls };
}
