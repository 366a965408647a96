// The TLS proxy of a NodePort or LoadBalancer Service: Traefik next to each Tinode server.
//
// Why a proxy and not Tinode's own TLS (tinode.conf "tls", server/utils.go parseTLSConfig): Tinode
// 0.25.3 has one HTTP listener, and with TLS on it that listener serves everything - the public API
// and web app, and also expvar (version, command line, memory, node names) that the probes, the
// cluster-settle probe and the exporter read. A Service that publishes it publishes expvar, and
// every in-pod reader would need TLS with a certificate for "localhost". Tinode also reads its
// certificate once at start (tls.LoadX509KeyPair), so every renewal would need a roll. The proxy
// forwards only PUBLIC_HTTP_PATHS (as the Ingress and the Gateway routes do), sets
// X-Forwarded-For itself (it drops a client's own: Traefik trusts no forwarded headers unless told
// to), and reloads the certificate when its Secret changes (the file provider watches the directory
// that holds both its config and the Secret's files; the kubelet swaps them there).
import * as k8s from "@pulumi/kubernetes";
import { ContainerResources, ServiceTls, TinodeSettings } from "../config/settings";
import { PORTS, PUBLIC_HTTP_PATHS } from "../tinode/facts";
import { objectMeta } from "./labels";
import { ObjectNames } from "./names";
import { containerSecurityContext } from "./security";

export type TlsProxy = Extract<ServiceTls, { kind: "proxy" }>;

/** The proxy's ports in the pod (unprivileged), and what the Service publishes for them. */
export const TLS_PROXY_PORTS = {
    https: 8443,
    grpcs: 18443,
    health: 8082,
} as const;
/** HTTPS on its usual port; gRPC with TLS on Tinode's own gRPC port, where its clients look. */
export const TLS_SERVICE_PORTS = { https: 443, grpcs: PORTS.grpc } as const;

export const TLS_PROXY_CONTAINER = "tls-proxy";
const CONFIG_DIR = "/etc/tinode-tls-proxy";
const CONFIG_FILE = "dynamic.yaml";
const CERT_FILE = "tls.crt";
const KEY_FILE = "tls.key";

/**
 * HTTPS: a request may take this long to arrive whole, an upload of the largest media size over a
 * slow link. Traefik's own default (60 s) would cut such uploads; no limit would invite slow clients
 * to hold connections open. A websocket is not cut by it: Go's server clears the deadlines of a
 * connection it hands over (net/http hijackLocked), and Traefik clears its own after the TLS
 * ClientHello (pkg/server/router/tcp/router.go).
 * gRPC: none. Go's HTTP/2 server applies the read timeout to each stream until its request body
 * ends (h2_bundle.go onReadTimeout), and Tinode's gRPC session is one bidirectional stream that
 * lasts as long as the client stays: any limit would reset every session after it.
 */
const READ_TIMEOUT = { https: "600s", grpcs: "0s" } as const;

/** The proxy's certificate: the operator's Secret, or the one cert-manager fills for the stack. */
export function tlsProxySecretName(names: ObjectNames, t: TlsProxy): string {
    return t.secret ?? names.serviceTls;
}

/**
 * Traefik's rule for Tinode's public paths: the same set the Ingress routes (a prefix matches
 * itself and what lies under it, as an Ingress "Prefix" path does, not "/v0x").
 */
export function publicPathRule(): string {
    const prefixes = PUBLIC_HTTP_PATHS.prefixes.flatMap((p) => [`Path(\`${p}\`)`, `PathPrefix(\`${p}/\`)`]);
    const exact = PUBLIC_HTTP_PATHS.exact.map((p) => `Path(\`${p}\`)`);
    return [...prefixes, ...exact].join(" || ");
}

/**
 * Traefik's dynamic configuration (the file provider; JSON is YAML): HTTP and websocket clients on
 * the https entry point to Tinode's HTTP port, gRPC on grpcs to its gRPC port (h2c), both over
 * the pod's loopback; the Secret's certificate for every name, TLS 1.2 or later.
 */
