// The MySQL this stack runs when no external one is configured.
import * as k8s from "@pulumi/kubernetes";
import { MYSQL_UID, PORTS } from "../tinode/facts";
import { InternalMysql, TinodeSettings } from "../config/settings";
import { labels, objectMeta, selectorLabels } from "./labels";
import { RUNTIME_USER_FILE } from "./mysqlRuntimeUser";
import { schedulingFields } from "./scheduling";
import { ObjectNames } from "./names";
import { rolloutAwaitAnnotations } from "./rollout";
import { containerSecurityContext, podSecurityContext } from "./security";

export const MYSQL_INIT_SCRIPT = "01-grant-tinode.sql";

/**
 * The image's entrypoint creates the Tinode user (MYSQL_USER) with no rights when MYSQL_DATABASE is
 * unset; this script, run once on an empty data directory, lets that user create and use exactly
 * Tinode's database. The database itself must not exist beforehand: init-db's CREATE DATABASE has
 * no IF NOT EXISTS.
 */
export function mysqlInitScript(mysql: InternalMysql): string {
    return `GRANT ALL PRIVILEGES ON \`${mysql.database}\`.* TO '${mysql.user}'@'%';\n`;
}

export function mysqlInitScriptsArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mysql: InternalMysql,
): k8s.core.v1.ConfigMapArgs {
    return {
        metadata: objectMeta(instance, s, names.mysqlInitScripts, "database", mysql.image),
        data: { [MYSQL_INIT_SCRIPT]: mysqlInitScript(mysql) },
    };
}

export function mysqlServiceArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mysql: InternalMysql,
): k8s.core.v1.ServiceArgs {
    return {
        metadata: objectMeta(instance, s, names.mysql, "database", mysql.image),
        spec: {
            clusterIP: "None",
            selector: selectorLabels(instance, "database"),
            ports: [{ name: "mysql", port: PORTS.mysql, targetPort: "mysql", protocol: "TCP" }],
        },
    };
}

/** `mysqladmin ping` exits 0 whenever the server answers, even "access denied": no password needed. */
const PING = ["mysqladmin", "ping", "--host=127.0.0.1", "--silent"];

export function mysqlStatefulSetArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "imagePullPolicy" | "namespace" | "resources" | "scheduling">,
    mysql: InternalMysql,
): k8s.apps.v1.StatefulSetArgs {
    const fromCredentials = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: names.mysqlCredentials, key: name } } });
    return {
        metadata: {
            name: names.mysql,
            namespace: s.namespace,
            labels: labels(instance, "database", mysql.image),
            // kube-score wants a UID above 10000; this runs as the image's own mysql user (999),
            // which owns what the image ships. See lint/kube-score-ignore.txt.
            annotations: { "kube-score/ignore": "container-security-context-user-group-id", ...rolloutAwaitAnnotations(1) },
        },
        spec: {
            serviceName: names.mysql,
            replicas: 1,
            selector: { matchLabels: selectorLabels(instance, "database") },
            // The data outlives the StatefulSet: deleting or scaling it never deletes the volume.
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: {
                metadata: { labels: labels(instance, "database", mysql.image) },
                spec: {
                    terminationGracePeriodSeconds: 60,
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(MYSQL_UID),
                    ...schedulingFields(s.scheduling),
                    containers: [
                        {
                            name: "mysql",
                            image: mysql.image,
                            imagePullPolicy: s.imagePullPolicy,
                            env: [
                                fromCredentials("MYSQL_ROOT_PASSWORD"),
                                // root only from inside the pod (the image's default is '%', any host); read
                                // when the data directory is made, so existing databases keep their accounts.
                                { name: "MYSQL_ROOT_HOST", value: "localhost" },
                                fromCredentials("MYSQL_USER"),
                                fromCredentials("MYSQL_PASSWORD"),
                            ],
                            // Run at every start: the servers' user, its password and rights (mysqlRuntimeUser.ts).
                            args: [`--init-file=${RUNTIME_USER_FILE.dir}/${RUNTIME_USER_FILE.key}`],
                            ports: [{ name: "mysql", containerPort: PORTS.mysql, protocol: "TCP" }],
                            startupProbe: { exec: { command: PING }, periodSeconds: 5, failureThreshold: 60 },
                            readinessProbe: { exec: { command: PING }, periodSeconds: 5, timeoutSeconds: 3 },
                            // Liveness asks less than readiness: a server that accepts connections is alive.
                            livenessProbe: { tcpSocket: { port: "mysql" }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
                            resources: s.resources.mysql,
                            securityContext: containerSecurityContext(),
                            volumeMounts: [
                                { name: "data", mountPath: "/var/lib/mysql" },
                                { name: "init-scripts", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
                                { name: "runtime-user", mountPath: RUNTIME_USER_FILE.dir, readOnly: true },
                                { name: "run", mountPath: "/var/run/mysqld" },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "init-scripts", configMap: { name: names.mysqlInitScripts } },
                        { name: "runtime-user", secret: { secretName: names.mysqlRuntimeUser, defaultMode: 0o440 } },
                        { name: "run", emptyDir: {} },
                        { name: "tmp", emptyDir: {} },
                    ],
                },
            },
            volumeClaimTemplates: [
                {
                    metadata: { name: "data", labels: selectorLabels(instance, "database") },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        storageClassName: mysql.storageClass,
                        resources: { requests: { storage: mysql.storageSize } },
                    },
                },
            ],
        },
    };
}

/**
 * Only the size of the MySQL claim, applied server-side. Forced: the StatefulSet controller created
 * the claim and owns the field too. Resizing needs a storage class with allowVolumeExpansion (the
 * cluster operator's part; the API server refuses the patch otherwise, and nothing else changes).
 */
export function mysqlDataClaimPatchArgs(
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mysql: InternalMysql,
): k8s.core.v1.PersistentVolumeClaimPatchArgs {
    return {
        metadata: {
            name: names.mysqlData,
            namespace: s.namespace,
            annotations: {
                "pulumi.com/patchForce": "true",
                // Nothing to wait for: the claim is bound already (its pod runs), and the provider's
                // claim await waits for Pending when the class binds on first consumer, which a
                // bound claim never is again: `pulumi up` timed out after 5 minutes on real kubelets
                // with a local (WaitForFirstConsumer) class. An expansion proceeds on its own.
                "pulumi.com/skipAwait": "true",
            },
        },
        spec: { resources: { requests: { storage: mysql.storageSize } } },
    };
}
