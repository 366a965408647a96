// The dump the schema Job takes before init-db --upgrade changes an existing database: Tinode users
// have reported upgrade_db damage, and MySQL runs each DDL statement in its own transaction, so a
// failed upgrade cannot be rolled back in place. The dump is the way back (README "Upgrades").
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IMAGE_PATHS } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { parseDsn } from "../tinode/dsn";
import { opaqueSecretArgs, volumeClaimArgs } from "./objects";
import { MYSQLDUMP_GTID_LINE, mysqldumpCommand } from "./mysqlDump";
import { MysqlTls, mysqlClientTlsLines } from "./mysqlTls";
import { ObjectNames } from "./names";

/** Where the Job's containers see things. */
export const DUMP_PATHS = {
    dumps: "/dumps",
    clientOptions: "/etc/tinode-db/client.cnf",
    clientDir: "/etc/tinode-db",
    /** An emptyDir: the probe's verdict, passed to the dump container. */
    state: "/schema-probe/verdict",
    work: "/schema-probe",
} as const;

/** The mysql client's argument that reads the option file below. */
export const CLIENT_OPTIONS = `--defaults-extra-file=${DUMP_PATHS.clientOptions}`;

/** A MySQL option-file value in double quotes; mysys reads \\ \" \n escapes inside them. */
function optionValue(v: string): string {
    return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/**
 * A `[client]` option file for mysql and mysqldump with the credentials of Tinode's DSN, so the
 * password never appears on a command line or in the environment.
 */
export function mysqlClientOptions(dsn: string, tls?: MysqlTls): string {
    const parsed = parseDsn(dsn);
    if (typeof parsed === "string") throw new Error(`the MySQL DSN ${parsed}`);
    return [
        "[client]",
        `host=${parsed.host}`,
        `port=${parsed.port}`,
        `user=${optionValue(parsed.user)}`,
        `password=${optionValue(parsed.password)}`,
        ...mysqlClientTlsLines(tls),
        "",
    ].join("\n");
}

export function dbClientSecretArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    options: pulumi.Input<string>,
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.dbClient, "db-init", s.image, { "client.cnf": options });
}

export function schemaDumpClaimArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "mysql" | "namespace" | "schemaDumpStorageSize">,
): k8s.core.v1.PersistentVolumeClaimArgs {
    return volumeClaimArgs(instance, s, names.schemaDumps, "db-init", {
        accessMode: "ReadWriteOnce",
        // The class MySQL's own volume uses, which is known to bind in this cluster (a cluster
        // need not have a default class: the real-pod e2e has none, and a claim of the default
        // class stayed Pending there until `pulumi up` timed out). The component ignores later
        // changes of the class (config/dataGuard.ts refuses them anyway), so the claim and its
        // dumps are never replaced for it. An external MySQL: the cluster's default class.
        storageClass: s.mysql.kind === "internal" ? s.mysql.storageClass : undefined,
        storageSize: s.schemaDumpStorageSize,
    });
}

/**
 * Asks the image's own init-db whether the database is at the schema version this image expects:
 * `--no_init` without `--upgrade` changes nothing and exits 0 only for "Database exists, version is
 * correct" (tinode-db/main.go). The image knows its version (adpVersion in
 * server/db/mysql/adapter.go: 116 for 0.25.3), so no version table is kept here.
 */
export function schemaProbeArgs(): string[] {
    return [IMAGE_PATHS.initDb, `--config=${IMAGE_PATHS.configFile}`, "--no_init"];
}

/** The probe in the image's shell, leaving its verdict for the dump container. */
export function schemaProbeCommand(): string[] {
    return [
        "sh",
        "-c",
        `if ${schemaProbeArgs().join(" ")}; then echo current > ${DUMP_PATHS.state}; else echo other > ${DUMP_PATHS.state}; fi`,
    ];
}

/**
 * Shell lines that dump the database $DB_NAME into the dumps claim as STEM-<UTC time>.sql, written
 * under a temporary name and renamed when complete; nothing when the database does not exist yet.
 * Fails (so nothing after it runs) when it cannot dump, and says so plainly when MySQL refuses the
 * stack's credentials. `prepare` runs once the database is known to exist and may set what STEM
 * (a shell word, quoted by the caller's terms) and `what` (the log line's description) use.
 */
export function dumpToClaimLines(prepare: string[], stem: string, what: string): string[] {
    return [
        `if ! answer=$(mysql ${CLIENT_OPTIONS} -N -B -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='$DB_NAME'" 2>&1); then`,
        '  echo "$answer" >&2',
        '  case "$answer" in *"Access denied"*) echo "MySQL refuses the credentials this stack holds. If its volume comes from an earlier install (destroy, then up), that install\'s passwords are needed: see README, Operations that touch data." >&2;; esac',
        "  exit 1",
        "fi",
        // The count is the last line: a client may warn on stderr first (MariaDB's, called as mysql:
        // "Deprecated program name").
        'found=$(printf "%s\\n" "$answer" | tail -n 1)',
        'if [ "$found" = 0 ]; then echo "database $DB_NAME does not exist yet: nothing to dump"; exit 0; fi',
        ...prepare,
        `file="${DUMP_PATHS.dumps}/${stem}-$(date -u +%Y%m%dT%H%M%SZ).sql"`,
        MYSQLDUMP_GTID_LINE,
        `${mysqldumpCommand(DUMP_PATHS.clientOptions)} > "$file.partial"`,
        'mv "$file.partial" "$file"',
        `echo "dumped $DB_NAME (${what}) to $file on claim $CLAIM: $(wc -c < "$file") bytes"`,
    ];
}

/**
 * When the database exists and is not at the image's version, a consistent dump of Tinode's
 * database into the dumps claim (dumpToClaimLines).
 */
export function schemaDumpScript(): string {
    return [
        "set -eu",
        `if [ "$(cat ${DUMP_PATHS.state})" = current ]; then echo "schema of $DB_NAME is what this image expects: no dump needed"; exit 0; fi`,
        ...dumpToClaimLines(
            [
                `version=$(mysql ${CLIENT_OPTIONS} -N -B -e "SELECT \\\`value\\\` FROM \\\`$DB_NAME\\\`.kvmeta WHERE \\\`key\\\`='version'" 2>/dev/null || true)`,
            ],
            "$DB_NAME-schema${version:-unknown}",
            "schema version ${version:-unknown}",
        ),
    ].join("\n");
}
