// The Job that creates or upgrades Tinode's schema before any Tinode pod of a new version starts.
import * as k8s from "@pulumi/kubernetes";
import { IMAGE_PATHS, TINODE_UID } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { DatabaseTarget, mysqlClientImage, waitForDatabaseContainer } from "./database";
import { sha256 } from "./hash";
import { labels } from "./labels";
import { schedulingFields } from "./scheduling";
import { mysqlCaEnv, mysqlCaMounts, mysqlCaVolumes, mysqlTls } from "./mysqlTls";
import { ObjectNames } from "./names";
import { DUMP_PATHS, schemaDumpScript, schemaProbeCommand } from "./schemaDump";
import { containerSecurityContext, podSecurityContext } from "./security";

/**
 * How long the Job may run in all (waiting for MySQL, the dump, the upgrade). Kubernetes ends it
 * then with reason DeadlineExceeded; Pulumi waits a little longer (dbInitJobTimeouts), so the Job's
 * own verdict, not the provider's timeout, is what an update reports.
 */
export const DB_INIT_DEADLINE_SECONDS = 1800;

/** Pulumi's wait on the Job: five minutes beyond its deadline (the provider's default is 10 minutes). */
export function dbInitJobTimeouts(): { create: string; update: string } {
    const minutes = `${Math.ceil(DB_INIT_DEADLINE_SECONDS / 60) + 5}m`;
    return { create: minutes, update: minutes };
}

/**
 * init-db with --upgrade: creates a missing database, upgrades an older schema, leaves a current one
 * alone. Never --reset, which drops the database whatever its state.
 */
export function initDbArgs(sampleData: boolean): string[] {
    const args = [`--config=${IMAGE_PATHS.configFile}`, "--upgrade"];
    // init-db loads the data only into a database it has just created.
    if (sampleData) args.push(`--data=${IMAGE_PATHS.sampleData}`);
    return args;
}

/**
 * The Job's name carries a hash of what it does, so a new Tinode image (or database) makes a new
 * Job that runs before the StatefulSet rolls; anything else (replicas, node list) leaves it alone.
 */
export function dbInitJobName(names: ObjectNames, s: Pick<TinodeSettings, "image" | "sampleData">, target: DatabaseTarget): string {
    return `${names.dbInitJob}-${sha256(JSON.stringify({ image: s.image, args: initDbArgs(s.sampleData), target }), 10)}`;
}

/**
 * The spec the database Jobs share (the schema Job, the dump before a MySQL upgrade): a few retries
 * (a failed step needs a person; retries cover a database that restarts), the deadline, the schema
 * Job's user (both write to the dumps claim), the scheduling settings, no API token.
 */
export function databaseJobSpec(
    instance: string,
    s: Pick<TinodeSettings, "scheduling">,
    image: string,
    pod: Pick<k8s.types.input.core.v1.PodSpec, "initContainers" | "containers" | "volumes">,
): k8s.types.input.batch.v1.JobSpec {
    return {
        backoffLimit: 3,
        activeDeadlineSeconds: DB_INIT_DEADLINE_SECONDS,
        template: {
            metadata: { labels: labels(instance, "db-init", image) },
            spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurityContext(TINODE_UID),
                ...schedulingFields(s.scheduling),
                ...pod,
            },
        },
    };
}

export function dbInitJobArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<
        TinodeSettings,
        "image" | "imagePullPolicy" | "mysql" | "namespace" | "renderYamlTo" | "resources" | "sampleData" | "scheduling"
    >,
    target: DatabaseTarget,
): k8s.batch.v1.JobArgs {
    // Only with TLS to an external MySQL: without it the Job's spec is what it always was.
    const tls = mysqlTls(s);
    const env = mysqlCaEnv(tls);
    const caEnv = env.length > 0 ? { env } : {};
    const clientImage = mysqlClientImage(s);
    const configMount = { name: "config", mountPath: IMAGE_PATHS.configDir, readOnly: true };
    const stateMount = { name: "work", mountPath: DUMP_PATHS.work };
    return {
        metadata: {
            name: dbInitJobName(names, s, target),
            namespace: s.namespace,
            labels: labels(instance, "db-init", s.image),
            // A Job that failed (or never finished) is replaced on the next update, so a retry needs
            // no kubectl delete; a completed one stays (pulumi-kubernetes provider.go, Diff).
            // Left out when rendering: without a cluster the provider cannot read the Job and warns.
            ...(s.renderYamlTo ? {} : { annotations: { "pulumi.com/replaceUnready": "true" } }),
        },
        // No ttlSecondsAfterFinished: the finished Job is the stack's record that the schema is
        // current; if Kubernetes deleted it, every refresh would want to run it again.
        spec: databaseJobSpec(instance, s, s.image, {
            initContainers: [
                waitForDatabaseContainer(s, target, s.resources.dbInit),
                {
                    name: "schema-probe",
                    image: s.image,
                    imagePullPolicy: s.imagePullPolicy,
                    workingDir: IMAGE_PATHS.home,
                    command: schemaProbeCommand(),
                    ...caEnv,
                    resources: s.resources.dbInit,
                    securityContext: containerSecurityContext(),
                    volumeMounts: [configMount, stateMount, ...mysqlCaMounts(tls)],
                },
                {
                    name: "schema-dump",
                    image: clientImage,
                    imagePullPolicy: s.imagePullPolicy,
                    command: ["sh", "-c", schemaDumpScript()],
                    env: [
                        { name: "DB_NAME", value: target.database },
                        { name: "CLAIM", value: names.schemaDumps },
                    ],
                    resources: s.resources.dbInit,
                    securityContext: containerSecurityContext(),
                    volumeMounts: [
                        stateMount,
                        { name: "db-client", mountPath: DUMP_PATHS.clientDir, readOnly: true },
                        { name: "dumps", mountPath: DUMP_PATHS.dumps },
                        ...mysqlCaMounts(tls),
                    ],
                },
            ],
            containers: [
                {
                    name: "init-db",
                    image: s.image,
                    imagePullPolicy: s.imagePullPolicy,
                    workingDir: IMAGE_PATHS.home,
                    command: [IMAGE_PATHS.initDb],
                    args: initDbArgs(s.sampleData),
                    ...caEnv,
                    resources: s.resources.dbInit,
                    securityContext: containerSecurityContext(),
                    volumeMounts: [configMount, ...mysqlCaMounts(tls)],
                },
            ],
            volumes: [
                { name: "config", secret: { secretName: names.config, defaultMode: 0o440 } },
                { name: "db-client", secret: { secretName: names.dbClient, defaultMode: 0o440 } },
                { name: "dumps", persistentVolumeClaim: { claimName: names.schemaDumps } },
                { name: "work", emptyDir: { sizeLimit: "1Mi" } },
                ...mysqlCaVolumes(tls),
            ],
        }),
    };
}
