// Scheduled backups: a CronJob that dumps Tinode's database (mysqldump, one consistent snapshot),
// compresses it and keeps the newest N on a volume claim of its own or in an S3-compatible bucket.
// The script is one text (backupScript, in backupScript.ts) that the CronJob mounts and the restore drill
// (e2e/tinode/restore-drill.sh, through scripts/render-backup.ts) runs with the same arguments.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackupSettings, S3BackupDestination, TinodeSettings, VolumeBackupDestination } from "../config/settings";
import { DatabaseTarget, mysqlClientImage } from "./database";
import { imageVersion, labels, objectMeta } from "./labels";
import { opaqueSecretArgs, volumeClaimArgs } from "./objects";
import { mysqlCaMounts, mysqlCaVolumes, mysqlClientTlsLines, mysqlTls } from "./mysqlTls";
import { ObjectNames } from "./names";
import { schedulingFields } from "./scheduling";
import { BACKUP_UID } from "../tinode/facts";
import { containerSecurityContext, podSecurityContext } from "./security";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type Container = k8s.types.input.core.v1.Container;

import { BACKUP_PATHS, BACKUP_SCRIPT_KEY, backupScript } from "./backupScript";

export { BACKUP_PATHS, BACKUP_SCRIPT_KEY, backupScript };

/**
 * Where the job's database user and password come from: the deployed MySQL's credentials Secret
 * (the Tinode user: it owns Tinode's database, which is all a dump and a restore need), or, for an
 * external database, a Secret of the backup's own holding the DSN's user and password.
 */
export function backupDbCredentials(
    names: ObjectNames,
    s: Pick<TinodeSettings, "mysql">,
): { secret: string; user: string; password: string } {
    return s.mysql.kind === "internal"
        ? { secret: names.mysqlCredentials, user: "MYSQL_USER", password: "MYSQL_PASSWORD" }
        : { secret: names.backupMysql, user: "DB_USER", password: "DB_PASSWORD" };
}

/** The reminder each backup carries instead of the UID key. */
export function uidKeyNote(stack: string, uidKeyResource: string): string {
    return (
        `not in this backup: restore into Pulumi stack ${stack}, whose state holds the UID key ` +
        `(resource ${uidKeyResource}); with another key Tinode cannot decode the user ids`
    );
}

const fromSecret = (name: string, secret: string, key: string): EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
});

/**
 * The script's environment. `database` is for the container with the MySQL client (dump,
 * restore), `s3` for the AWS CLI's (upload, download): each gets only the credentials it uses.
 * The volume destination's single container is a `database` one; the drill runs it.
 */
export function backupEnv(
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "mysql">,
    b: BackupSettings,
    target: DatabaseTarget,
    stack: string,
    uidKeyResource: string,
    role: "database" | "s3",
): EnvVar[] {
    const creds = backupDbCredentials(names, s);
    const database: EnvVar[] =
        role === "database"
            ? [
                  { name: "DB_HOST", value: target.host },
                  { name: "DB_PORT", value: String(target.port) },
                  fromSecret("DB_USER", creds.secret, creds.user),
                  fromSecret("DB_PASSWORD", creds.secret, creds.password),
                  // TLS to an external MySQL: [client] lines the script adds to its option file.
                  ...(mysqlTls(s) ? [{ name: "DB_TLS_OPTIONS", value: mysqlClientTlsLines(mysqlTls(s)).join("\n") }] : []),
              ]
            : [];
    const env: EnvVar[] = [
        ...database,
        // Also names the backups, so the upload needs it too.
        { name: "DB_NAME", value: target.database },
        { name: "BACKUP_RETENTION", value: String(b.retention) },
        { name: "BACKUP_STACK", value: stack },
        { name: "TINODE_IMAGE", value: s.image },
        { name: "TINODE_VERSION", value: imageVersion(s.image) },
        // Not UID_KEY_...: the policy pack (rightly) takes a plain *_KEY_* variable for a secret.
        { name: "UIDKEY_NOTE", value: uidKeyNote(stack, uidKeyResource) },
        { name: "TMPDIR", value: BACKUP_PATHS.tmp },
    ];
    const d = b.destination;
    if (d.kind === "s3" && role === "s3") {
        const secret = names.backupS3;
        env.push(
            { name: "S3_BUCKET", value: d.bucket },
            { name: "S3_PREFIX", value: d.prefix },
            ...(d.endpoint ? [{ name: "S3_ENDPOINT", value: d.endpoint }] : []),
            { name: "AWS_DEFAULT_REGION", value: d.region },
            fromSecret("AWS_ACCESS_KEY_ID", secret, "AWS_ACCESS_KEY_ID"),
            fromSecret("AWS_SECRET_ACCESS_KEY", secret, "AWS_SECRET_ACCESS_KEY"),
            // Credentials come from the environment: no instance metadata lookups.
            { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
            // Checksums only where S3 requires them: newer CLIs add them by default, which several
            // S3-compatible servers refuse.
            { name: "AWS_REQUEST_CHECKSUM_CALCULATION", value: "when_required" },
            { name: "AWS_RESPONSE_CHECKSUM_VALIDATION", value: "when_required" },
        );
    }
    return env;
}

/** The job's containers: [init containers, containers]. */
export function backupContainers(
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "imagePullPolicy" | "mysql" | "resources">,
    b: BackupSettings,
    target: DatabaseTarget,
    stack: string,
    uidKeyResource: string,
): { initContainers: Container[]; containers: Container[] } {
    const container = (
        name: string,
        image: string,
        args: string[],
        dataMount: { name: string; mountPath: string },
        role: "database" | "s3" = "database",
    ): Container => ({
        name,
        image,
        imagePullPolicy: s.imagePullPolicy,
        command: ["sh", BACKUP_PATHS.script],
        args,
        env: backupEnv(names, s, b, target, stack, uidKeyResource, role),
        resources: s.resources.backup,
        securityContext: containerSecurityContext(),
        volumeMounts: [
            { name: "scripts", mountPath: BACKUP_PATHS.scripts, readOnly: true },
            { name: "tmp", mountPath: BACKUP_PATHS.tmp },
            dataMount,
            ...(role === "database" ? mysqlCaMounts(mysqlTls(s)) : []),
        ],
    });
    if (b.destination.kind === "volume") {
        const data = { name: "backups", mountPath: BACKUP_PATHS.volume };
        return { initContainers: [], containers: [container("backup", mysqlClientImage(s), ["backup", BACKUP_PATHS.volume], data)] };
    }
    // The MySQL image has no S3 client and the AWS CLI image no mysqldump: the dump is made first,
    // into an emptyDir, and the CLI uploads it from there.
    const work = { name: "work", mountPath: BACKUP_PATHS.work };
    return {
        initContainers: [container("dump", mysqlClientImage(s), ["dump", BACKUP_PATHS.work], work)],
        containers: [container("upload", b.destination.image, ["upload", BACKUP_PATHS.work], work, "s3")],
    };
}

export function backupScriptConfigMapArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
): k8s.core.v1.ConfigMapArgs {
    return {
        metadata: objectMeta(instance, s, names.backupScript, "backup", s.image),
        data: { [BACKUP_SCRIPT_KEY]: backupScript() },
    };
}

