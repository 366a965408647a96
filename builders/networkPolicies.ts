// NetworkPolicies. Tinode's cluster RPC is plain net/rpc without authentication, so only Tinode pods
// may reach that port; MySQL only from Tinode and the schema Job. Egress is limited to what each pod
// talks to: DNS, its peers, the database and, with the s3 media handler, the S3 endpoint.
import * as k8s from "@pulumi/kubernetes";
import { PORTS } from "../config/defaults";
import { MediaSettings, TinodeSettings } from "../config/settings";
import { DatabaseTarget } from "./dbInitJob";
import { scrapeIngressRule } from "./exporter";
import { labels, selectorLabels } from "./labels";
import { ObjectNames } from "./names";

type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Cluster DNS: its pods' labels differ between distributions, so any destination on port 53. */
const DNS: EgressRule = {
    ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
    ],
};

/** To the deployed MySQL's pods, or to the external database's port anywhere (its address may be outside the cluster). */
function toDatabase(instance: string, s: TinodeSettings, target: DatabaseTarget): EgressRule {
    const ports = [{ port: target.port, protocol: "TCP" }];
    return s.mysql.kind === "internal"
        ? { to: [{ podSelector: { matchLabels: selectorLabels(instance, "database") } }], ports }
        : { ports };
}

/** The S3 endpoint's port (443 for AWS), when uploads go to S3. */
export function s3Port(m: MediaSettings): number | undefined {
    if (m.handler !== "s3") return undefined;
    if (!m.endpoint) return 443;
    const url = new URL(m.endpoint);
    return url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
}

export function tinodeNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: TinodeSettings,
    target: DatabaseTarget,
): k8s.networking.v1.NetworkPolicyArgs {
    const peers = { podSelector: { matchLabels: selectorLabels(instance, "server") } };
    const s3 = s3Port(s.media);
    return {
        metadata: { name: `${names.tinode}-server`, namespace: s.namespace, labels: labels(instance, "server", s.image) },
        spec: {
            podSelector: { matchLabels: selectorLabels(instance, "server") },
            policyTypes: ["Ingress", "Egress"],
            ingress: [
                // Clients, from anywhere (ingress controller, load balancer, in-cluster apps).
                {
                    ports: [
                        { port: "http", protocol: "TCP" },
                        { port: "grpc", protocol: "TCP" },
                    ],
                },
                { from: [peers], ports: [{ port: PORTS.cluster, protocol: "TCP" }] },
                // The exporter, from the configured Prometheus only (the expvar page it reads is
                // served on the client port anyway, but scrapes need no wider opening than this).
                ...(s.monitoring.exporter ? [scrapeIngressRule(s.monitoring)] : []),
            ],
            egress: [
                DNS,
                { to: [peers], ports: [{ port: PORTS.cluster, protocol: "TCP" }] },
                toDatabase(instance, s, target),
                ...(s3 !== undefined ? [{ ports: [{ port: s3, protocol: "TCP" }] }] : []),
            ],
        },
    };
}

export function mysqlNetworkPolicyArgs(instance: string, names: ObjectNames, s: TinodeSettings): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: names.mysql, namespace: s.namespace, labels: labels(instance, "database", s.image) },
        spec: {
            podSelector: { matchLabels: selectorLabels(instance, "database") },
            policyTypes: ["Ingress", "Egress"],
            ingress: [
                {
                    from: [
                        { podSelector: { matchLabels: selectorLabels(instance, "server") } },
                        { podSelector: { matchLabels: selectorLabels(instance, "db-init") } },
                    ],
                    ports: [{ port: PORTS.mysql, protocol: "TCP" }],
                },
            ],
            // MySQL looks up its clients' names; it starts no other connection.
            egress: [DNS],
        },
    };
}

/** The schema Job serves nothing and only talks to the database. */
export function dbInitNetworkPolicyArgs(
    instance: string,
    names: ObjectNames,
    s: TinodeSettings,
    target: DatabaseTarget,
): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: names.dbInitJob, namespace: s.namespace, labels: labels(instance, "db-init", s.image) },
        spec: {
            podSelector: { matchLabels: selectorLabels(instance, "db-init") },
            policyTypes: ["Ingress", "Egress"],
            ingress: [],
            egress: [DNS, toDatabase(instance, s, target)],
        },
    };
}
