// The optional Ingress for HTTP/websocket clients (gRPC needs its own route or a load balancer).
import * as k8s from "@pulumi/kubernetes";
import { IngressSettings, TinodeSettings } from "../config/settings";
import { PUBLIC_HTTP_PATHS } from "../tinode/facts";
import { objectMeta } from "./labels";
import { grpcTlsSecretName, ObjectNames } from "./names";

/**
 * Websockets stay open for as long as a chat session: ingress-nginx's 60 s proxy timeouts would cut
 * them, and its 1 MiB body limit would refuse uploads. Other controllers ignore these annotations;
 * what they need instead comes from the operator (ingressAnnotations, README: Exposure), and the
 * operator's annotations win.
 */
export function ingressAnnotations(i: IngressSettings, maxUploadBytes: number): Record<string, string> {
    const annotations: Record<string, string> = {
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-body-size": `${Math.ceil(maxUploadBytes / (1024 * 1024)) + 1}m`,
    };
    if (i.clusterIssuer) annotations["cert-manager.io/cluster-issuer"] = i.clusterIssuer;
    return { ...annotations, ...i.annotations };
}

/**
 * The largest request body the ingress must let through: an upload, or a message sent by long
 * polling (an HTTP POST) or gRPC, which Tinode caps at max_message_size. Derived from both, so the
 * two limits cannot disagree.
 */
export function maxRequestBytes(s: Pick<TinodeSettings, "features" | "media">): number {
    return Math.max(s.features.maxMessageBytes, s.media.handler === "none" ? 0 : s.media.maxUploadBytes);
}

/**
 * The paths an Ingress sends to Tinode's HTTP port: the client paths only (tinode/facts.ts), so that
 * expvar and any other internal endpoint stay off the public route. An Ingress cannot exclude a path,
 * and a rule to a backend without endpoints is dropped by some controllers (Traefik skips it, and the
 * request falls through to "/"): an allowlist is the controller-neutral way.
 */
export function clientHttpPaths(): { path: string; pathType: "Prefix" | "Exact" }[] {
    return [
        ...PUBLIC_HTTP_PATHS.prefixes.map((path) => ({ path, pathType: "Prefix" as const })),
        ...PUBLIC_HTTP_PATHS.exact.map((path) => ({ path, pathType: "Exact" as const })),
    ];
}

/** One Ingress to a Service of the component: `paths` at `host` to its port `port` (gRPC: all of it). */
function ingressTo(
    instance: string,
    s: Pick<TinodeSettings, "image" | "namespace">,
    o: {
        name: string;
        host: string;
        service: string;
        port: "http" | "grpc";
        className?: string;
        tlsSecret?: string;
        annotations: Record<string, string>;
    },
): k8s.networking.v1.IngressArgs {
    const backend = { service: { name: o.service, port: { name: o.port } } };
    return {
        metadata: { ...objectMeta(instance, s, o.name, "server", s.image), annotations: o.annotations },
        spec: {
            ingressClassName: o.className,
            tls: o.tlsSecret ? [{ hosts: [o.host], secretName: o.tlsSecret }] : undefined,
            rules: [
                {
                    host: o.host,
                    http: {
                        paths: (o.port === "http" ? clientHttpPaths() : [{ path: "/", pathType: "Prefix" as const }]).map((p) => ({
                            ...p,
                            backend,
                        })),
                    },
                },
            ],
        },
    };
}

export function ingressArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "features" | "image" | "media" | "namespace">,
    i: IngressSettings,
): k8s.networking.v1.IngressArgs {
    return ingressTo(instance, s, {
        name: names.ingress,
        className: i.className,
        host: i.host,
        service: names.clientService,
        port: "http",
        tlsSecret: tlsSecretName(names, i),
        annotations: ingressAnnotations(i, maxRequestBytes(s)),
    });
}

/** The HTTP Ingress's TLS Secret: the operator's, else the one cert-manager fills, else none. */
export function tlsSecretName(names: ObjectNames, i: IngressSettings): string | undefined {
    return i.tlsSecret ?? (i.clusterIssuer ? names.tls : undefined);
}

/** The gRPC Ingress's TLS Secret (names.ts grpcTlsSecretName says why it may differ). */
export function grpcTlsSecret(names: ObjectNames, i: IngressSettings): string | undefined {
    const http = tlsSecretName(names, i);
    return http === undefined ? undefined : grpcTlsSecretName(http, i.clusterIssuer !== undefined);
}

/**
 * gRPC clients (port 16060): a separate Ingress on its own host, to a Service of the gRPC port alone
 * (builders/services.ts grpcServiceArgs), because controllers set the backend protocol for a whole
 * Ingress (ingress-nginx's backend-protocol annotation, set here) or a whole Service (Traefik's
 * serversscheme, ingressGrpcServiceAnnotations), and HTTP/websocket must stay HTTP/1.1 to Tinode.
 * Controllers offer HTTP/2 to clients only over TLS, so TLS is required (config/readIngress.ts). The
 * timeouts apply to gRPC streams too (ingress-nginx's grpc_read_timeout follows proxy-read-timeout).
 */
export function grpcIngressArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "features" | "image" | "media" | "namespace">,
    i: IngressSettings,
    host: string,
): k8s.networking.v1.IngressArgs {
    return ingressTo(instance, s, {
        name: names.grpcIngress,
        className: i.className,
        host,
        service: names.grpcService,
        port: "grpc",
        tlsSecret: grpcTlsSecret(names, i),
        annotations: { ...ingressAnnotations(i, maxRequestBytes(s)), "nginx.ingress.kubernetes.io/backend-protocol": "GRPC" },
    });
}
