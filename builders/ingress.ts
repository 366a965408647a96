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

export function ingressArgs(instance: string, names: ObjectNames, s: TinodeSettings, i: IngressSettings): k8s.networking.v1.IngressArgs {
    const maxUpload = s.media.handler === "none" ? 4 * 1024 * 1024 : s.media.maxUploadBytes;
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
