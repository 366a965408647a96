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
    networkPolicies: true,
    serviceType: "ClusterIP",
    mediaHandler: "none",
    mediaMaxUploadMb: 32,
    mediaStorageSize: "20Gi",
    mediaAccessMode: "ReadWriteMany",
    protectData: false,
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
} as const;

/** Tinode's expvar path: the only HTTP endpoint a probe can use (there is no health endpoint). */
export const EXPVAR_PATH = "/stats/expvar/";

/**
 * Tinode's snowflake worker id is the node's position in the sorted node list plus one and must be
 * at most 1023 (server/store/store.go), which caps the cluster size.
 */
export const MAX_REPLICAS = 1023;
