// The Job that creates or upgrades Tinode's schema before any Tinode pod of a new version starts.
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS, IMAGE_PATHS } from "../config/defaults";
import { TinodeSettings } from "../config/settings";
import { sha256 } from "./hash";
import { labels } from "./labels";
import { schedulingFields } from "./scheduling";
import { ObjectNames } from "./names";
import { containerSecurityContext, podSecurityContext, TINODE_UID } from "./security";

export interface DatabaseTarget {
    host: string;
    port: number;
    database: string;
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
export function dbInitJobName(names: ObjectNames, s: TinodeSettings, target: DatabaseTarget): string {
    return `${names.dbInitJob}-${sha256(JSON.stringify({ image: s.image, args: initDbArgs(s.sampleData), target }), 10)}`;
}

export function dbInitJobArgs(instance: string, names: ObjectNames, s: TinodeSettings, target: DatabaseTarget): k8s.batch.v1.JobArgs {
    const clientImage = s.mysql.kind === "internal" ? s.mysql.image : DEFAULTS.mysqlImage;
    return {
        metadata: { name: dbInitJobName(names, s, target), namespace: s.namespace, labels: labels(instance, "db-init", s.image) },
        spec: {
            // A failed schema step needs a person; a few retries cover a database that restarts.
            backoffLimit: 3,
            activeDeadlineSeconds: 900,
            // No ttlSecondsAfterFinished: the finished Job is the stack's record that the schema is
            // current; if Kubernetes deleted it, every refresh would want to run it again.
            template: {
                metadata: { labels: labels(instance, "db-init", s.image) },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(TINODE_UID),
                    ...schedulingFields(s.scheduling),
                    initContainers: [
                        {
                            name: "wait-for-mysql",
                            image: clientImage,
                            imagePullPolicy: s.imagePullPolicy,
                            command: [
                                "sh",
                                "-c",
                                'until mysqladmin ping --host="$DB_HOST" --port="$DB_PORT" --connect-timeout=2 --silent; do echo "waiting for MySQL at $DB_HOST:$DB_PORT"; sleep 2; done',
                            ],
                            env: [
                                { name: "DB_HOST", value: target.host },
                                { name: "DB_PORT", value: String(target.port) },
                            ],
                            resources: s.resources.dbInit,
                            securityContext: containerSecurityContext(),
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
                            resources: s.resources.dbInit,
                            securityContext: containerSecurityContext(),
                            volumeMounts: [{ name: "config", mountPath: IMAGE_PATHS.configDir, readOnly: true }],
                        },
                    ],
                    volumes: [{ name: "config", secret: { secretName: names.config, defaultMode: 0o440 } }],
                },
            },
        },
    };
}
