// Defaults for every stack setting. Pulumi.yaml documents the same values; a test keeps them in step.

/** The Tinode release this program is built and tested against (image tag, e2e tools). */
export const TINODE_VERSION = "0.25.3";

/**
 * Tinode's published API key salt. Keeping it as the default means the web app bundled in the
 * image (which carries the matching key) works out of the box; set `tinode:apiKeySalt` to change it.
 * The API key only identifies a client app; it is not an access control.
 */
export const PUBLISHED_API_KEY_SALT = "T713/rYYgW7g4m3vG6zGRh7+FM1t0T8j13koXScOAj4=";

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

/** Ports inside the pods. Fixed: nothing outside the pod sees them except through the Services. */
export const PORTS = {
    http: 6060,
    grpc: 16060,
    cluster: 12000,
    mysql: 3306,
    /** Tinode's exporter (monitoring/exporter/main.go, --listen_at default :6222). */
    metrics: 6222,
} as const;

/** Paths inside the Tinode image (docker/tinode/Dockerfile of the Tinode release). */
export const IMAGE_PATHS = {
    home: "/opt/tinode",
    server: "/opt/tinode/tinode",
    initDb: "/opt/tinode/init-db",
    staticData: "/opt/tinode/static",
    sampleData: "/opt/tinode/data.json",
    configDir: "/etc/tinode",
    configFile: "/etc/tinode/tinode.conf",
    /** Email templates (server/templ of the release). */
    templates: "/opt/tinode/templ",
} as const;

/** Files next to tinode.conf in the config Secret, and the mount of an operator's ICE servers Secret. */
export const FEATURE_FILES = {
    fcmCredentialsKey: "fcm-credentials.json",
    fcmCredentialsFile: "/etc/tinode/fcm-credentials.json",
    iceServersDir: "/etc/tinode-ice",
    iceServersFile: "/etc/tinode-ice/ice-servers.json",
} as const;

/** Tinode's expvar path: the only HTTP endpoint a probe can use (there is no health endpoint). */
export const EXPVAR_PATH = "/stats/expvar/";

/**
 * Tinode's snowflake worker id is the node's position in the sorted node list plus one and must be
 * at most 1023 (server/store/store.go), which caps the cluster size.
 */
export const MAX_REPLICAS = 1023;
