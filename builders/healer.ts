// The self-healer (healer/healer.js): a Deployment that evicts a Tinode pod whose log shows a topic
// refusing every message with a stale sequence id (Tinode 0.25.3, docs/upstream-stale-topic-seq.md),
// which no roll timing prevents and Tinode never leaves while clients stay subscribed. Restarting the
// pod reloads the topic from the database: nothing is lost (unlike the split ring of
// docs/upstream-ring-split.md, whose heal stays with the operator: README, "A split ring (runbook)").
//
// Least privilege: a ServiceAccount of its own whose Role may get the StatefulSet, read the logs of
// its pods and evict them, by name, and nothing else; the script is mounted from a ConfigMap, so the
// image is a stock Node.js one.
import { readFileSync } from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import { SelfHealSettings, TinodeSettings } from "../config/settings";
import { podNames } from "./clusterNodes";
import { sha256 } from "./hash";
import { labels, objectMeta, selectorLabels } from "./labels";
import { ObjectNames } from "./names";
import { containerSecurityContext, podSecurityContext } from "./security";
import { TINODE_CONTAINER } from "./tinodeStatefulSet";

/** The official Node.js image runs as `node`, uid 1000. */
const NODE_UID = 1000;
const MOUNT = "/healer";
/** Where /healthz is served (the liveness probe's). */
export const HEALER_PORT = 8080;

/**
 * When to act, in seconds and failures (the script's environment). A refused message is retried
 * by apps within seconds, so three failures of one topic in two minutes, the last one recent, is
 * the stuck state and not a one-off; the cooldown leaves time for the restarted pod to rejoin
 * (the settle probe, builders/clusterSettle.ts: 20-30 s on real kubelets) before another restart is
 * considered, and the healer also waits until every pod is Ready. Short, because a restart does not
 * always heal: the restarted pod takes its topics back, and a busy topic can go stale again in that
 * same ring change (bench:rolls, 6 messages a second on one topic).
 */
export const HEAL_TIMING = { intervalSeconds: 10, windowSeconds: 120, threshold: 3, cooldownSeconds: 60 } as const;

/**
 * The API server's ports the healer may reach: 443 (the kubernetes Service, and managed control
 * planes) and 6443 (kubeadm's and most self-run control planes, where NetworkPolicy sees the
 * endpoint after kube-proxy's translation). Its address differs between clusters, so any address.
 */
export const API_SERVER_PORTS = [443, 6443] as const;

export interface HealerFiles {
    "healer.js": string;
}

export function healerFiles(): HealerFiles {
    return { "healer.js": readFileSync(path.join(__dirname, "..", "healer", "healer.js"), "utf8") };
}

export function healerConfigMapArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    h: SelfHealSettings,
    files: HealerFiles,
): k8s.core.v1.ConfigMapArgs {
    return { metadata: objectMeta(instance, s, names.healer, "healer", h.image), data: { ...files } };
}

export function healerServiceAccountArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    h: SelfHealSettings,
): k8s.core.v1.ServiceAccountArgs {
    return { metadata: objectMeta(instance, s, names.healer, "healer", h.image), automountServiceAccountToken: false };
}

/** Exactly the calls healer.js makes, on the objects it makes them on. */
export function healerRoleArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace" | "replicas">,
    h: SelfHealSettings,
): k8s.rbac.v1.RoleArgs {
    const pods = podNames(names.tinode, s.replicas);
    return {
        metadata: objectMeta(instance, s, names.healer, "healer", h.image),
        rules: [
            { apiGroups: ["apps"], resources: ["statefulsets"], resourceNames: [names.tinode], verbs: ["get"] },
            { apiGroups: [""], resources: ["pods/log"], resourceNames: pods, verbs: ["get"] },
            { apiGroups: [""], resources: ["pods/eviction"], resourceNames: pods, verbs: ["create"] },
        ],
    };
}

export function healerRoleBindingArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    h: SelfHealSettings,
): k8s.rbac.v1.RoleBindingArgs {
    return {
        metadata: objectMeta(instance, s, names.healer, "healer", h.image),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.healer },
        subjects: [{ kind: "ServiceAccount", name: names.healer, namespace: s.namespace }],
    };
}

export function healerDeploymentArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "imagePullPolicy" | "namespace" | "resources">,
    h: SelfHealSettings,
    files: HealerFiles,
): k8s.apps.v1.DeploymentArgs {
    const t = HEAL_TIMING;
    return {
        metadata: {
            ...objectMeta(instance, s, names.healer, "healer", h.image),
            // The official Node.js image's user (uid 1000, below kube-score's 10000): lint/kube-score-ignore.txt.
            annotations: { "kube-score/ignore": "container-security-context-user-group-id" },
        },
        spec: {
            replicas: 1,
            // One healer at a time: two could each evict a pod for the same topic.
            strategy: { type: "Recreate" },
            selector: { matchLabels: selectorLabels(instance, "healer") },
            template: {
                metadata: {
                    labels: labels(instance, "healer", h.image),
                    // A new script restarts the healer (a ConfigMap change alone would not).
                    annotations: { "tinode.co/healer-files": sha256(JSON.stringify(files), 16) },
                },
                spec: {
                    serviceAccountName: names.healer,
                    // The only pod of this stack that talks to the API server: its token is mounted here alone.
                    automountServiceAccountToken: true,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(NODE_UID),
                    containers: [
                        {
                            name: "healer",
                            image: h.image,
                            imagePullPolicy: s.imagePullPolicy,
                            command: ["node", `${MOUNT}/healer.js`],
                            env: [
                                { name: "HEAL_NAMESPACE", value: s.namespace },
                                { name: "HEAL_STATEFULSET", value: names.tinode },
                                { name: "HEAL_CONTAINER", value: TINODE_CONTAINER },
                                { name: "HEAL_INTERVAL_SECONDS", value: String(t.intervalSeconds) },
                                { name: "HEAL_WINDOW_SECONDS", value: String(t.windowSeconds) },
                                { name: "HEAL_THRESHOLD", value: String(t.threshold) },
                                { name: "HEAL_COOLDOWN_SECONDS", value: String(t.cooldownSeconds) },
                                { name: "HEAL_PORT", value: String(HEALER_PORT) },
                            ],
                            ports: [{ name: "health", containerPort: HEALER_PORT, protocol: "TCP" }],
                            // /healthz fails once no round has completed for a minute (a hung call).
                            livenessProbe: {
                                httpGet: { path: "/healthz", port: "health" },
                                periodSeconds: 30,
                                timeoutSeconds: 5,
                                failureThreshold: 3,
                            },
                            resources: s.resources.healer,
                            securityContext: containerSecurityContext(),
                            volumeMounts: [{ name: "files", mountPath: MOUNT, readOnly: true }],
                        },
                    ],
                    volumes: [{ name: "files", configMap: { name: names.healer } }],
                },
            },
        },
    };
}
