// Where Tinode's database is, as the schema Job, the Tinode pods, the NetworkPolicies and the
// backups reach it: the MySQL this component deploys (its Service) or the external one the settings
// name; and the MySQL client those pods use to reach it.
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "../config/defaults";
import { ContainerResources, TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { ObjectNames, serviceHost } from "./names";
import { mysqlCaMounts, mysqlClientTlsLines, mysqlTls } from "./mysqlTls";
import { containerSecurityContext } from "./security";

export interface DatabaseTarget {
    host: string;
    port: number;
    database: string;
}

export function databaseTarget(names: ObjectNames, s: Pick<TinodeSettings, "clusterDomain" | "mysql" | "namespace">): DatabaseTarget {
    return s.mysql.kind === "internal"
        ? { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: PORTS.mysql, database: s.mysql.database }
        : { host: s.mysql.host, port: s.mysql.port, database: s.mysql.database };
}

/**
 * The image with MySQL's client tools: the deployed MySQL's own (client matches server), else the
 * operator's (mysqlExternalClientImage), else the default MySQL image.
 */
export function mysqlClientImage(s: Pick<TinodeSettings, "mysql">): string {
    return s.mysql.kind === "internal" ? s.mysql.image : (s.mysql.clientImage ?? DEFAULTS.mysqlImage);
}

/**
 * An init container that returns once the database answers (`mysqladmin ping` needs no
 * credentials: "access denied" is an answer too). The schema Job waits for a MySQL that is still
 * starting; a new Tinode pod waits for its own address to be let through (a NetworkPolicy agent
 * admits a new pod's address a few seconds after it starts), since Tinode exits on a database it
 * cannot reach at start ("Failed to connect to DB").
 */
export function waitForDatabaseContainer(
    s: Pick<TinodeSettings, "imagePullPolicy" | "mysql">,
    target: DatabaseTarget,
    resources: ContainerResources,
): k8s.types.input.core.v1.Container {
    const tls = mysqlTls(s);
    const caMounts = mysqlCaMounts(tls);
    const tlsArgs = mysqlClientTlsLines(tls)
        .map((line) => ` --${line}`)
        .join("");
    return {
        name: "wait-for-mysql",
        image: mysqlClientImage(s),
        imagePullPolicy: s.imagePullPolicy,
        command: [
            "sh",
            "-c",
            // With TLS the same options as the option files (a server that requires TLS answers a
            // clear-text ping with an error, which counts as an answer, but a client that verifies
            // by default, MariaDB's, would fail on a CA it does not know).
            `until mysqladmin ping --host="$DB_HOST" --port="$DB_PORT" --connect-timeout=2 --silent${tlsArgs}; do echo "waiting for MySQL at $DB_HOST:$DB_PORT"; sleep 2; done`,
        ],
        env: [
            { name: "DB_HOST", value: target.host },
            { name: "DB_PORT", value: String(target.port) },
        ],
        resources,
        securityContext: containerSecurityContext(),
        ...(caMounts.length > 0 ? { volumeMounts: caMounts } : {}),
    };
}
