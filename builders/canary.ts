// The delivery canary (canary/canary.js): one Deployment whose client, Tinode's official JavaScript
// SDK, keeps a session on every Tinode pod and checks each round that a message published through
// any pod reaches the sessions on every pod. It exists because a split ring (issue 23,
// docs/upstream-ring-split.md) leaves every node's expvar page, and so the exporter, looking
// healthy; only delivery through the leader fails. Its metrics feed TinodeDeliveryBroken
// (builders/alertRules.ts).
//
// The script and the SDK's UMD bundle (npm tinode-sdk, at the server's version) are mounted from a
// ConfigMap, so the image is a stock Node.js one: no image of our own to build, scan and pin.
import { readFileSync } from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CanarySettings, TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { clusterLayout, podNames } from "./clusterNodes";
import { sha256 } from "./hash";
import { labels, objectMeta, selectorLabels } from "./labels";
import { opaqueSecretArgs } from "./objects";
import { ObjectNames, serviceHost } from "./names";
import { containerSecurityContext, podSecurityContext } from "./security";

/**
 * The canary's Tinode login (basic auth: letters and digits, '.' and '_' inside, at most 32;
 * server/auth/basic/auth_basic.go loginPattern). Made by the canary at its first start.
 */
export const CANARY_LOGIN = "tinode.k8s.canary";
/** Where the canary serves /metrics and /healthz (the port OpenTelemetry's Prometheus exporters use). */
export const CANARY_PORT = 9464;
/** The official Node.js image runs as `node`, uid 1000. */
const NODE_UID = 1000;
const MOUNT = "/canary";
/** Keys of the Secret the Deployment reads its credentials from. */
export const CANARY_SECRET_KEYS = { password: "password", apiKey: "api-key" } as const;

/** The files the ConfigMap carries: the script, and the SDK bundle it loads from beside it. */
export interface CanaryFiles {
    "canary.js": string;
    "tinode.prod.js": string;
}

/** Reads the canary's files: ours from canary/, the SDK from the installed tinode-sdk package. */
export function canaryFiles(): CanaryFiles {
    return {
        "canary.js": readFileSync(path.join(__dirname, "..", "canary", "canary.js"), "utf8"),
        "tinode.prod.js": readFileSync(require.resolve("tinode-sdk/umd/tinode.prod.js"), "utf8"),
    };
}

/** Every Tinode pod's websocket URL, by pod name, through the headless Service (a pod's own DNS name). */
export function canaryPods(
    names: ObjectNames,
    s: Pick<TinodeSettings, "clusterDomain" | "namespace" | "replicas">,
): Record<string, string> {
    const l = clusterLayout(names, s);
    return Object.fromEntries(
        podNames(l.statefulSet, l.replicas).map((pod) => [
            pod,
            `ws://${pod}.${serviceHost(l.headlessService, l.namespace, l.clusterDomain)}:${PORTS.http}`,
        ]),
    );
}

export function canaryConfigMapArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    c: CanarySettings,
    files: CanaryFiles,
): k8s.core.v1.ConfigMapArgs {
    return { metadata: objectMeta(instance, s, names.canary, "canary", c.image), data: { ...files } };
}

export function canarySecretArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    c: CanarySettings,
    password: pulumi.Input<string>,
    apiKey: pulumi.Input<string>,
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.canary, "canary", c.image, {
        [CANARY_SECRET_KEYS.password]: password,
        [CANARY_SECRET_KEYS.apiKey]: apiKey,
    });
}

/**
 * The heap cap (MiB) given to Node: below the container's memory limit, so V8 collects garbage
 * before the kernel kills the process. 3/5 of the limit leaves room for the code, the stacks and
 * the sockets' buffers.
 */
export function heapMiB(memoryLimit: string | undefined): number {
    const m = /^(\d+)(Mi|Gi)$/.exec(memoryLimit ?? "");
    if (!m) return 96;
    const mib = Number(m[1]) * (m[2] === "Gi" ? 1024 : 1);
    return Math.max(32, Math.floor((mib * 3) / 5));
}

export function canaryDeploymentArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "clusterDomain" | "imagePullPolicy" | "namespace" | "replicas" | "resources">,
    c: CanarySettings,
    files: CanaryFiles,
): k8s.apps.v1.DeploymentArgs {
    const fromSecret = (key: string) => ({ secretKeyRef: { name: names.canary, key } });
    return {
        metadata: objectMeta(instance, s, names.canary, "canary", c.image),
        spec: {
            replicas: 1,
            // One canary at a time: two would each create the account and the group on a first start.
            strategy: { type: "Recreate" },
            selector: { matchLabels: selectorLabels(instance, "canary") },
            template: {
                metadata: {
                    labels: labels(instance, "canary", c.image),
                    // A new script or SDK restarts the canary (a ConfigMap change alone would not).
                    annotations: { "tinode.co/canary-files": sha256(JSON.stringify(files), 16) },
                },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: podSecurityContext(NODE_UID),
                    containers: [
                        {
                            name: "canary",
                            image: c.image,
                            imagePullPolicy: s.imagePullPolicy,
                            command: ["node", `--max-old-space-size=${heapMiB(s.resources.canary.limits.memory)}`, `${MOUNT}/canary.js`],
                            env: [
                                { name: "CANARY_PODS", value: JSON.stringify(canaryPods(names, s)) },
                                { name: "CANARY_LOGIN", value: CANARY_LOGIN },
                                { name: "CANARY_PASSWORD", valueFrom: fromSecret(CANARY_SECRET_KEYS.password) },
                                { name: "TINODE_API_KEY", valueFrom: fromSecret(CANARY_SECRET_KEYS.apiKey) },
                                { name: "CANARY_INTERVAL_SECONDS", value: String(c.intervalSeconds) },
                                { name: "CANARY_PORT", value: String(CANARY_PORT) },
                            ],
                            ports: [{ name: "metrics", containerPort: CANARY_PORT, protocol: "TCP" }],
                            // /healthz fails once no round has completed for several intervals (a
                            // hung event loop, a session stuck beyond its timeouts).
                            livenessProbe: {
                                httpGet: { path: "/healthz", port: "metrics" },
                                periodSeconds: 30,
                                timeoutSeconds: 5,
                                failureThreshold: 3,
                            },
                            readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 10, timeoutSeconds: 3 },
                            resources: s.resources.canary,
                            securityContext: containerSecurityContext(),
                            volumeMounts: [{ name: "files", mountPath: MOUNT, readOnly: true }],
                        },
                    ],
                    volumes: [{ name: "files", configMap: { name: names.canary } }],
                },
            },
        },
    };
}

/** The labels the canary's series carry (its PodMonitor sets job; e2e sets both). */
export function canaryScrapeLabels(names: ObjectNames, s: Pick<TinodeSettings, "namespace">): { job: string; namespace: string } {
    return { job: names.canary, namespace: s.namespace };
}

/** PromQL label matchers for the canary's target: `job="tinode-canary",namespace="tinode"`. */
export function canarySelector(names: ObjectNames, s: Pick<TinodeSettings, "namespace">): string {
    const l = canaryScrapeLabels(names, s);
    return `job="${l.job}",namespace="${l.namespace}"`;
}