export function tlsProxyConfig(): Record<string, unknown> {
    const certificate = { certFile: `${CONFIG_DIR}/${CERT_FILE}`, keyFile: `${CONFIG_DIR}/${KEY_FILE}` };
    return {
        http: {
            routers: {
                tinode: { entryPoints: ["https"], rule: publicPathRule(), service: "tinode", tls: {} },
                "tinode-grpc": { entryPoints: ["grpcs"], rule: "PathPrefix(`/`)", service: "tinode-grpc", tls: {} },
            },
            services: {
                tinode: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${PORTS.http}` }] } },
                "tinode-grpc": { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${PORTS.grpc}` }] } },
            },
        },
        tls: {
            options: { default: { minVersion: "VersionTLS12" } },
            // Also for clients that send no name or another one (by address): never Traefik's own.
            stores: { default: { defaultCertificate: certificate } },
            certificates: [certificate],
        },
    };
}

export function tlsProxyConfigMapArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
): k8s.core.v1.ConfigMapArgs {
    return {
        metadata: objectMeta(instance, s, names.tlsProxy, "server", s.image),
        data: { [CONFIG_FILE]: JSON.stringify(tlsProxyConfig(), null, 2) + "\n" },
    };
}

/** The proxy's config and certificate in one directory, so that a renewed certificate reloads it. */
export function tlsProxyVolume(names: ObjectNames, t: TlsProxy): k8s.types.input.core.v1.Volume {
    return {
        name: TLS_PROXY_CONTAINER,
        projected: {
            defaultMode: 0o440,
            sources: [
                { configMap: { name: names.tlsProxy, items: [{ key: CONFIG_FILE, path: CONFIG_FILE }] } },
                {
                    secret: {
                        name: tlsProxySecretName(names, t),
                        items: [
                            { key: "tls.crt", path: CERT_FILE },
                            { key: "tls.key", path: KEY_FILE },
                        ],
                    },
                },
            ],
        },
    };
}

export function tlsProxyContainer(
    t: TlsProxy,
    s: Pick<TinodeSettings, "imagePullPolicy">,
    resources: ContainerResources,
): k8s.types.input.core.v1.Container {
    return {
        name: TLS_PROXY_CONTAINER,
        image: t.image,
        imagePullPolicy: s.imagePullPolicy,
        // Flags only: the official image's entrypoint runs `traefik` with arguments that start with "-".
        args: [
            `--entryPoints.https.address=:${TLS_PROXY_PORTS.https}`,
            `--entryPoints.https.transport.respondingTimeouts.readTimeout=${READ_TIMEOUT.https}`,
            `--entryPoints.grpcs.address=:${TLS_PROXY_PORTS.grpcs}`,
            `--entryPoints.grpcs.transport.respondingTimeouts.readTimeout=${READ_TIMEOUT.grpcs}`,
            // A client's header whose name aliases one the proxy manages (X_Forwarded_For for
            // X-Forwarded-For) is dropped, as Traefik 3.7 advises at start: never forwarded as is.
            ...Object.keys(TLS_PROXY_PORTS).map((entryPoint) => `--entryPoints.${entryPoint}.http.aliasHeadersStrategy=delete`),
            `--entryPoints.health.address=:${TLS_PROXY_PORTS.health}`,
            "--ping=true",
            "--ping.entryPoint=health",
            `--providers.file.directory=${CONFIG_DIR}`,
            "--providers.file.watch=true",
            "--global.checkNewVersion=false",
            "--global.sendAnonymousUsage=false",
            "--log.level=WARN",
        ],
        ports: [
            { name: "https", containerPort: TLS_PROXY_PORTS.https, protocol: "TCP" },
            { name: "grpcs", containerPort: TLS_PROXY_PORTS.grpcs, protocol: "TCP" },
            { name: "proxy-health", containerPort: TLS_PROXY_PORTS.health, protocol: "TCP" },
        ],
        readinessProbe: { httpGet: { path: "/ping", port: "proxy-health" }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
        livenessProbe: { httpGet: { path: "/ping", port: "proxy-health" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
        resources,
        securityContext: containerSecurityContext(),
        volumeMounts: [{ name: TLS_PROXY_CONTAINER, mountPath: CONFIG_DIR, readOnly: true }],
    };
}

/** cert-manager's Certificate for serviceHost, into the Secret the proxy mounts. */
export function serviceCertificateArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    t: TlsProxy & { certificate: { clusterIssuer: string; host: string } },
): k8s.apiextensions.CustomResourceArgs {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: objectMeta(instance, s, names.serviceTls, "server", s.image),
        spec: {
            secretName: tlsProxySecretName(names, t),
            dnsNames: [t.certificate.host],
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: t.certificate.clusterIssuer },
        },
    };
}
