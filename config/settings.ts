// The typed settings a stack is made of. index.ts reads them from stack config (config/readSettings.ts);
// tests and other programs may build them directly.
import * as pulumi from "@pulumi/pulumi";

export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

export interface ContainerResources {
    requests: { cpu: string; memory: string; "ephemeral-storage": string };
    /** No CPU limit by default: throttling a chat server hurts latency more than it protects neighbours. */
    limits: { cpu?: string; memory: string; "ephemeral-storage": string };
}

export interface ResourceSettings {
    tinode: ContainerResources;
    mysql: ContainerResources;
    dbInit: ContainerResources;
    /** The backup CronJob's containers (the dump, and the S3 upload when used). */
    backup: ContainerResources;

    /** Tinode's metrics exporter, a sidecar of every Tinode pod. */
    exporter: ContainerResources;
    /** The delivery canary (monitoringCanary). */
    canary: ContainerResources;
    /** The self-healer (selfHeal). */
    healer: ContainerResources;
    /** The TLS proxy of a NodePort or LoadBalancer Service, a sidecar of every Tinode pod (serviceTlsSecret). */
    tlsProxy: ContainerResources;
}

export interface FailoverSettings {
    /** Milliseconds between the leader's heartbeats. */
    heartbeatMs: number;
    /** Missed heartbeats before followers elect a new leader. */
    voteAfter: number;
    /** Failed health checks before the leader drops a node from the hash ring. */
    nodeFailAfter: number;
}

/** MySQL run by this stack: a StatefulSet with a volume and generated passwords. */
export interface InternalMysql {
    kind: "internal";
    image: string;
    storageSize: string;
    storageClass?: string;
    database: string;
    user: string;
}

/** A MySQL the operator runs; nothing is deployed for it. */
export interface ExternalMysql {
    kind: "external";
    host: string;
    port: number;
    database: string;
    /** Full go-sql-driver DSN including credentials: a secret. With `tls`, it has tls=true. */
    dsn: pulumi.Input<string>;
    /** The servers' DSN with their own user (mysqlExternalRuntimeUser); absent: they use `dsn`. */
    runtimeDsn?: pulumi.Input<string>;
    /** Verified TLS to the server; `caSecret` holds the CA (key ca.crt), else the system CAs. */
    tls?: { caSecret?: string };
    /** The image of the client tools (mysqlExternalClientImage); absent: the default MySQL image. */
    clientImage?: string;
}

export type MysqlSettings = InternalMysql | ExternalMysql;

export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer";

/**
 * TLS of a NodePort or LoadBalancer Service, whose clients arrive directly. "proxy": a TLS proxy in
 * each Tinode pod serves the certificate of `secret` (cert-manager fills it when `certificate` is
 * set; one of the two is always there) and forwards only Tinode's public paths; "upstream": the operator says a load balancer in
 * front ends TLS, and the Service publishes Tinode's plain ports.
 */
export type ServiceTls =
    | {
          kind: "proxy";
          /** serviceTlsSecret; absent with `certificate`: the Secret the stack names (builders/names.ts serviceTls). */
          secret?: string;
          certificate?: { clusterIssuer: string; host: string };
          image: string;
      }
    | { kind: "upstream" };

/** An Ingress for HTTP/websocket clients; TLS when a secret or a cert-manager issuer is given. */
export interface IngressSettings {
    host: string;
    className?: string;
    /**
     * Secret holding the certificate. With clusterIssuer and no tlsSecret, cert-manager fills the one
     * builders/names.ts names (`tinode-tls`); see tlsSecretName in builders/ingress.ts.
     */
    tlsSecret?: string;
    clusterIssuer?: string;
    /** The operator's annotations for their controller (ingressAnnotations), on both Ingresses; they win over the program's. */
    annotations: Record<string, string>;
    /** Annotations of the gRPC Ingress's own Service (ingressGrpcServiceAnnotations), e.g. Traefik's h2c scheme. */
    grpcServiceAnnotations: Record<string, string>;
}

/**
 * Gateway API exposure (standard channel): an HTTPRoute for HTTP/websocket/long polling, and a
 * GRPCRoute when grpcHost is set, attached to a Gateway the operator runs or to one the stack makes.
 */
export type GatewaySettings = AttachedGateway | OwnGateway;

interface GatewayRoutes {
    host: string;
    grpcHost?: string;
}

/** The operator's Gateway: its listener ends TLS. */
export interface AttachedGateway extends GatewayRoutes {
    kind: "attach";
    /** parentRefs: the Gateway's name and namespace, and one of its listeners if given. */
    name: string;
    namespace: string;
    sectionName?: string;
}

/** A Gateway of the stack in its namespace: HTTPS listeners for the hosts, TLS from a Secret or cert-manager. */
export interface OwnGateway extends GatewayRoutes {
    kind: "own";
    className: string;
    /** The listeners' port (some implementations, Traefik among them, map it to an entry point's). */
    port: number;
    tls: { secret: string } | { clusterIssuer: string };
}

/** No uploads beyond what fits in a message (media section left out of tinode.conf). */
export interface NoMedia {
    handler: "none";
}

