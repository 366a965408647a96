// Part of the config key registry (config/keys.ts puts the parts together, in this order).
// The Tinode servers' keys (area "server") and where their pods run ("scheduling").
import { TINODE_VERSION } from "../../tinode/facts";
import type { KeySpec } from "./spec";

export const SERVER_KEYS = {
    replicas: {
        type: "integer",
        default: 3,
        area: "server",
        description:
            "Tinode nodes (1-1023). 1 runs standalone; 2 clusters without failover; 3 or more cluster with failover. Odd counts are best.",
    },
    namespace: {
        type: "string",
        default: "tinode",
        area: "server",
        description: "Kubernetes namespace for everything in this stack (a DNS label).",
    },
    createNamespace: {
        type: "boolean",
        default: true,
        area: "server",
        description: 'Create the namespace (with Pod Security Admission "restricted"). Set false when it exists already.',
    },
    clusterDomain: {
        type: "string",
        default: "cluster.local",
        area: "server",
        description: "The cluster's DNS domain; node addresses are <pod>.<headless service>.<namespace>.svc.<domain>.",
    },
    image: {
        type: "string",
        default: `tinode/tinode-mysql:${TINODE_VERSION}`,
        area: "server",
        description: "Tinode image, pinned to a tag (not latest) or digest. A new tag re-runs the schema Job before pods roll.",
    },
    imagePullPolicy: {
        type: "string",
        default: "IfNotPresent",
        area: "server",
        description: "Always, IfNotPresent or Never.",
    },
    heartbeatMs: {
        type: "integer",
        default: 100,
        area: "server",
        description:
            "Failover heartbeat in milliseconds (10-60000). Nodes tick every 0.75-1.25 heartbeats; a dead follower leaves both survivors' rings within 1.25 x heartbeatMs x (nodeFailAfter + 2), a dead leader within 1.25 x heartbeatMs x (voteAfter + nodeFailAfter + 2), and voteAfter ticks more per failed election round (4.25 s with the defaults and one).",
    },
    voteAfter: {
        type: "integer",
        default: 8,
        area: "server",
        description: "Missed heartbeats before a new leader is elected (1-1000).",
    },
    nodeFailAfter: {
        type: "integer",
        default: 16,
        area: "server",
        description: "Failed health checks before the leader drops a node (1-1000).",
    },
    terminationGracePeriodSeconds: {
        type: "integer",
        default: 30,
        area: "server",
        description: "Seconds a Tinode pod gets to shut down after SIGTERM (1-3600).",
    },
    sampleData: {
        type: "boolean",
        default: false,
        area: "server",
        description: "Load Tinode's sample users into a newly created database. They have published passwords - development only.",
    },
    apiKeySalt: {
        type: "string",
        default: "",
        area: "server",
        secret: true,
        description:
            "Standard base64 of 32 random bytes (set with --secret). Empty uses Tinode's published salt, which the bundled web app's key matches. The stack output apiKey is the key for the salt in use.",
    },
    resources: {
        type: "object",
        default: {},
        area: "server",
        argType: "{ [container: string]: ContainerResourcesArgs }",
        description:
            "Requests and limits per container (tinode, mysql, dbInit, backup, exporter, canary, healer, tlsProxy) over the defaults of config/resources.ts, e.g. pulumi config set --path tinode:resources.tinode.limits.memory 1Gi.",
    },
    selfHeal: {
        type: "boolean",
        default: true,
        area: "server",
        description:
            'With more than one replica, a small Deployment that restarts (evicts) a Tinode pod whose log shows a topic refusing every message with a stale sequence id (a Tinode 0.25.3 bug after a ring change; README, "A topic that refuses every message"). It may read the Tinode pods\' logs and evict them, nothing else.',
    },
    // The canary's Node.js: one image for both scripts.
    selfHealImage: {
        type: "string",
        default: "node:24.11.1-alpine3.22",
        area: "server",
        description: "The self-healer's Node.js image (18 or later), pinned.",
    },
    priorityClassName: {
        type: "string",
        default: "",
        area: "scheduling",
        description: "PriorityClass for every pod of the stack.",
    },
    nodeSelector: {
        type: "object",
        default: {},
        area: "scheduling",
        argType: "{ [key: string]: string }",
        description: "Node labels every pod must match, e.g. pulumi config set --path 'tinode:nodeSelector[\"kubernetes.io/os\"]' linux.",
    },
    tolerations: {
        type: "array",
        default: [],
        area: "scheduling",
        argType: "TolerationArgs[]",
        description: 'Tolerations for every pod, e.g. pulumi config set --path "tinode:tolerations[0].key" dedicated.',
    },
} as const satisfies Record<string, KeySpec>;
