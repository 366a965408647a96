// Routes for clients through a Gateway (Gateway API v1, standard channel only): an HTTPRoute for
// HTTP, websockets and long polling, and a GRPCRoute for gRPC on its own host. The Gateway is the
// operator's (TLS, timeouts and allowed routes are then its own) or the stack's: one HTTPS listener
// per host, TLS from a Secret or from cert-manager's Gateway support (the cert-manager.io/cluster-
// issuer annotation: cert-manager makes a Certificate for the listeners' hosts into their Secret).
// Long polling keeps its session in one node's memory; the standard channel has no session
// persistence (HTTPRoute sessionPersistence is experimental), and a Gateway sends requests to the
// pods directly, past the client Service's ClientIP affinity: long-poll clients need the
// implementation's own stickiness (README, Exposure). Websocket and gRPC clients hold one connection
// and need none.
import * as k8s from "@pulumi/kubernetes";
import { GatewaySettings, OwnGateway, TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { clientHttpPaths } from "./ingress";
import { objectMeta } from "./labels";
import { ObjectNames } from "./names";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

/** The stack's Gateway's listener for each kind of route. */
const LISTENERS = { HTTPRoute: "https", GRPCRoute: "grpc" } as const;

/**
 * Where a route attaches: the operator's Gateway (and listener, if named), or the stack's own
 * Gateway's listener for this kind of route.
 */
function parentRef(names: ObjectNames, s: Pick<TinodeSettings, "namespace">, g: GatewaySettings, kind: keyof typeof LISTENERS): object {
    if (g.kind === "own") return { name: names.gateway, namespace: s.namespace, sectionName: LISTENERS[kind] };
    return { name: g.name, namespace: g.namespace, ...(g.sectionName ? { sectionName: g.sectionName } : {}) };
}

/** One route of the component to the client Service, attached to the Gateway for one host. */
function route(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    g: GatewaySettings,
    o: { kind: keyof typeof LISTENERS; name: string; host: string; rules: object[] },
): k8s.apiextensions.CustomResourceArgs {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: o.kind,
        metadata: objectMeta(instance, s, o.name, "server", s.image),
        spec: {
            parentRefs: [parentRef(names, s, g, o.kind)],
            hostnames: [o.host],
            rules: o.rules,
        },
    };
}

/**
 * Tinode's client paths only (the Ingress's allowlist): every other path of the host gets no route,
 * so expvar and the other internal endpoints stay private.
 */
export function httpRouteArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    g: GatewaySettings,
): k8s.apiextensions.CustomResourceArgs {
    return route(instance, names, s, g, {
        kind: "HTTPRoute",
        name: names.httpRoute,
        host: g.host,
        rules: [
            {
                matches: clientHttpPaths().map((p) => ({
                    path: { type: p.pathType === "Prefix" ? "PathPrefix" : "Exact", value: p.path },
                })),
                backendRefs: [{ name: names.clientService, port: PORTS.http }],
            },
        ],
    });
}

export function grpcRouteArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    g: GatewaySettings & { grpcHost: string },
): k8s.apiextensions.CustomResourceArgs {
    return route(instance, names, s, g, {
        kind: "GRPCRoute",
        name: names.grpcRoute,
        host: g.grpcHost,
        rules: [{ backendRefs: [{ name: names.clientService, port: PORTS.grpc }] }],
    });
}

/**
 * The stack's Gateway: an HTTPS listener for the client host that takes the HTTPRoute, and one for
 * the gRPC host that takes the GRPCRoute, both ending TLS with one certificate and taking routes from
 * the stack's namespace only. With a ClusterIssuer, cert-manager issues that certificate for both
 * hosts into the Secret names.gatewayTls (its Gateway API support, enableGatewayAPI, must be on).
 */
export function gatewayArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    g: OwnGateway,
): k8s.apiextensions.CustomResourceArgs {
    const secret = "secret" in g.tls ? g.tls.secret : names.gatewayTls;
    const listener = (kind: keyof typeof LISTENERS, hostname: string) => ({
        name: LISTENERS[kind],
        protocol: "HTTPS",
        port: g.port,
        hostname,
        tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: secret }] },
        allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind }] },
    });
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: {
            ...objectMeta(instance, s, names.gateway, "server", s.image),
            ...("clusterIssuer" in g.tls ? { annotations: { "cert-manager.io/cluster-issuer": g.tls.clusterIssuer } } : {}),
        },
        spec: {
            gatewayClassName: g.className,
            listeners: [listener("HTTPRoute", g.host), ...(g.grpcHost ? [listener("GRPCRoute", g.grpcHost)] : [])],
        },
    };
}