/** Tinode's fs handler: one volume shared by every node. */
export interface FsMedia {
    handler: "fs";
    maxUploadBytes: number;
    storageSize: string;
    storageClass?: string;
    accessMode: "ReadWriteMany" | "ReadWriteOnce";
}

export interface S3Media {
    handler: "s3";
    maxUploadBytes: number;
    bucket: string;
    region: string;
    endpoint?: string;
    accessKeyId: string;
    /** A secret. */
    secretAccessKey: pulumi.Input<string>;
}

export type MediaSettings = NoMedia | FsMedia | S3Media;

export interface Toleration {
    key?: string;
    operator?: "Exists" | "Equal";
    value?: string;
    effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
    tolerationSeconds?: number;
}

export interface SchedulingSettings {
    priorityClassName?: string;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
}

/** Tinode's email validator (acc_validation.email): verification required for new accounts. */
export interface EmailSettings {
    smtpHost: string;
    smtpPort: number;
    /** RFC 5322 address, e.g. "Tinode <noreply@example.com>". */
    sender: string;
    login?: string;
    /** A secret; set together with login. */
    password?: pulumi.Input<string>;
    authMechanism: "plain" | "login" | "cram-md5";
    /** STARTTLS without checking the server's certificate. */
    insecureSkipVerify: boolean;
    heloHost?: string;
    /** Base URL of the web client, used in the links of the mails. */
    hostUrl: string;
    /** Only addresses in these domains may register; empty allows any. */
    domains: string[];
    languages: string[];
    maxRetries: number;
    codeLength: number;
    /** A code that confirms any address: development only. A secret. */
    debugResponse?: pulumi.Input<string>;
}

/** Tinode Push Gateway (console.tinode.co). */
export interface TnpgPush {
    org: string;
    /** A secret. */
    token: pulumi.Input<string>;
}

/** Firebase Cloud Messaging with a service account. */
export interface FcmPush {
    /** The service-account JSON: a secret, mounted as a file from the config Secret. */
    credentials: pulumi.Input<string>;
    timeToLive: number;
    dryRun: boolean;
    /** Notification payloads per platform, in Tinode's own field names (server/push/common/typedef.go Config). */
    android?: Record<string, unknown>;
    apns?: Record<string, unknown>;
    webpush?: Record<string, unknown>;
    apnsBundleId?: string;
}

export interface PushSettings {
    tnpg?: TnpgPush;
    fcm?: FcmPush;
}

export interface IceServer {
    urls: string[];
    username?: string;
    /** A secret. */
    credential?: pulumi.Input<string>;
}

/** ICE servers written into tinode.conf, or a file from a Secret the operator keeps up to date. */
export type IceServers = { kind: "inline"; servers: IceServer[] } | { kind: "secret"; secretName: string; key: string };

export interface WebrtcSettings {
    callTimeoutSeconds: number;
    iceServers: IceServers;
}

export interface AccountSettings {
    /** Users cannot delete their own accounts. */
    permanent: boolean;
    /** ISO 3166-1 alpha-2; Tinode assumes US when unset. */
    defaultCountryCode?: string;
    /** Delete accounts that never logged in and confirmed nothing after this many hours; 0 = never. */
    unverifiedGcHours: number;
}

/** The optional Tinode features; each is off (absent from tinode.conf) by default. */
export interface FeatureSettings {
    email?: EmailSettings;
    push: PushSettings;
    webrtc?: WebrtcSettings;
    /** cors_origins of the media handler. */
    mediaCorsOrigins: string[];
    accounts: AccountSettings;
    /** max_message_size: the largest message a client may send (websocket, long polling, gRPC). */
    maxMessageBytes: number;
    /** A second Ingress for gRPC clients at this host (ingress-nginx backend-protocol GRPC). */
    grpcIngressHost?: string;
}

/** Backups on a volume claim of their own, in the stack's namespace. */
export interface VolumeBackupDestination {
    kind: "volume";
    storageSize: string;
    storageClass?: string;
}

/** Backups in an S3-compatible bucket, uploaded with the AWS CLI. */
export interface S3BackupDestination {
    kind: "s3";
    bucket: string;
    /** Key prefix of this stack's own, without leading or trailing "/": retention prunes under it. */
    prefix: string;
    region: string;
    /** http(s) URL of an S3-compatible server; undefined means AWS. */
    endpoint?: string;
    accessKeyId: pulumi.Input<string>;
    /** A secret. */
    secretAccessKey: pulumi.Input<string>;
    /** The uploader's image (the AWS CLI), pinned. */
    image: string;
}

export type BackupDestination = VolumeBackupDestination | S3BackupDestination;

/** Scheduled logical dumps of Tinode's database (builders/backup.ts). */
export interface BackupSettings {
    /** A CronJob schedule: five cron fields or a macro such as @daily (the controller's time zone). */
    schedule: string;
    /** How many backups to keep; the job deletes older ones after each successful backup. */
    retention: number;
    destination: BackupDestination;
}

/** Which Prometheus Operator object tells Prometheus to scrape the exporters (a CRD: only when asked). */
export type MonitorKind = "none" | "PodMonitor" | "ServiceMonitor";

