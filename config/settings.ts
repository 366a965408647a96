// The typed settings a stack is made of. index.ts reads them from stack config (config/read.ts);
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
    /** Tinode's metrics exporter, a sidecar of every Tinode pod. */
    exporter: ContainerResources;
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
    /** Full go-sql-driver DSN including credentials: a secret. */
    dsn: pulumi.Input<string>;
}

export type MysqlSettings = InternalMysql | ExternalMysql;

export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer";

/** An Ingress for HTTP/websocket clients; TLS when a secret or a cert-manager issuer is given. */
export interface IngressSettings {
    host: string;
    className?: string;
    /** Secret holding the certificate; cert-manager fills it when clusterIssuer is set. */
    tlsSecret?: string;
    clusterIssuer?: string;
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
}

export type MonitoringSettings = NoMonitoring | ExporterMonitoring;

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
    ingress?: IngressSettings;
    media: MediaSettings;
    /** Protect MySQL (StatefulSet, credentials) and the media volume from deletion by Pulumi. */
    protectData: boolean;
    scheduling: SchedulingSettings;
    monitoring: MonitoringSettings;
    /** Write manifests to this folder instead of talking to a cluster. */
    renderYamlTo?: string;
}
