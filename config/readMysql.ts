// The MySQL part of stack config: the deployed MySQL, or an external one by DSN or by parts.
import { checkByteQuantity, checkDnsSubdomain, checkHostname, checkPinnedImage } from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { ExternalMysql, MysqlSettings } from "./settings";
import { DsnParts, dsnTls, formatDsn, parseDsn, withVerifiedTls } from "../tinode/dsn";

/** Keys that only apply to one way of providing MySQL, with their defaults. */
const INTERNAL_MYSQL_KEYS = {
    mysqlImage: DEFAULTS.mysqlImage,
    mysqlStorageSize: DEFAULTS.mysqlStorageSize,
    mysqlStorageClass: "",
    mysqlUser: DEFAULTS.mysqlUser,
};
const EXTERNAL_HOST_KEYS = { mysqlExternalPort: DEFAULTS.mysqlExternalPort, mysqlExternalUser: "", mysqlExternalPassword: "" };
/** Keys of an external MySQL in either form. */
const EXTERNAL_KEYS = {
    mysqlExternalClientImage: "",
    mysqlExternalTls: DEFAULTS.mysqlExternalTls,
    mysqlExternalCaSecret: "",
    mysqlExternalRuntimeUser: "",
    mysqlExternalRuntimePassword: "",
};

/** MySQL's own schemas: granting Tinode's user everything on one of them would hand it the server. */
const SYSTEM_SCHEMAS = ["mysql", "information_schema", "performance_schema", "sys"];

/**
 * Tinode's database name. init-db runs `CREATE DATABASE <name>` unquoted (server/db/mysql/adapter.go),
 * so it must be a plain identifier, and MySQL reads an all-digit identifier as a number.
 */
export function checkMysqlDatabase(v: string): string | undefined {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(v)) return "must be 1-64 letters, digits or '_'";
    if (/^\d+$/.test(v)) return "must not be all digits (MySQL reads an unquoted all-digit name as a number)";
    if (SYSTEM_SCHEMAS.includes(v.toLowerCase()))
        return `must not be a MySQL system schema (${SYSTEM_SCHEMAS.join(", ")}): use a database of Tinode's own, e.g. tinode`;
    return undefined;
}

/**
 * The user of the deployed MySQL. The MySQL image refuses MYSQL_USER=root (its entrypoint exits,
 * the pod crash-loops): root is created by the image itself, with its own password.
 */
/**
 * The deployed MySQL's user the Tinode servers log in as: data rights on Tinode's database only
 * (SELECT, INSERT, UPDATE, DELETE; builders/mysqlRuntimeUser.ts). `mysqlUser` owns the schema and
 * is what the schema Job, the dumps and the backups use.
 */
export const MYSQL_RUNTIME_USER = "tinode_runtime";

export function checkMysqlUser(v: string): string | undefined {
    if (!/^[A-Za-z0-9_]{1,32}$/.test(v)) return "must be 1-32 letters, digits or '_'";
    if (v === "root") return "must not be root (the MySQL image creates root itself and refuses it here): use e.g. tinode";
    if (v === MYSQL_RUNTIME_USER) return `must not be ${MYSQL_RUNTIME_USER}, the servers' own user with data rights only: use e.g. tinode`;
    return undefined;
}

