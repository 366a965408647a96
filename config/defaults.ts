// Defaults of the stack settings (config keys). Pulumi.yaml documents the same values; a test keeps
// them in step. Facts about Tinode itself are in tinode/facts.ts.
import { TINODE_VERSION } from "../tinode/facts";

export const DEFAULTS = {
    namespace: "tinode",
    createNamespace: true,
    replicas: 3,
    clusterDomain: "cluster.local",
    image: `tinode/tinode-mysql:${TINODE_VERSION}`,
    imagePullPolicy: "IfNotPresent",
    heartbeatMs: 100,
    voteAfter: 8,
    nodeFailAfter: 16,
    terminationGracePeriodSeconds: 30,
    sampleData: false,
    mysqlImage: "mysql:8.4.6",
    mysqlStorageSize: "10Gi",
    mysqlDatabase: "tinode",
    mysqlUser: "tinode",
    mysqlExternalPort: 3306,
    schemaDumpStorageSize: "10Gi",
    networkPolicies: true,
    serviceType: "ClusterIP",
    ingressTlsTerminatedUpstream: false,
    mediaHandler: "none",
    mediaMaxUploadMb: 32,
    mediaStorageSize: "20Gi",
    mediaAccessMode: "ReadWriteMany",
    protectData: false,
    deleteDataOnDestroy: false,
    // Tinode's own default is 512 KiB (server/main.go); this program has always set 4 MiB.
    maxMessageKb: 4096,
    permanentAccounts: false,
    unverifiedAccountGcHours: 0,
    backupDestination: "none",
    backupSchedule: "0 3 * * *",
    backupRetention: 7,
    backupStorageSize: "20Gi",
    // The AWS CLI for S3 and S3-compatible servers. 2.22.x: from 2.23 the CLI adds checksums by
    // default that several S3-compatible servers reject (the job also turns them off explicitly).
    backupS3Image: "amazon/aws-cli:2.22.35",
    monitoringExporter: true,
    monitoringExporterImage: `tinode/exporter:${TINODE_VERSION}`,
    // kube-prometheus-stack's usual namespace, and the label the Prometheus Operator puts on every
    // Prometheus pod it runs.
    monitoringScrapeNamespace: "monitoring",
    monitoringScrapePodLabel: "app.kubernetes.io/name=prometheus",
    monitoringScrapeIntervalSeconds: 30,
    monitoringMonitor: "none",
    monitoringRules: false,
    monitoringDashboard: true,
    monitoringRelease: "",
    monitoringCanary: false,
    // Node.js 24 (LTS): a global WebSocket without flags, which the canary needs.
    monitoringCanaryImage: "node:24.11.1-alpine3.22",
    monitoringCanaryIntervalSeconds: 30,
    selfHeal: true,
    // The canary's Node.js: one image for both scripts.
    selfHealImage: "node:24.11.1-alpine3.22",
} as const;

/** Defaults inside the structured feature keys (tinode:email, tinode:push, tinode:webrtc). */
export const FEATURE_DEFAULTS = {
    // The submission port: providers take authenticated mail with STARTTLS there (Tinode's own default is 25).
    smtpPort: 587,
    authMechanism: "plain",
    // The languages the image's own config offers (docker/tinode/config.template); templates in /opt/tinode/templ.
    emailLanguages: ["en", "es", "fr", "ru", "vi", "zh"],
    emailMaxRetries: 3,
    emailCodeLength: 6,
    fcmTimeToLive: 3600,
    callTimeoutSeconds: 30,
    iceServersSecretKey: "ice-servers.json",
    // Unverified-account GC: how often and how many per pass (docker/tinode/config.template uses 3600 s / 10).
    accountGcPeriodSeconds: 3600,
    accountGcBlockSize: 100,
} as const;
