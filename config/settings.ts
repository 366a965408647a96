// The typed settings a stack is made of. index.ts reads them from stack config (config/readSettings.ts);
// tests and other programs may build them directly.
import * as pulumi from "@pulumi/pulumi";
import type { GatewaySettings, IngressSettings, ServiceTls, ServiceType } from "./exposureSettings";
import type { FeatureSettings, MediaSettings } from "./featureSettings";
import type { BackupSettings, MonitoringSettings } from "./operationsSettings";

export * from "./exposureSettings";
export * from "./featureSettings";
export * from "./operationsSettings";

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

/** Secrets a stack would otherwise generate, taken from the data it takes over. */
export interface KeptSecrets {
    /** Base64 of store_config.uid_key. */
    uidKey: string;
    /** Base64 of auth_config.token.key. */
    tokenKey: string;
    mysqlRootPassword: string;
    mysqlPassword: string;
}

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
    /** Standard base64 of the API key salt: a secret (made one where it is used). */
    apiKeySalt: string;
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
