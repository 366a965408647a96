// Part of the stack's typed settings (config/settings.ts): what runs beside Tinode to keep it: backups, metrics and alerts, the delivery canary.
import * as pulumi from "@pulumi/pulumi";

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

/** A client with a session on every Tinode pod that checks every pod delivers to every other. */
export interface CanarySettings {
    /** A Node.js image with a global WebSocket (Node 22 or later), pinned. */
    image: string;
    /** Seconds between rounds; the delivery alert's for: derives from it. */
    intervalSeconds: number;
}

export type MonitoringSettings = NoMonitoring | ExporterMonitoring;
