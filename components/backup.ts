// The backup CronJob of a TinodeCluster, with its script, credentials, volume and NetworkPolicy.
// Every spec comes from builders/backup.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackupSettings, TinodeSettings } from "../config/settings";
import {
    backupCronJobArgs,
    backupMysqlSecretArgs,
    backupS3SecretArgs,
    backupScriptConfigMapArgs,
    backupVolumeClaimArgs,
} from "../builders/backup";
import { dsnCredentials } from "../tinode/dsn";
import { backupNetworkPolicyArgs } from "../builders/networkPolicies";
import { ChildContext } from "./context";
import { Database } from "./mysql";

export function deployBackup(
    ctx: ChildContext,
    s: TinodeSettings,
    b: BackupSettings,
    db: Database,
    after: pulumi.Resource[],
): { cronJob: k8s.batch.v1.CronJob; volumeClaim?: k8s.core.v1.PersistentVolumeClaim } {
    const { child, keepData, instance: name, names } = ctx;
    const uidKeyResource = ctx.resourceNames.uidKey;
    let volumeClaim: k8s.core.v1.PersistentVolumeClaim | undefined;
    const needs: pulumi.Resource[] = [new k8s.core.v1.ConfigMap(names.backupScript, backupScriptConfigMapArgs(name, names, s), child())];
    if (b.destination.kind === "volume") {
        // Backups are data: kept like MySQL's volume.
        volumeClaim = new k8s.core.v1.PersistentVolumeClaim(names.backupClaim, backupVolumeClaimArgs(name, names, s, b.destination), {
            ...child(),
            ...keepData,
        });
        needs.push(volumeClaim);
    } else {
        const secretKey = pulumi.secret(pulumi.output(b.destination.secretAccessKey));
        needs.push(new k8s.core.v1.Secret(names.backupS3, backupS3SecretArgs(name, names, s, b.destination, secretKey), child()));
    }
    if (s.mysql.kind === "external") {
        const creds = pulumi.secret(
            db.dsn.apply((dsn) => {
                const c = dsnCredentials(dsn);
                if (c === undefined) throw new Error("the external MySQL DSN has no user:password@tcp(...) part for the backup job");
                return c;
            }),
        );
        needs.push(
            new k8s.core.v1.Secret(
                names.backupMysql,
                backupMysqlSecretArgs(name, names, s, { user: creds.user, password: creds.password }),
                child(),
            ),
        );
    }
    if (s.networkPolicies) {
        new k8s.networking.v1.NetworkPolicy(
            names.backupPolicy,
            backupNetworkPolicyArgs(name, names, s, b, db.target),
            child([], "backupPolicy"),
        );
    }
    const stack = `${pulumi.getProject()}/${pulumi.getStack()}`;
    // After the schema Job: a dump of a database without Tinode's schema would fail.
    const cronJob = new k8s.batch.v1.CronJob(
        names.backup,
        backupCronJobArgs(name, names, s, b, db.target, stack, uidKeyResource),
        child([...needs, ...(db.statefulSet ? [db.statefulSet] : []), ...after]),
    );
    return { cronJob, volumeClaim };
}
