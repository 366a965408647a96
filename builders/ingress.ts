// The optional Ingress for HTTP/websocket clients (gRPC needs its own route or a load balancer).
import * as k8s from "@pulumi/kubernetes";
import { IngressSettings, TinodeSettings } from "../config/settings";
import { labels } from "./labels";
import { ObjectNames } from "./names";

/**
 * Websockets stay open for as long as a chat session: ingress-nginx's 60 s proxy timeouts would cut
 * them, and its 1 MiB body limit would refuse uploads. Other controllers ignore these annotations.
 */
export function ingressAnnotations(i: IngressSettings, maxUploadBytes: number): Record<string, string> {
    const annotations: Record<string, string> = {
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-body-size": `${Math.ceil(maxUploadBytes / (1024 * 1024)) + 1}m`,
    };
    if (i.clusterIssuer) annotations["cert-manager.io/cluster-issuer"] = i.clusterIssuer;
    return annotations;
}

/**
 * The largest request body the ingress must let through: an upload, or a message sent by long
 * polling (an HTTP POST) or gRPC, which Tinode caps at max_message_size. Derived from both, so the
 * two limits cannot disagree.
 */
export function maxRequestBytes(s: TinodeSettings): number {
    return Math.max(s.features.maxMessageBytes, s.media.handler === "none" ? 0 : s.media.maxUploadBytes);
}

export function ingressArgs(instance: string, names: ObjectNames, s: TinodeSettings, i: IngressSettings): k8s.networking.v1.IngressArgs {
    const maxUpload = maxRequestBytes(s);
    return {
        metadata: {
            name: names.clientService,
            namespace: s.namespace,
            labels: labels(instance, "server", s.image),
            annotations: ingressAnnotations(i, maxUpload),
        },
        spec: {
            ingressClassName: i.className,
            tls: i.tlsSecret ? [{ hosts: [i.host], secretName: i.tlsSecret }] : undefined,
            rules: [
                {
                    host: i.host,
                    http: {
                        paths: [
                            { path: "/", pathType: "Prefix", backend: { service: { name: names.clientService, port: { name: "http" } } } },
                        ],
                    },
                },
            ],
        },
    };
}

/**
 * The TLS Secret of the gRPC Ingress. With cert-manager each Ingress gets its own certificate (two
 * Ingresses naming one Secret would make cert-manager fight over it); a certificate the operator
 * provides must name both hosts.
 */
export function grpcTlsSecret(i: IngressSettings): string | undefined {
    if (!i.tlsSecret) return undefined;
    return i.clusterIssuer ? `${i.tlsSecret}-grpc` : i.tlsSecret;
}

/**
 * gRPC clients (port 16060) through ingress-nginx: a separate Ingress on its own host, because the
 * backend protocol is an annotation of the whole Ingress (HTTP/websocket must stay HTTP/1.1 to
 * Tinode). ingress-nginx offers HTTP/2 to clients only over TLS, so TLS is required (config/readFeatures.ts).
 * The timeouts apply to gRPC streams too (grpc_read_timeout follows proxy-read-timeout).
 */
export function grpcIngressArgs(
    instance: string,
    names: ObjectNames,
    s: TinodeSettings,
    i: IngressSettings,
    host: string,
): k8s.networking.v1.IngressArgs {
    const secretName = grpcTlsSecret(i);
    return {
        metadata: {
            name: `${names.clientService}-grpc`,
            namespace: s.namespace,
            labels: labels(instance, "server", s.image),
            annotations: { ...ingressAnnotations(i, maxRequestBytes(s)), "nginx.ingress.kubernetes.io/backend-protocol": "GRPC" },
        },
        spec: {
            ingressClassName: i.className,
            tls: secretName ? [{ hosts: [host], secretName }] : undefined,
            rules: [
                {
                    host,
                    http: {
                        paths: [
                            { path: "/", pathType: "Prefix", backend: { service: { name: names.clientService, port: { name: "grpc" } } } },
                        ],
                    },
                },
            ],
        },
    };
}