export function readMysql(r: ConfigReader): MysqlSettings {
    const database = r.string("mysqlDatabase", DEFAULTS.mysqlDatabase, checkMysqlDatabase);
    const dsn = r.optionalString("mysqlExternalDsn", (v) => {
        const parsed = parseDsn(v);
        if (typeof parsed === "string") return parsed;
        const wrong = checkMysqlDatabase(parsed.database);
        // The database name is not a secret: say which one.
        return wrong === undefined ? undefined : `names the database "${parsed.database}", which ${wrong}`;
    });
    const host = r.optionalString("mysqlExternalHost", checkHostname);
    const dsnSet = r.isSet("mysqlExternalDsn");
    const hostSet = r.isSet("mysqlExternalHost");

    if (!dsnSet && !hostSet) {
        r.onlyWith(EXTERNAL_HOST_KEYS, `is used only with ${r.fullKey("mysqlExternalHost")}: set that too, or remove this key`);
        r.onlyWith(
            EXTERNAL_KEYS,
            `is used only with an external MySQL (${r.fullKey("mysqlExternalDsn")} or ${r.fullKey("mysqlExternalHost")}): the deployed MySQL is reached inside the cluster, with its own runtime user; remove this key`,
        );
        return {
            kind: "internal",
            image: r.string("mysqlImage", DEFAULTS.mysqlImage, checkPinnedImage),
            storageSize: r.string("mysqlStorageSize", DEFAULTS.mysqlStorageSize, checkByteQuantity),
            storageClass: r.optionalString("mysqlStorageClass", checkDnsSubdomain),
            database,
            user: r.string("mysqlUser", DEFAULTS.mysqlUser, checkMysqlUser),
        };
    }

    // External MySQL: the keys for the deployed MySQL would silently do nothing.
    r.onlyWith(
        INTERNAL_MYSQL_KEYS,
        "configures the MySQL this stack deploys, but an external MySQL is configured (tinode:mysqlExternal*): remove one of them",
    );
    if (dsnSet && hostSet) {
        r.problem(
            "mysqlExternalDsn",
            `and ${r.fullKey("mysqlExternalHost")} are both set: use either the DSN or host/user/password, not both`,
        );
    }
    if (dsnSet) {
        r.onlyWith(
            EXTERNAL_HOST_KEYS,
            `is used only with ${r.fullKey("mysqlExternalHost")}, but ${r.fullKey("mysqlExternalDsn")} is set: put it in the DSN instead`,
        );
        const parsed = dsn === undefined ? undefined : parseDsn(dsn);
        if (parsed === undefined || typeof parsed === "string") {
            readExternalExtras(r, undefined);
            return { kind: "external", host: "", port: 0, database, dsn: "" };
        }
        if (r.isChanged("mysqlDatabase", DEFAULTS.mysqlDatabase) && parsed.database !== database) {
            r.problem(
                "mysqlDatabase",
                `must match the database named in ${r.fullKey("mysqlExternalDsn")} ("${parsed.database}"), or be removed`,
                database,
            );
        }
        return {
            kind: "external",
            host: parsed.host,
            port: parsed.port,
            database: parsed.database,
            ...readExternalExtras(r, parsed, dsn),
        };
    }

    const port = r.integer("mysqlExternalPort", DEFAULTS.mysqlExternalPort, 1, 65535);
    const user = r.optionalString("mysqlExternalUser", checkDsnUser);
    const password = r.optionalString("mysqlExternalPassword");
    if (!r.isSet("mysqlExternalUser")) r.problem("mysqlExternalUser", `is required with ${r.fullKey("mysqlExternalHost")}`);
    if (password === undefined)
        r.problem("mysqlExternalPassword", `is required with ${r.fullKey("mysqlExternalHost")} ${r.naming.secretHint}`);
    const parts = { user: user ?? "", password: password ?? "", host: host ?? "", port, database };
    return { kind: "external", host: host ?? "", port, database, ...readExternalExtras(r, parts, formatDsn(parts)) };
}

/** go-sql-driver ends the user at the first ':' of the DSN: such a user cannot log in. */
function checkDsnUser(v: string): string | undefined {
    return v.includes(":") ? "must not contain ':' (the DSN separates user and password at the first ':')" : undefined;
}

/**
 * TLS and the servers' own user, for an external MySQL in either form: the DSN the schema Job uses
 * (with tls=true when TLS is on), the servers' DSN, the CA. `dsn` stays as given unless TLS must be
 * added, so that an existing stack's config (and its pods) do not change.
 */
function readExternalExtras(
    r: ConfigReader,
    parts: DsnParts | undefined,
    dsn = "",
): Pick<ExternalMysql, "dsn" | "runtimeDsn" | "tls" | "clientImage"> {
    const tlsKey = r.boolean("mysqlExternalTls", DEFAULTS.mysqlExternalTls);
    const caSecret = r.optionalString("mysqlExternalCaSecret", checkDnsSubdomain);
    // Both or neither: one alone would leave the servers on the owner's user unnoticed.
    const runtimeUser = r.isSet("mysqlExternalRuntimePassword")
        ? r.required("mysqlExternalRuntimeUser", r.fullKey("mysqlExternalRuntimePassword"), checkDsnUser)
        : r.optionalString("mysqlExternalRuntimeUser", checkDsnUser);
    const runtimePassword = r.isSet("mysqlExternalRuntimeUser")
        ? r.required("mysqlExternalRuntimePassword", r.fullKey("mysqlExternalRuntimeUser"))
        : r.optionalString("mysqlExternalRuntimePassword");
    const clientImage = r.optionalString("mysqlExternalClientImage", checkPinnedImage);
    const given = parts === undefined ? undefined : dsnTls(parts);
    if (tlsKey && given !== undefined && given !== "true") {
        r.problem(
            "mysqlExternalTls",
            `contradicts tls=${given} in ${r.fullKey("mysqlExternalDsn")}: remove the tls parameter from the DSN (this key sets tls=true), or this key`,
        );
    }
    const tls = tlsKey || given === "true";
    if (caSecret !== undefined && !tls) {
        r.problem("mysqlExternalCaSecret", `needs ${r.fullKey("mysqlExternalTls")} true: a CA is only used to verify a TLS connection`);
    }
    if (parts !== undefined && runtimeUser !== undefined && runtimeUser === parts.user) {
        r.problem(
            "mysqlExternalRuntimeUser",
            `must differ from the user the schema Job logs in with ("${runtimeUser}"): the servers' own user has data rights only; remove this key to use that user for both`,
        );
    }
    if (parts === undefined) return { dsn: "" };
    const withTls = tls && given !== "true" ? withVerifiedTls(parts) : parts;
    // Only what is set: an existing stack's settings stay what they were.
    return {
        dsn: withTls === parts ? dsn : formatDsn(withTls),
        ...(runtimeUser !== undefined && runtimePassword !== undefined
            ? { runtimeDsn: formatDsn({ ...withTls, user: runtimeUser, password: runtimePassword }) }
            : {}),
        ...(tls ? { tls: caSecret !== undefined ? { caSecret } : {} } : {}),
        ...(clientImage !== undefined ? { clientImage } : {}),
    };
}
