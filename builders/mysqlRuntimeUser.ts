// The deployed MySQL's user for the Tinode servers: rights on the rows of Tinode's database, none on
// its schema. Tinode changes the schema only in init-db (server/db/mysql/adapter.go: CreateDb and
// UpgradeDb hold every CREATE, ALTER and DROP); at run time it reads and writes rows. The schema Job,
// the dumps and the backups keep using mysqlUser, which owns the database.
//
// MySQL runs the file given by --init-file each time it starts, as the server itself: the user is
// made, its password set and its rights granted on a new data directory and on every existing one
// alike (the image's entrypoint creates users only on an empty one), so the password need not be
// kept with the data: a new one is simply set on the next start.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MYSQL_RUNTIME_USER } from "../config/readMysql";
import { InternalMysql, TinodeSettings } from "../config/settings";
import { opaqueSecretArgs } from "./objects";
import { ObjectNames } from "./names";

/** Where the MySQL container sees the init file. */
export const RUNTIME_USER_FILE = { dir: "/etc/mysql/tinode-runtime", key: "runtime-user.sql" } as const;

/** The privileges the servers get on Tinode's database. */
export const RUNTIME_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;

/** A MySQL string literal (the password is generated alphanumeric; quoting is for safety). */
function sqlString(v: string): string {
    return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The init file: one statement per line (older servers read an init file line by line), idempotent. */
export function runtimeUserSql(mysql: InternalMysql, password: string): string {
    const user = `'${MYSQL_RUNTIME_USER}'@'%'`;
    return [
        `CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY ${sqlString(password)};`,
        `ALTER USER ${user} IDENTIFIED BY ${sqlString(password)};`,
        `GRANT ${RUNTIME_PRIVILEGES.join(", ")} ON \`${mysql.database}\`.* TO ${user};`,
        "",
    ].join("\n");
}

export function runtimeUserSecretArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mysql: InternalMysql,
    password: pulumi.Input<string>,
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.mysqlRuntimeUser, "database", mysql.image, {
        [RUNTIME_USER_FILE.key]: pulumi.output(password).apply((pw) => runtimeUserSql(mysql, pw)),
    });
}
