// The one list of the stack's config keys: each key's type, default, area and description, and
// whether its value must be a Pulumi secret. Everything else follows from it: DEFAULTS
// (config/defaults.ts), the --secret rule (config/reader.ts), Pulumi.yaml's config block, the
// README's configuration reference and the component's args, TinodeClusterArgs (`npm run config:docs`
// writes the three; test/configKeys.test.ts fails when one differs). How each value is checked stays with its reader (config/read*.ts).
import { TINODE_VERSION } from "../tinode/facts";

export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

/** The README's sections of the reference, in this order. */
export const AREAS = {
    server: "Tinode servers",
    database: "Database",
    exposure: "Exposure and isolation",
    media: "Media uploads",
    features: "Tinode features",
    scheduling: "Scheduling",
    backup: "Backups",
    monitoring: "Monitoring",
    data: "Data safety and rendering",
} as const;

export interface KeySpec {
    type: KeyType;
    /** What Pulumi.yaml declares; "" means unset, and the reader may then use a value of its own. */
    default: string | number | boolean | readonly string[] | Readonly<Record<string, never>>;
    area: keyof typeof AREAS;
    /** The value must be set with `pulumi config set --secret` (refused otherwise). */
    secret?: true;
    /**
     * Fields of a structured key that must be set with `pulumi config set --path --secret`; `[]`
     * stands for any list index. Pulumi then marks the whole key secret, which is what the program
     * can check (refused otherwise).
     */
    secretFields?: readonly string[];
    /** One paragraph: Pulumi.yaml's description and the README's. */
    description: string;
    /**
     * The component arg's TypeScript type (config/args.ts), where `type` alone does not say it:
     * structured keys. Types it names come from config/argTypes.ts.
     */
    argType?: string;
    /** Read by the stack program only (it compares with the stack's last deployment): not an arg. */
    stackOnly?: true;
}

