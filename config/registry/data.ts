// Part of the config key registry (config/keys.ts puts the parts together, in this order).
// The database's keys ("database"), the backups' ("backup"), and what guards the data and where manifests go ("data").
import type { KeySpec } from "./spec";

export const DATA_KEYS = {
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
    acceptDataChange: {
        type: "string",
        default: "",
        area: "data",
        stackOnly: true,
        description:
            "Keys (comma-separated) whose data-losing change you have made safe by hand, e.g. namespace after moving the data. The program refuses such changes otherwise, and refuses a listed key that does not change (remove it after the update). See README, Operations that touch data.",
    },
    renderYamlTo: {
        type: "string",
        default: "",
        area: "data",
        description:
            "Write the manifests to this folder instead of applying them to a cluster (no cluster needed; for GitOps). Empty deploys to the current kubeconfig context.",
    },
} as const satisfies Record<string, KeySpec>;
