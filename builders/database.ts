// Where Tinode's database is, as the schema Job, the Tinode pods, the NetworkPolicies and the
// backups reach it: the MySQL this component deploys (its Service) or the external one the settings
// name; and the MySQL client those pods use to reach it.
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "../config/defaults";
import { ContainerResources, TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { ObjectNames, serviceHost } from "./names";
import { containerSecurityContext } from "./security";

export interface DatabaseTarget {
    host: string;
    port: number;
    database: string;
}

export function databaseTarget(names: ObjectNames, s: TinodeSettings): DatabaseTarget {
    return s.mysql.kind === "internal"
        ? { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: PORTS.mysql, database: s.mysql.database }
        : { host: s.mysql.host, port: s.mysql.port, database: s.mysql.database };
}

/** The image with MySQL's client tools: the deployed MySQL's own (client matches server), else the default MySQL image. */
export function mysqlClientImage(s: TinodeSettings): string {
    return s.mysql.kind === "internal" ? s.mysql.image : DEFAULTS.mysqlImage;
}

/**
 * An init container that returns once the database answers (`mysqladmin ping` needs no
 * credentials: "access denied" is an answer too). The schema Job waits for a MySQL that is still
 * starting; a new Tinode pod waits for its own address to be let through (a NetworkPolicy agent
 * admits a new pod's address a few seconds after it starts), since Tinode exits on a database it
 * cannot reach at start ("Failed to connect to DB").
 */
export function waitForDatabaseContainer(
    s: TinodeSettings,
    target: DatabaseTarget,
    resources: ContainerResources,
): k8s.types.input.core.v1.Container {
    return {
        name: "wait-for-mysql",
        image: mysqlClientImage(s),
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
        resources,
        securityContext: containerSecurityContext(),
    };
}