export const CONFIG_KEYS = {
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
    mysqlImage: {
        type: "string",
        default: "mysql:8.4.6",
        area: "database",
        description: "MySQL image for the deployed database (MySQL 8 or newer - Tinode's schema uses utf8mb4_0900_ai_ci).",
    },
    mysqlStorageSize: {
        type: "string",
        default: "10Gi",
        area: "database",
        description: "Size of the MySQL volume (a Kubernetes quantity).",
    },
    mysqlStorageClass: {
        type: "string",
        default: "",
        area: "database",
        description: "Storage class of the MySQL volume. Empty uses the cluster's default class.",
    },
    mysqlDatabase: {
        type: "string",
        default: "tinode",
        area: "database",
        description: "Tinode's database name. init-db creates it; it must not exist beforehand.",
    },
    mysqlUser: {
        type: "string",
        default: "tinode",
        area: "database",
        description: "MySQL user for Tinode, allowed to create and use only Tinode's database.",
    },
    mysqlExternalDsn: {
        type: "string",
        default: "",
        area: "database",
        secret: true,
        description:
            "Use an external MySQL - a go-sql-driver DSN with parseTime=true, e.g. user:pw@tcp(db:3306)/tinode?parseTime=true (set with --secret). Deploys no MySQL.",
    },
    mysqlExternalHost: {
        type: "string",
        default: "",
        area: "database",
        description:
            "Use an external MySQL at this host (with mysqlExternalUser and mysqlExternalPassword). Deploys no MySQL. Not together with mysqlExternalDsn.",
    },
    mysqlExternalPort: {
        type: "integer",
        default: 3306,
        area: "database",
        description: "Port of the external MySQL given by mysqlExternalHost.",
    },
    mysqlExternalUser: {
        type: "string",
        default: "",
        area: "database",
        description: "User for the external MySQL given by mysqlExternalHost; it needs the right to create Tinode's database.",
    },
    mysqlExternalPassword: {
        type: "string",
        default: "",
        area: "database",
        secret: true,
        description: "Password for mysqlExternalUser (set with --secret).",
    },
    mysqlExternalClientImage: {
        type: "string",
        default: "",
        area: "database",
        description:
            "Image with MySQL's client tools (mysqladmin, mysqldump) for an external MySQL - the wait for the database, the schema Job's dump, the backups; pinned. Empty - mysqlImage's default (the deployed MySQL's own image is used otherwise).",
    },
    mysqlExternalTls: {
        type: "boolean",
        default: false,
        area: "database",
        description:
            "Reach the external MySQL over TLS and verify its certificate (go-sql-driver tls=true) - against mysqlExternalCaSecret, else the system CAs. A DSN with tls=true says the same.",
    },
    mysqlExternalCaSecret: {
        type: "string",
        default: "",
        area: "database",
        description:
            "Secret in the stack's namespace whose ca.crt signed the external MySQL's certificate; the servers, the schema Job, its dumps and the backups verify the server against it. Needs mysqlExternalTls.",
    },
    mysqlExternalRuntimeUser: {
        type: "string",
        default: "",
        area: "database",
        description:
            "The servers' own user on the external MySQL, with data rights only (GRANT SELECT, INSERT, UPDATE, DELETE ON <database>.*); the schema Job, dumps and backups keep the main user. Empty - the servers use the main user.",
    },
    mysqlExternalRuntimePassword: {
        type: "string",
        default: "",
        area: "database",
        secret: true,
        description: "Password for mysqlExternalRuntimeUser (set with --secret).",
    },
    schemaDumpStorageSize: {
        type: "string",
        default: "10Gi",
        area: "database",
        description:
            "Size of the volume that keeps the dump the schema Job takes before init-db upgrades an existing database (it must hold one dump of Tinode's database per upgrade; a full volume stops the upgrade, nothing is changed).",
    },
    resources: {
        type: "object",
        default: {},
        area: "server",
        argType: "{ [container: string]: ContainerResourcesArgs }",
        description:
            "Requests and limits per container (tinode, mysql, dbInit, backup, exporter, canary, healer, tlsProxy) over the defaults of config/resources.ts, e.g. pulumi config set --path tinode:resources.tinode.limits.memory 1Gi.",
    },
    networkPolicies: {
        type: "boolean",
        default: true,
        area: "exposure",
        description:
            "NetworkPolicies - only Tinode pods reach the cluster port (its RPC has no authentication), only Tinode and the schema Job reach MySQL, clients reach only HTTP/gRPC. Needs a CNI that enforces them.",
    },
    networkIsolatedElsewhere: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that another layer (a service mesh's mutual TLS and authorization, the CNI's own policies) keeps other pods away from Tinode's cluster port and MySQL. Required to turn networkPolicies off with more than one replica.",
    },
    serviceType: {
        type: "string",
        default: "ClusterIP",
        area: "exposure",
        description:
            "Type of the client Service - ClusterIP, NodePort or LoadBalancer. NodePort and LoadBalancer take clients directly, so they need TLS - serviceTlsSecret or serviceClusterIssuer (a TLS proxy in each Tinode pod), or serviceTlsTerminatedUpstream.",
    },
    serviceTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "kubernetes.io/tls Secret in the stack's namespace with the certificate a NodePort or LoadBalancer Service serves - a TLS proxy in each Tinode pod ends TLS on port 443 (HTTP, websocket) and 16060 (gRPC) and forwards only Tinode's public paths; cert-manager fills it when serviceClusterIssuer is set (default name <name>-service-tls then).",
    },
    serviceClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description: "cert-manager ClusterIssuer that issues the certificate of a NodePort or LoadBalancer Service for serviceHost.",
    },
    serviceHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "The DNS name clients use for a NodePort or LoadBalancer Service (e.g. chat.example.com) - the name of the certificate serviceClusterIssuer issues.",
    },
    serviceTlsTerminatedUpstream: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that TLS ends before a NodePort or LoadBalancer Service (the cloud load balancer's own TLS listener). The Service then publishes Tinode's plain ports 6060 and 16060.",
    },
    tlsProxyImage: {
        type: "string",
        default: "traefik:v3.7.13",
        area: "exposure",
        description: "Image of the TLS proxy next to each Tinode pod (serviceTlsSecret or serviceClusterIssuer) - Traefik, pinned.",
    },
    serviceAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations of the client Service - settings of a cloud load balancer, or per-Service options of a controller (with the Ingress provider of Traefik, traefik.ingress.kubernetes.io/service.sticky.cookie set to true keeps each long-poll client on one pod), e.g. pulumi config set --path 'tinode:serviceAnnotations[\"key\"]' value.",
    },
    ingressHost: {
        type: "string",
        default: "",
        area: "exposure",
        description: "Create an Ingress for HTTP/websocket clients at this host (e.g. chat.example.com). Empty - no Ingress.",
    },
    ingressClassName: {
        type: "string",
        default: "",
        area: "exposure",
        description: "IngressClass of the Ingress. Empty uses the cluster's default class.",
    },
    ingressTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Secret with the TLS certificate for ingressHost (cert-manager fills it when ingressClusterIssuer is set; default name tinode-tls then).",
    },
    ingressClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description: "cert-manager ClusterIssuer that issues the Ingress certificate.",
    },
    ingressAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations for your Ingress controller on both Ingresses (they win over the ingress-nginx ones the program sets), e.g. pulumi config set --path 'tinode:ingressAnnotations[\"haproxy.org/timeout-tunnel\"]' 1h. README, Exposure, lists what Traefik, HAProxy and F5 NGINX need.",
    },
    ingressGrpcServiceAnnotations: {
        type: "object",
        default: {},
        area: "exposure",
        argType: "{ [key: string]: string }",
        description:
            "Annotations of the Service the gRPC Ingress (ingressGrpcHost) routes to, a Service of the gRPC port alone - for controllers that read the backend protocol from the Service (Traefik, traefik.ingress.kubernetes.io/service.serversscheme set to h2c).",
    },
    ingressTlsTerminatedUpstream: {
        type: "boolean",
        default: false,
        area: "exposure",
        description:
            "Say that TLS ends before the Ingress (a load balancer or proxy in front of it). Without it, an ingressHost needs ingressTlsSecret or ingressClusterIssuer - logins must not cross the network in clear text.",
    },
    ingressGrpcHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "A second Ingress for gRPC clients at this host (ingress-nginx backend-protocol GRPC), with ingressHost's class and TLS; needs TLS (ingressClusterIssuer or ingressTlsSecret). Empty - no gRPC Ingress (serviceType LoadBalancer also exposes gRPC).",
    },
    gatewayName: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Attach an HTTPRoute for HTTP/websocket clients (Gateway API, standard channel) to this Gateway, which you run; its listener ends TLS. Empty - no route (or the stack's own Gateway, gatewayClassName).",
    },
    gatewayClassName: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "Make a Gateway of this GatewayClass in the stack's namespace, with an HTTPS listener for gatewayHost (and gatewayGrpcHost), and attach the routes to it; needs gatewayTlsSecret or gatewayClusterIssuer. Not with gatewayName.",
    },
    gatewayTlsSecret: {
        type: "string",
        default: "",
        area: "exposure",
        description: "kubernetes.io/tls Secret in the stack's namespace with the certificate of the stack's Gateway (gatewayClassName).",
    },
    gatewayClusterIssuer: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "cert-manager ClusterIssuer that issues the certificate of the stack's Gateway (gatewayClassName) into the Secret tinode-gateway-tls; cert-manager needs its Gateway API support on (enableGatewayAPI).",
    },
    gatewayPort: {
        type: "integer",
        default: 443,
        area: "exposure",
        description:
            "Port of the stack's Gateway listeners (gatewayClassName), 1-65535. Some implementations map listeners to their own entry points by port (Traefik: an entry point's port, e.g. 8443).",
    },
    gatewayNamespace: {
        type: "string",
        default: "",
        area: "exposure",
        description: "The Gateway's namespace (its listener must allow routes from this stack's namespace). Empty - the stack's namespace.",
    },
    gatewaySectionName: {
        type: "string",
        default: "",
        area: "exposure",
        description: "One listener of the Gateway to attach to (parentRefs sectionName). Empty - every listener that accepts the route.",
    },
    gatewayHost: {
        type: "string",
        default: "",
        area: "exposure",
        description: "The host the HTTPRoute answers for (e.g. chat.example.com); needed with gatewayName or gatewayClassName.",
    },
    gatewayGrpcHost: {
        type: "string",
        default: "",
        area: "exposure",
        description:
            "A GRPCRoute for gRPC clients at this host on the same Gateway (another host than gatewayHost). Empty - no gRPC route.",
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
    protectData: {
        type: "boolean",
        default: false,
        area: "data",
        description:
            "Protect MySQL (StatefulSet, credentials, passwords), the keys that encrypt data and the upload volume - Pulumi refuses to delete them and leaves them in the cluster on destroy.",
    },
    deleteDataOnDestroy: {
        type: "boolean",
        default: false,
        area: "data",
        description:
            "Let pulumi destroy delete the data too - the namespace, the volume claims (uploads, backups, schema dumps) and the Secrets holding the passwords and keys. Off, destroy leaves them in the cluster and says how to delete them (README).",
    },
    keptSecrets: {
        type: "string",
        default: "",
        area: "data",
        secret: true,
        description:
            "Secret (--secret). JSON with uidKey, tokenKey, mysqlRootPassword and mysqlPassword of data kept in the cluster by an earlier destroy or lost state, used instead of generated ones; scripts/adopt-kept-data.sh sets it.",
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
    acceptDataChange: {
        type: "string",
        default: "",
        area: "data",
        stackOnly: true,
        description:
            "Keys (comma-separated) whose data-losing change you have made safe by hand, e.g. namespace after moving the data. The program refuses such changes otherwise, and refuses a listed key that does not change (remove it after the update). See README, Operations that touch data.",
    },
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
    backupDestination: {
        type: "string",
        default: "none",
        area: "backup",
        description:
            "Scheduled backups of Tinode's database - none, volume (a volume claim of their own) or s3 (an S3-compatible bucket). Each backup is a compressed mysqldump plus a metadata file.",
    },
    backupSchedule: {
        type: "string",
        default: "0 3 * * *",
        area: "backup",
        description:
            "When backups run - five cron fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly; the time zone is the cluster's (usually UTC).",
    },
    backupRetention: {
        type: "integer",
        default: 7,
        area: "backup",
        description: "Backups kept (1-1000). After each successful backup the job deletes older ones beyond this number.",
    },
    backupStorageSize: {
        type: "string",
        default: "20Gi",
        area: "backup",
        description: "Size of the backup volume (backupDestination volume).",
    },
    backupStorageClass: {
        type: "string",
        default: "",
        area: "backup",
        description: "Storage class of the backup volume (backupDestination volume). Empty uses the default class.",
    },
    backupS3Bucket: {
        type: "string",
        default: "",
        area: "backup",
        description: "Bucket for backups (backupDestination s3).",
    },
    backupS3Prefix: {
        type: "string",
        default: "",
        area: "backup",
        description:
            "Key prefix of this stack's own in the bucket, e.g. tinode/prod (backupDestination s3; required, as retention deletes older backups under it).",
    },
    backupS3Region: {
        type: "string",
        default: "",
        area: "backup",
        description: "Region of the bucket (backupDestination s3).",
    },
    backupS3Endpoint: {
        type: "string",
        default: "",
        area: "backup",
        description: "URL of an S3-compatible server, e.g. http://minio.storage:9000 (path-style requests). Empty - AWS.",
    },
    backupS3AccessKeyId: {
        type: "string",
        default: "",
        area: "backup",
        description: "Access key id for the bucket (backupDestination s3).",
    },
    backupS3SecretAccessKey: {
        type: "string",
        default: "",
        area: "backup",
        secret: true,
        description:
            "Secret access key for the bucket (backupDestination s3; must be set with --secret). Kept in a Secret of the backup job.",
    },
    backupS3Image: {
        type: "string",
        default: "amazon/aws-cli:2.22.35",
        area: "backup",
        description: "Image of the AWS CLI that uploads backups to S3 (pinned).",
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
    renderYamlTo: {
        type: "string",
        default: "",
        area: "data",
        description:
            "Write the manifests to this folder instead of applying them to a cluster (no cluster needed; for GitOps). Empty deploys to the current kubeconfig context.",
    },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The registry's spec of `key`, if it is one of the stack's keys (a nested `email.host` is not). */
export function keySpec(key: string): KeySpec | undefined {
    return Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key) ? (CONFIG_KEYS as Record<string, KeySpec>)[key] : undefined;
}

/** Whether `field` of structured key `key` (`tnpg.token`, `iceServers[2].credential`) must be secret. */
export function isSecretField(key: string, field: string): boolean {
    return keySpec(key)?.secretFields?.includes(field.replace(/\[\d+\]/g, "[]")) ?? false;
}

/** The keys whose values must be Pulumi secrets. */
export function secretKeys(): string[] {
    return Object.entries(CONFIG_KEYS as Record<string, KeySpec>)
        .filter(([, k]) => k.secret)
        .map(([name]) => name);
}
