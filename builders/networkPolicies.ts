// NetworkPolicies. Tinode's cluster RPC is plain net/rpc without authentication, so only Tinode pods
// may reach that port; MySQL only from Tinode and the schema Job. Egress stays open (DNS, S3, push).
import * as k8s from "@pulumi/kubernetes";
import { PORTS } from "../config/defaults";
import { TinodeSettings } from "../config/settings";
import { labels, selectorLabels } from "./labels";
import { ObjectNames } from "./names";

export function tinodeNetworkPolicyArgs(instance: string, names: ObjectNames, s: TinodeSettings): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: `${names.tinode}-server`, namespace: s.namespace, labels: labels(instance, "server", s.image) },
        spec: {
            podSelector: { matchLabels: selectorLabels(instance, "server") },
            policyTypes: ["Ingress"],
            ingress: [
                // Clients, from anywhere (ingress controller, load balancer, in-cluster apps).
                {
                    ports: [
                        { port: "http", protocol: "TCP" },
                        { port: "grpc", protocol: "TCP" },
                    ],
                },
                {
                    from: [{ podSelector: { matchLabels: selectorLabels(instance, "server") } }],
                    ports: [{ port: PORTS.cluster, protocol: "TCP" }],
                },
            ],
        },
    };
}

export function mysqlNetworkPolicyArgs(instance: string, names: ObjectNames, s: TinodeSettings): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: names.mysql, namespace: s.namespace, labels: labels(instance, "database", s.image) },
        spec: {
            podSelector: { matchLabels: selectorLabels(instance, "database") },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        { podSelector: { matchLabels: selectorLabels(instance, "server") } },
                        { podSelector: { matchLabels: selectorLabels(instance, "db-init") } },
                    ],
                    ports: [{ port: PORTS.mysql, protocol: "TCP" }],
                },
            ],
        },
    };
}

/** The schema Job serves nothing: no inbound traffic at all. */
export function dbInitNetworkPolicyArgs(instance: string, names: ObjectNames, s: TinodeSettings): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: names.dbInitJob, namespace: s.namespace, labels: labels(instance, "db-init", s.image) },
        spec: { podSelector: { matchLabels: selectorLabels(instance, "db-init") }, policyTypes: ["Ingress"], ingress: [] },
    };
}