/** No exporter: nothing to scrape, so no monitor, rules or dashboard either. */
export interface NoMonitoring {
    exporter: false;
}

/** Tinode's own exporter next to every node, and what is built on its metrics. */
export interface ExporterMonitoring {
    exporter: true;
    /** tinode/exporter at the server's version, pinned. */
    exporterImage: string;
    /** Namespace the scraping Prometheus runs in; undefined: any namespace. */
    scrapeNamespace?: string;
    /** One label of the scraping Prometheus pods; undefined: any pod (of scrapeNamespace). */
    scrapePodLabel?: { key: string; value: string };
    /** Seconds between scrapes; alert `for:` durations are derived from it. */
    scrapeIntervalSeconds: number;
    monitor: MonitorKind;
    /** A PrometheusRule with the alerts of builders/alertRules.ts. */
    rules: boolean;
    /** The ConfigMap the Grafana sidecar loads the dashboard from. */
    dashboard: boolean;
    /** Labels on the monitor and rule objects, for the Prometheus' selectors (kube-prometheus-stack: release). */
    selectorLabels: Record<string, string>;
    /** The delivery canary (builders/canary.ts); undefined when off. */
    canary?: CanarySettings;
}

/** Secrets a stack would otherwise generate, taken from the data it takes over. */
export interface KeptSecrets {
    /** Base64 of store_config.uid_key. */
    uidKey: string;
    /** Base64 of auth_config.token.key. */
    tokenKey: string;
    mysqlRootPassword: string;
    mysqlPassword: string;
}

/** A client with a session on every Tinode pod that checks every pod delivers to every other. */
export interface CanarySettings {
    /** A Node.js image with a global WebSocket (Node 22 or later), pinned. */
    image: string;
    /** Seconds between rounds; the delivery alert's for: derives from it. */
    intervalSeconds: number;
}

export type MonitoringSettings = NoMonitoring | ExporterMonitoring;

/** A Deployment that restarts a Tinode pod whose topic refuses every message (healer/healer.js). */
export interface SelfHealSettings {
    /** A Node.js image (18 or later), pinned. */
    image: string;
}

/** A release upgrade of the deployed MySQL: the image it ran and the image it is given. */
export interface MysqlUpgrade {
    from: string;
    to: string;
}

export interface TinodeSettings {
    namespace: string;
    /** False when the namespace exists already (or is managed elsewhere). */
    createNamespace: boolean;
    replicas: number;
    clusterDomain: string;
    image: string;
    imagePullPolicy: ImagePullPolicy;
    failover: FailoverSettings;
    terminationGracePeriodSeconds: number;
    /** Load Tinode's sample users (published passwords): development only. */
    sampleData: boolean;
    /** Standard base64 of the API key salt: a secret. */
    apiKeySalt: pulumi.Input<string>;
    mysql: MysqlSettings;
    resources: ResourceSettings;
    /** NetworkPolicies: cluster port only from Tinode pods, MySQL only from Tinode and the schema Job. */
    networkPolicies: boolean;
    serviceType: ServiceType;
    /** Extra annotations of the client Service (serviceAnnotations). */
    serviceAnnotations: Record<string, string>;
    /** Only with serviceType NodePort or LoadBalancer. */
    serviceTls?: ServiceTls;
    ingress?: IngressSettings;
    gateway?: GatewaySettings;
    media: MediaSettings;
    /** Size of the claim that keeps the dumps the schema Job takes before an upgrade. */
    schemaDumpStorageSize: string;
    /** Protect MySQL (StatefulSet, credentials) and the media volume from deletion by Pulumi. */
    protectData: boolean;
    /**
     * Let `pulumi destroy` delete the data too (namespace, volume claims, data Secrets). Off: destroy
     * leaves them in the cluster (Pulumi forgets them), as `helm uninstall` leaves a StatefulSet's claims.
     */
    deleteDataOnDestroy: boolean;
    /** The secrets of kept data this stack took over (tinode:keptSecrets); undefined: generated. */
    keptSecrets?: KeptSecrets;
    /**
     * The stack that owns the objects (organization/project/stack), written on the namespace and the
     * data claims so that another stack cannot take them over; set by the entry point, not a config key.
     */
    owner?: string;
    /**
     * Set by the entry point, not a config key: the deployed MySQL moves to a newer release in this
     * run (config/dataGuard.ts, mysqlUpgrade), so the running release dumps the database first.
     */
    mysqlUpgrade?: MysqlUpgrade;
    scheduling: SchedulingSettings;
    features: FeatureSettings;
    /** Scheduled backups; undefined when off. */
    backup?: BackupSettings;

    monitoring: MonitoringSettings;
    /** The self-healer (builders/healer.ts); undefined when off or with one replica. */
    selfHeal?: SelfHealSettings;
    /** Write manifests to this folder instead of talking to a cluster. */
    renderYamlTo?: string;
    /**
     * Config keys whose data-losing change the operator has made safe by hand (config/dataGuard.ts);
     * read by the program's entry point, not by the component.
     */
    acceptDataChanges: string[];
}