export function backupVolumeClaimArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    d: VolumeBackupDestination,
): k8s.core.v1.PersistentVolumeClaimArgs {
    return volumeClaimArgs(instance, s, names.backupClaim, "backup", { ...d, accessMode: "ReadWriteOnce" });
}

/** The S3 credentials, from stack config (the secret key was set with --secret). */
export function backupS3SecretArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    d: S3BackupDestination,
    secretAccessKey: pulumi.Input<string>,
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.backupS3, "backup", s.image, {
        AWS_ACCESS_KEY_ID: d.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
    });
}

/** The external database's user and password (taken from its DSN by the component). */
export function backupMysqlSecretArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    credentials: { user: pulumi.Input<string>; password: pulumi.Input<string> },
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.backupMysql, "backup", s.image, {
        DB_USER: credentials.user,
        DB_PASSWORD: credentials.password,
    });
}

/** A run may start up to an hour late (controller down, Forbid waiting); later, it waits for the next slot. */
export const BACKUP_STARTING_DEADLINE_SECONDS = 3600;
/** A run that takes longer than this is stuck (a 50 GB dump takes well under an hour on ordinary disks). */
export const BACKUP_ACTIVE_DEADLINE_SECONDS = 4 * 3600;

export function backupCronJobArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "imagePullPolicy" | "mysql" | "namespace" | "resources" | "scheduling">,
    b: BackupSettings,
    target: DatabaseTarget,
    stack: string,
    uidKeyResource: string,
): k8s.batch.v1.CronJobArgs {
    const podLabels = labels(instance, "backup", s.image);
    const { initContainers, containers } = backupContainers(names, s, b, target, stack, uidKeyResource);
    const data =
        b.destination.kind === "volume"
            ? { name: "backups", persistentVolumeClaim: { claimName: names.backupClaim } }
            : { name: "work", emptyDir: {} };
    return {
        metadata: { name: names.backup, namespace: s.namespace, labels: podLabels },
        spec: {
            schedule: b.schedule,
            // Two dumps at once would only slow the database; a run still going skips the next slot.
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: BACKUP_STARTING_DEADLINE_SECONDS,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            // Explicit, so that a refresh sees a CronJob someone suspended by hand (e.g. for a restore).
            suspend: false,
            jobTemplate: {
                metadata: { labels: podLabels },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: BACKUP_ACTIVE_DEADLINE_SECONDS,
                    template: {
                        metadata: { labels: podLabels },
                        spec: {
                            restartPolicy: "Never",
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            securityContext: podSecurityContext(BACKUP_UID),
                            ...schedulingFields(s.scheduling),
                            ...(initContainers.length > 0 ? { initContainers } : {}),
                            containers,
                            volumes: [
                                { name: "scripts", configMap: { name: names.backupScript, defaultMode: 0o555 } },
                                { name: "tmp", emptyDir: {} },
                                data,
                                ...mysqlCaVolumes(mysqlTls(s)),
                            ],
                        },
                    },
                },
            },
        },
    };
}
