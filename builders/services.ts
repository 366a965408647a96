// The two Services of the Tinode StatefulSet.
import * as k8s from "@pulumi/kubernetes";
import { PORTS } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { labels, objectMeta, selectorLabels } from "./labels";
import { ObjectNames, serviceHost } from "./names";
import { TLS_SERVICE_PORTS } from "./tlsProxy";

/**
 * Cluster traffic and stable pod DNS. publishNotReadyAddresses: peers must resolve each other
 * before any of them is Ready, since a node only becomes useful once the cluster has formed.
 */
export function headlessServiceArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
): k8s.core.v1.ServiceArgs {
    return {
        metadata: objectMeta(instance, s, names.headlessService, "server", s.image),
        spec: {
            clusterIP: "None",
            publishNotReadyAddresses: true,
            selector: selectorLabels(instance, "server"),
            ports: [{ name: "cluster", port: PORTS.cluster, targetPort: "cluster", protocol: "TCP" }],
        },
    };
}

/**
 * Clients: websocket/long-polling HTTP and gRPC. ClientIP affinity because long-polling sessions
 * live in one node's memory; websocket clients may use any node.
 */
export function clientServiceArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace" | "serviceAnnotations" | "serviceTls" | "serviceType">,
): k8s.core.v1.ServiceArgs {
    return {
        metadata: {
            name: names.clientService,
            namespace: s.namespace,
            labels: labels(instance, "server", s.image),
            // The StatefulSet's own wait already proves its pods Ready; the provider's Service wait
            // would only add a fixed 10 s for endpoints to "settle" on every update.
            annotations: { ...s.serviceAnnotations, "pulumi.com/skipAwait": "true" },
        },
        spec: {
            type: s.serviceType,
            sessionAffinity: "ClientIP",
            selector: selectorLabels(instance, "server"),
            // With the TLS proxy only its ports: Tinode's own HTTP port also serves expvar.
            ports:
                s.serviceTls?.kind === "proxy"
                    ? [
                          { name: "https", port: TLS_SERVICE_PORTS.https, targetPort: "https", protocol: "TCP" },
                          { name: "grpcs", port: TLS_SERVICE_PORTS.grpcs, targetPort: "grpcs", protocol: "TCP" },
                      ]
                    : [
                          { name: "http", port: PORTS.http, targetPort: "http", protocol: "TCP" },
                          { name: "grpc", port: PORTS.grpc, targetPort: "grpc", protocol: "TCP" },
                      ],
        },
    };
}

/**
 * The gRPC port alone, for the gRPC Ingress: some controllers take a backend's protocol from its
 * Service, for all of its ports (Traefik's serversscheme h2c), which the client Service's HTTP port
 * must not get. No affinity: a gRPC client holds one connection.
 */
export function grpcServiceArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    annotations: Record<string, string>,
): k8s.core.v1.ServiceArgs {
    return {
        metadata: {
            name: names.grpcService,
            namespace: s.namespace,
            labels: labels(instance, "server", s.image),
            annotations: { ...annotations, "pulumi.com/skipAwait": "true" },
        },
        spec: {
            type: "ClusterIP",
            selector: selectorLabels(instance, "server"),
            ports: [{ name: "grpc", port: PORTS.grpc, targetPort: "grpc", protocol: "TCP" }],
        },
    };
}

/** The client Service's in-cluster URL for HTTP and websocket clients (through the TLS proxy when there is one). */
export function clientUrl(names: ObjectNames, s: Pick<TinodeSettings, "namespace" | "clusterDomain" | "serviceTls">): string {
    const host = serviceHost(names.clientService, s.namespace, s.clusterDomain);
    return s.serviceTls?.kind === "proxy" ? `https://${host}` : `http://${host}:${PORTS.http}`;
}

/**
 * Whether clients reach Tinode through a proxy that sets X-Forwarded-For: an Ingress, a ClusterIP
 * Service (reachable only from inside the cluster, where outside clients arrive through a gateway or
 * proxy), or the TLS proxy in the pod (builders/tlsProxy.ts: it replaces a client's header). A
 * NodePort or LoadBalancer Service without it takes clients directly: a header there is theirs to forge.
 */
export function clientsBehindProxy(s: Pick<TinodeSettings, "ingress" | "serviceType" | "serviceTls">): boolean {
    return s.ingress !== undefined || s.serviceType === "ClusterIP" || s.serviceTls?.kind === "proxy";
}
