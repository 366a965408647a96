// Part of the config key registry (config/keys.ts puts the parts together, in this order).
// Tinode's features (area "features"), media uploads ("media") and monitoring ("monitoring").
import { TINODE_VERSION } from "../../tinode/facts";
import type { KeySpec } from "./spec";

export const FEATURE_KEYS = {
    email: {
        type: "object",
        default: {},
        area: "features",
        argType: "{ [field: string]: any }",
        secretFields: ["password", "debugResponse"],
        description:
            "Email verification, required for new accounts - smtpHost, smtpPort (587), sender, hostUrl, login, password (--secret), authMechanism (plain, login, cram-md5), insecureSkipVerify, heloHost, domains, languages, maxRetries, codeLength, debugResponse (dev only). E.g. pulumi config set --path tinode:email.smtpHost smtp.example.com. Empty - off.",
    },
    push: {
        type: "object",
        default: {},
        area: "features",
        argType: "{ [field: string]: any }",
        secretFields: ["tnpg.token", "fcm.credentials"],
        description:
            "Push notifications - tnpg (enabled, org, token --secret) and/or fcm (enabled, credentials = the service-account JSON --secret, timeToLive, dryRun, apnsBundleId, android/apns/webpush payloads in Tinode's field names). E.g. pulumi config set --path tinode:push.fcm.enabled true. Empty - off.",
    },
    webrtc: {
        type: "object",
        default: {},
        area: "features",
        argType: "{ [field: string]: any }",
        secretFields: ["iceServers[].credential"],
        description:
            "Video and voice calls - enabled, callTimeoutSeconds (30), iceServers (list of urls, username, credential --secret) or iceServersSecret (a Secret with key ice-servers.json). Empty - off.",
    },
    // Tinode's own default is 512 KiB (server/main.go); this program has always set 4 MiB.
    maxMessageKb: {
        type: "integer",
        default: 4096,
        area: "features",
        description:
            "Largest message a client may send, in KiB (16-65536; max_message_size). The Ingress body limit follows it and mediaMaxUploadMb.",
    },
    defaultCountryCode: {
        type: "string",
        default: "",
        area: "features",
        description: "Country (ISO 3166-1 alpha-2, e.g. DE) Tinode assumes for sessions that do not say. Empty - Tinode's default, US.",
    },
    permanentAccounts: {
        type: "boolean",
        default: false,
        area: "features",
        description: "Users cannot delete their own accounts (permanent_accounts).",
    },
    unverifiedAccountGcHours: {
        type: "integer",
        default: 0,
        area: "features",
        description:
            "Delete accounts that never logged in and confirmed no email after this many hours (acc_gc_config; needs email). 0 - never.",
    },
    mediaHandler: {
        type: "string",
        default: "none",
        area: "media",
        description: "Uploads - none, fs (one volume shared by every node) or s3.",
    },
    mediaMaxUploadMb: {
        type: "integer",
        default: 32,
        area: "media",
        description: "Largest upload in MiB (1-4096), with mediaHandler fs or s3.",
    },
    mediaStorageSize: {
        type: "string",
        default: "20Gi",
        area: "media",
        description: "Size of the upload volume (mediaHandler fs).",
    },
    mediaStorageClass: {
        type: "string",
        default: "",
        area: "media",
        description: "Storage class of the upload volume (mediaHandler fs); it must offer mediaAccessMode. Empty uses the default class.",
    },
    mediaAccessMode: {
        type: "string",
        default: "ReadWriteMany",
        area: "media",
        description: "Access mode of the upload volume - ReadWriteMany, or ReadWriteOnce with a single replica only.",
    },
    mediaS3Bucket: {
        type: "string",
        default: "",
        area: "media",
        description: "S3 bucket for uploads (mediaHandler s3).",
    },
    mediaS3Region: {
        type: "string",
        default: "",
        area: "media",
        description: "S3 region (mediaHandler s3).",
    },
    mediaS3Endpoint: {
        type: "string",
        default: "",
        area: "media",
        description: "S3-compatible endpoint URL (MinIO etc.); path-style requests are used with it. Empty - AWS.",
    },
    mediaS3AccessKeyId: {
        type: "string",
        default: "",
        area: "media",
        description: "S3 access key id (mediaHandler s3).",
    },
    mediaS3SecretAccessKey: {
        type: "string",
        default: "",
        area: "media",
        secret: true,
        description: "S3 secret access key (mediaHandler s3; set with --secret). Kept in the config Secret.",
    },
    mediaCorsOrigins: {
        type: "array",
        default: [],
        area: "media",
        argType: "string[]",
        description:
            "Origins of web clients served from another host, allowed to fetch uploads (cors_origins of the fs/s3 handler), e.g. pulumi config set --path 'tinode:mediaCorsOrigins[0]' https://web.example.com. * alone allows any.",
    },
    monitoringExporter: {
        type: "boolean",
        default: true,
        area: "monitoring",
        description:
            'Run Tinode\'s metrics exporter (tinode/exporter, Prometheus format on port 6222 "metrics") next to every Tinode node, with a headless Service <name>-metrics. Needed by every other monitoring key.',
    },
    monitoringExporterImage: {
        type: "string",
        default: `tinode/exporter:${TINODE_VERSION}`,
        area: "monitoring",
        description: "The exporter's image, pinned; keep it at the server's version.",
    },
    // kube-prometheus-stack's usual namespace, and the label the Prometheus Operator puts on every
    // Prometheus pod it runs.
    monitoringScrapeNamespace: {
        type: "string",
        default: "monitoring",
        area: "monitoring",
        description: "Namespace of the Prometheus allowed to scrape the metrics port (NetworkPolicy); * for any namespace.",
    },
    monitoringScrapePodLabel: {
        type: "string",
        default: "app.kubernetes.io/name=prometheus",
        area: "monitoring",
        description: "One label (key=value) of the Prometheus pods allowed to scrape the metrics port (NetworkPolicy); * for any pod.",
    },
    monitoringScrapeIntervalSeconds: {
        type: "integer",
        default: 30,
        area: "monitoring",
        description:
            "Scrape and rule evaluation interval (1-300 s) of the monitor and rules; the alerts' for durations derive from it and from the failover settings.",
    },
    monitoringMonitor: {
        type: "string",
        default: "none",
        area: "monitoring",
        description:
            "none, PodMonitor or ServiceMonitor (monitoring.coreos.com/v1, needs the Prometheus Operator's CRDs, e.g. kube-prometheus-stack).",
    },
    monitoringRules: {
        type: "boolean",
        default: false,
        area: "monitoring",
        description:
            "A PrometheusRule with Tinode's alerts (needs the Prometheus Operator's CRDs; the Kubernetes-side alerts need kube-state-metrics).",
    },
    monitoringDashboard: {
        type: "boolean",
        default: true,
        area: "monitoring",
        description: 'A Grafana dashboard as a ConfigMap labelled grafana_dashboard "1", which Grafana\'s dashboard sidecar loads.',
    },
    monitoringRelease: {
        type: "string",
        default: "",
        area: "monitoring",
        description:
            "Adds the label release=<value> to the monitor and rules, which kube-prometheus-stack's Prometheus selects by default (its Helm release name).",
    },
    monitoringCanary: {
        type: "boolean",
        default: false,
        area: "monitoring",
        description:
            "A Deployment whose client (the official tinode-sdk) has a session on every Tinode pod and checks each round that every pod delivers to every other; its metrics feed the TinodeDeliveryBroken alert (a split ring looks healthy to the exporter). Makes one account, canary-<stack name>.",
    },
    // Node.js 24 (LTS): a global WebSocket without flags, which the canary needs.
    monitoringCanaryImage: {
        type: "string",
        default: "node:24.11.1-alpine3.22",
        area: "monitoring",
        description: "The canary's Node.js image (22 or later, for its global WebSocket), pinned.",
    },
    monitoringCanaryIntervalSeconds: {
        type: "integer",
        default: 30,
        area: "monitoring",
        description: "Seconds between the canary's rounds (5-300); TinodeDeliveryBroken fires after a split has lasted several rounds.",
    },
} as const satisfies Record<string, KeySpec>;
