// Tinode's own facts: what the server and its images are, not what a stack chooses. Settings
// (config/) and builders (builders/) both read them; this folder imports neither.

/** The Tinode release this program is built and tested against (image tag, e2e tools). */
export const TINODE_VERSION = "0.25.3";

/**
 * Tinode's published API key salt. Keeping it as the default means the web app bundled in the
 * image (which carries the matching key) works out of the box; set `tinode:apiKeySalt` to change it.
 * The API key only identifies a client app; it is not an access control.
 */
export const PUBLISHED_API_KEY_SALT = "T713/rYYgW7g4m3vG6zGRh7+FM1t0T8j13koXScOAj4=";

/** The API key salt is 32 bytes (server/main.go hmac salt; keygen/keygen.go). */
export const API_KEY_SALT_BYTES = 32;
/** store_config.uid_key: the key user ids are encrypted with (server/store/types: 16 bytes, XTEA). */
export const UID_KEY_BYTES = 16;
/** auth_config.token.key: the HMAC key auth tokens are signed with (32 bytes or more). */
export const TOKEN_KEY_BYTES = 32;

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

/**
 * A node's failover tick lasts between 0.75 and 1.25 heartbeats, drawn once at start
 * (server/cluster_leader.go failoverInit: `hb/2 + hb/4 + rand(hb/2)`): the longest, in heartbeats.
 */
export const LONGEST_FAILOVER_TICK = 1.25;

/** Tinode's expvar path: the only HTTP endpoint a probe can use (there is no health endpoint). */
export const EXPVAR_PATH = "/stats/expvar/";

/**
 * Every path Tinode serves to clients on its HTTP port, and nothing else: what a public route may
 * carry. The API under api_path "/" (server/main.go: v0/channels for websockets, v0/channels/lp for
 * long polling, v0/file/u/ and v0/file/s/ for uploads and downloads) and the web app that
 * static_mount "/" serves from the image (tinode-webapp 0.25.3: index.html and the files and folders
 * it loads; the service workers' own scripts). The same port also serves internal endpoints, which
 * no public route may carry: expvar (EXPVAR_PATH: version, command line, memory, node names) and,
 * when configured, the server status page and pprof.
 */
export const PUBLIC_HTTP_PATHS = {
    prefixes: ["/v0", "/umd", "/css", "/img", "/audio"],
    exact: ["/", "/index.html", "/manifest.json", "/version.js", "/firebase-init.js", "/service-worker.js", "/firebase-messaging-sw.js"],
} as const;

/**
 * Tinode's snowflake worker id is the node's position in the sorted node list plus one and must be
 * at most 1023 (server/store/store.go), which caps the cluster size.
 */
export const MAX_REPLICAS = 1023;

/** Where the fs media handler keeps uploads inside the pod: a path of this program, on the media volume (not in the image). */
export const UPLOAD_DIR = "/var/lib/tinode/uploads";

/**
 * The Tinode image runs as root by default but needs no privilege: it reads /opt/tinode and its
 * config and writes nothing but logs to stderr. 65534 is "nobody".
 */
export const TINODE_UID = 65534;
/** The mysql user of the official MySQL image; its entrypoint supports running as that user. */
export const MYSQL_UID = 999;
/** The backup pods run client tools only (mysqldump, gzip, the AWS CLI): "nobody" will do. */
export const BACKUP_UID = 65534;

/**
 * One node runs standalone (no cluster_config: a node list holding only itself is fatal to Tinode);
 * from two nodes Tinode runs as a cluster, with its RPC port open between the nodes.
 */
export function isCluster(replicas: number): boolean {
    return replicas >= 2;
}

/** Leader election and moving a dead node's topics (failover) need three or more nodes. */
export function hasFailover(replicas: number): boolean {
    return replicas >= 3;
}
