// NetworkPolicies. Tinode's cluster RPC is plain net/rpc without authentication, so only Tinode pods
// may reach that port; MySQL only from Tinode and the schema Job. Egress is limited to what each pod
// talks to: DNS, its peers, the database and, with the s3 media handler or S3 backups, the S3 endpoint.
import * as k8s from "@pulumi/kubernetes";
import { urlPort } from "../config/checks";
import { PORTS } from "../tinode/facts";
import {
    BackupSettings,
    CanarySettings,
    ExporterMonitoring,
    InternalMysql,
    MediaSettings,
    SelfHealSettings,
    TinodeSettings,
} from "../config/settings";
import { DatabaseTarget } from "./database";
import { scrapeIngressRule } from "./exporter";
import { ComponentLabel, objectMeta, selectorLabels } from "./labels";
import { ObjectNames } from "./names";
import { API_SERVER_PORTS } from "./healer";
import { featureEgressPorts } from "./tinodeFeatures";

type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** A NetworkPolicy for the pods of one component, both directions restricted to the rules given. */
function policy(
    instance: string,
    s: Pick<TinodeSettings, "namespace">,
    name: string,
    component: ComponentLabel,
    image: string,
    rules: Pick<k8s.types.input.networking.v1.NetworkPolicySpec, "ingress" | "egress">,
): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: objectMeta(instance, s, name, component, image),
        spec: { ...podsOf(instance, component), policyTypes: ["Ingress", "Egress"], ...rules },
    };
}

/** The pods of one component of this instance, as a policy's peer (or the pods it applies to). */
function podsOf(instance: string, component: ComponentLabel) {
    return { podSelector: { matchLabels: selectorLabels(instance, component) } };
}

/** Cluster DNS: its pods' labels differ between distributions, so any destination on port 53. */
const DNS: EgressRule = {
    ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
    ],
};

/** To the deployed MySQL's pods, or to the external database's port anywhere (its address may be outside the cluster). */
function toDatabase(instance: string, s: Pick<TinodeSettings, "mysql">, target: DatabaseTarget): EgressRule {
    const ports = [{ port: target.port, protocol: "TCP" }];
    return s.mysql.kind === "internal" ? { to: [podsOf(instance, "database")], ports } : { ports };
}

/** The S3 endpoint's port (443 for AWS), when uploads go to S3. */
export function s3Port(media: MediaSettings): number | undefined {
    if (media.handler !== "s3") return undefined;
    return endpointPort(media.endpoint);
}

/** The port of an S3 endpoint URL; no URL means AWS, on 443. */
export function endpointPort(endpoint: string | undefined): number {
    return endpoint ? urlPort(endpoint) : 443;
}

export function tinodeNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "features" | "image" | "media" | "monitoring" | "mysql" | "namespace" | "serviceTls">,
    target: DatabaseTarget,
): k8s.networking.v1.NetworkPolicyArgs {
    const peers = podsOf(instance, "server");
    const s3 = s3Port(s.media);
    // SMTP and the push services: anywhere, like the S3 endpoint (their addresses are outside the cluster).
    const features = featureEgressPorts(s.features).filter((p) => p !== s3);
    return policy(instance, s, names.serverPolicy, "server", s.image, {
        ingress: [
            // Clients, from anywhere (ingress controller, load balancer, in-cluster apps), and the
            // TLS proxy's ports when a NodePort or LoadBalancer Service publishes them.
            {
                ports: [
                    { port: "http", protocol: "TCP" },
                    { port: "grpc", protocol: "TCP" },
                    ...(s.serviceTls?.kind === "proxy"
                        ? [
                              { port: "https", protocol: "TCP" },
                              { port: "grpcs", protocol: "TCP" },
                          ]
                        : []),
                ],
            },
            { from: [peers], ports: [{ port: PORTS.cluster, protocol: "TCP" }] },
            // The exporter, from the configured Prometheus only (the expvar page it reads is
            // served on the client port anyway, but scrapes need no wider opening than this).
            ...(s.monitoring.exporter ? [scrapeIngressRule(s.monitoring)] : []),
        ],
        egress: [
            DNS,
            // Cluster RPC, and the startup probe reading its peers' expvar pages (builders/clusterSettle.ts).
            {
                to: [peers],
                ports: [
                    { port: PORTS.cluster, protocol: "TCP" },
                    { port: PORTS.http, protocol: "TCP" },
                ],
            },
            toDatabase(instance, s, target),
            ...(s3 !== undefined ? [{ ports: [{ port: s3, protocol: "TCP" }] }] : []),
            ...(features.length > 0 ? [{ ports: features.map((port) => ({ port, protocol: "TCP" })) }] : []),
        ],
    });
}

export function mysqlNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "backup" | "namespace">,
    mysql: InternalMysql,
): k8s.networking.v1.NetworkPolicyArgs {
    // MySQL's version label, like every other database object (builders/mysql.ts).
    return policy(instance, s, names.mysqlPolicy, "database", mysql.image, {
        ingress: [
            {
                from: [podsOf(instance, "server"), podsOf(instance, "db-init"), ...(s.backup ? [podsOf(instance, "backup")] : [])],
                ports: [{ port: PORTS.mysql, protocol: "TCP" }],
            },
        ],
        // MySQL looks up its clients' names; it starts no other connection.
        egress: [DNS],
    });
}

/** The schema Job serves nothing and only talks to the database. */
export function dbInitNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "mysql" | "namespace">,
    target: DatabaseTarget,
): k8s.networking.v1.NetworkPolicyArgs {
    return policy(instance, s, names.dbInitPolicy, "db-init", s.image, {
        ingress: [],
        egress: [DNS, toDatabase(instance, s, target)],
    });
}

/** The backup job serves nothing; it talks to the database and, with an S3 destination, the S3 endpoint. */
export function backupNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "mysql" | "namespace">,
    b: BackupSettings,
    target: DatabaseTarget,
): k8s.networking.v1.NetworkPolicyArgs {
    const s3 = b.destination.kind === "s3" ? [{ ports: [{ port: endpointPort(b.destination.endpoint), protocol: "TCP" }] }] : [];
    return policy(instance, s, names.backupPolicy, "backup", s.image, {
        ingress: [],
        egress: [DNS, toDatabase(instance, s, target), ...s3],
    });
}

/** The self-healer: nothing in (the kubelet's probe aside); out to the API server only. */
export function healerNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    h: SelfHealSettings,
): k8s.networking.v1.NetworkPolicyArgs {
    return policy(instance, s, names.healer, "healer", h.image, {
        ingress: [],
        egress: [{ ports: API_SERVER_PORTS.map((port) => ({ port, protocol: "TCP" })) }],
    });
}

/** The delivery canary: metrics in from the configured Prometheus; out to the Tinode pods' client port. */
export function canaryNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mon: ExporterMonitoring,
    c: CanarySettings,
): k8s.networking.v1.NetworkPolicyArgs {
    return policy(instance, s, names.canary, "canary", c.image, {
        ingress: [scrapeIngressRule(mon)],
        egress: [DNS, { to: [podsOf(instance, "server")], ports: [{ port: PORTS.http, protocol: "TCP" }] }],
    });
}
