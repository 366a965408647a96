// The dump taken before the deployed MySQL moves to a newer release. MySQL upgrades its data
// directory in place when the new release first starts ("upgrade=AUTO", MySQL 8.0.16 and later),
// and no older release can start on it afterwards: this dump, made by the running release's own
// client while that release still serves, is the way back (README, "Operations that touch data").
// The entry point asks for it when the last deployment ran an older release (config/dataGuard.ts,
// mysqlUpgrade); the MySQL StatefulSet waits for the Job, so the new release starts after the dump.
import * as k8s from "@pulumi/kubernetes";
import { InternalMysql, MysqlUpgrade, TinodeSettings } from "../config/settings";
import { DatabaseTarget, waitForDatabaseContainer } from "./database";
import { databaseJobSpec } from "./dbInitJob";
import { sha256 } from "./hash";
import { labels } from "./labels";
import { ObjectNames } from "./names";
import { CLIENT_OPTIONS, DUMP_PATHS, dumpToClaimLines } from "./schemaDump";
import { containerSecurityContext } from "./security";

/** One Job per upgrade (from, to): a later run with the same pair finds it done and runs nothing. */
export function mysqlUpgradeDumpJobName(names: ObjectNames, upgrade: MysqlUpgrade): string {
    return `${names.mysqlUpgradeDump}-${sha256(JSON.stringify(upgrade), 10)}`;
}

/** The dump, named after the server's own version and the image it is upgraded to (NEW_IMAGE). */
export function mysqlUpgradeDumpScript(): string {
    return [
        "set -eu",
        ...dumpToClaimLines(
            [`server=$(mysql ${CLIENT_OPTIONS} -N -B -e "SELECT VERSION()" | tr -c 'A-Za-z0-9.\\n-' _)`],
            "$DB_NAME-mysql$server-before-upgrade",
            "MySQL $server, before the upgrade to $NEW_IMAGE",
        ),
    ].join("\n");
}

export function mysqlUpgradeDumpJobArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "imagePullPolicy" | "mysql" | "namespace" | "resources" | "scheduling">,
    mysql: InternalMysql,
    target: DatabaseTarget,
    upgrade: MysqlUpgrade,
): k8s.batch.v1.JobArgs {
    return {
        metadata: {
            name: mysqlUpgradeDumpJobName(names, upgrade),
            namespace: s.namespace,
            // The schema Job's component: the same NetworkPolicy lets it reach MySQL, nothing else.
            labels: labels(instance, "db-init", upgrade.from),
            // A failed dump is replaced (run again) on the next update, as the schema Job is.
            annotations: { "pulumi.com/replaceUnready": "true" },
        },
        spec: databaseJobSpec(instance, s, upgrade.from, {
            initContainers: [waitForDatabaseContainer(s, target, s.resources.dbInit)],
            containers: [
                {
                    name: "dump",
                    // The running release's client: its mysqldump knows the server it dumps.
                    image: upgrade.from,
                    imagePullPolicy: s.imagePullPolicy,
                    command: ["sh", "-c", mysqlUpgradeDumpScript()],
                    env: [
                        { name: "DB_NAME", value: mysql.database },
                        { name: "CLAIM", value: names.schemaDumps },
                        { name: "NEW_IMAGE", value: upgrade.to },
                    ],
                    resources: s.resources.dbInit,
                    securityContext: containerSecurityContext(),
                    volumeMounts: [
                        { name: "db-client", mountPath: DUMP_PATHS.clientDir, readOnly: true },
                        { name: "dumps", mountPath: DUMP_PATHS.dumps },
                    ],
                },
            ],
            volumes: [
                { name: "db-client", secret: { secretName: names.dbClient, defaultMode: 0o440 } },
                { name: "dumps", persistentVolumeClaim: { claimName: names.schemaDumps } },
            ],
        }),
    };
}
