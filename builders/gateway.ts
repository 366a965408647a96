// Routes for clients through a Gateway the operator runs (Gateway API v1, standard channel only):
// an HTTPRoute for HTTP, websockets and long polling, and a GRPCRoute for gRPC on its own host.
// TLS, timeouts and the listener's allowed routes are the Gateway's. Long polling keeps its session
// in one node's memory; the standard channel has no session persistence (HTTPRoute
// sessionPersistence is experimental), and a Gateway sends requests to the pods directly, past the
// client Service's ClientIP affinity: long-poll clients need the implementation's own stickiness
// (README, Exposure). Websocket and gRPC clients hold one connection and need none.
import * as k8s from "@pulumi/kubernetes";
import { GatewaySettings, TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { clientHttpPaths } from "./ingress";
import { objectMeta } from "./labels";
import { ObjectNames } from "./names";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

/** One route of the component to the client Service, attached to the Gateway for one host. */
function route(
    instance: string,
    s: TinodeSettings,
    g: GatewaySettings,
    o: { kind: "HTTPRoute" | "GRPCRoute"; name: string; host: string; rules: object[] },
): k8s.apiextensions.CustomResourceArgs {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: o.kind,
        metadata: objectMeta(instance, s, o.name, "server", s.image),
        spec: {
            parentRefs: [{ name: g.name, namespace: g.namespace, ...(g.sectionName ? { sectionName: g.sectionName } : {}) }],
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
    s: TinodeSettings,
    g: GatewaySettings,
): k8s.apiextensions.CustomResourceArgs {
    return route(instance, s, g, {
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
    s: TinodeSettings,
    g: GatewaySettings & { grpcHost: string },
): k8s.apiextensions.CustomResourceArgs {
    return route(instance, s, g, {
        kind: "GRPCRoute",
        name: names.grpcRoute,
        host: g.grpcHost,
        rules: [{ backendRefs: [{ name: names.clientService, port: PORTS.grpc }] }],
    });
}
