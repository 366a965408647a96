// The MySQL part of stack config: the deployed MySQL, or an external one by DSN or by parts.
import { checkDnsSubdomain, checkHostname, checkPinnedImage, checkQuantity } from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { MysqlSettings } from "./settings";
import { formatDsn, parseDsn } from "../builders/dsn";

/** Keys that only apply to one way of providing MySQL, with their defaults. */
const INTERNAL_MYSQL_KEYS = {
    mysqlImage: DEFAULTS.mysqlImage,
    mysqlStorageSize: DEFAULTS.mysqlStorageSize,
    mysqlStorageClass: "",
    mysqlUser: DEFAULTS.mysqlUser,
};
const EXTERNAL_HOST_KEYS = { mysqlExternalPort: DEFAULTS.mysqlExternalPort, mysqlExternalUser: "", mysqlExternalPassword: "" };

export function readMysql(r: ConfigReader): MysqlSettings {
    const database = r.string("mysqlDatabase", DEFAULTS.mysqlDatabase, (v) =>
        /^[A-Za-z0-9_]{1,64}$/.test(v) ? undefined : "must be 1-64 letters, digits or '_'",
    );
    const dsn = r.optionalString(
        "mysqlExternalDsn",
        (v) => {
            const parsed = parseDsn(v);
            return typeof parsed === "string" ? parsed : undefined;
        },
        true,
    );
    const host = r.optionalString("mysqlExternalHost", checkHostname);
    const dsnSet = r.isSet("mysqlExternalDsn");
    const hostSet = r.isSet("mysqlExternalHost");

    if (!dsnSet && !hostSet) {
        for (const [key, fallback] of Object.entries(EXTERNAL_HOST_KEYS)) {
            if (r.isChanged(key, fallback))
                r.problem(key, `is used only with ${r.fullKey("mysqlExternalHost")}: set that too, or remove this key`);
        }
        return {
            kind: "internal",
            image: r.string("mysqlImage", DEFAULTS.mysqlImage, checkPinnedImage),
            storageSize: r.string("mysqlStorageSize", DEFAULTS.mysqlStorageSize, checkQuantity),
            storageClass: r.optionalString("mysqlStorageClass", checkDnsSubdomain),
            database,
            user: r.string("mysqlUser", DEFAULTS.mysqlUser, (v) =>
                /^[A-Za-z0-9_]{1,32}$/.test(v) ? undefined : "must be 1-32 letters, digits or '_'",
            ),
        };
    }

    // External MySQL: the keys for the deployed MySQL would silently do nothing.
    for (const [key, fallback] of Object.entries(INTERNAL_MYSQL_KEYS)) {
        if (r.isChanged(key, fallback)) {
            r.problem(
                key,
                "configures the MySQL this stack deploys, but an external MySQL is configured (tinode:mysqlExternal*): remove one of them",
            );
        }
    }
    if (dsnSet && hostSet) {
        r.problem(
            "mysqlExternalDsn",
            `and ${r.fullKey("mysqlExternalHost")} are both set: use either the DSN or host/user/password, not both`,
        );
    }
    if (dsnSet) {
        for (const [key, fallback] of Object.entries(EXTERNAL_HOST_KEYS)) {
            if (r.isChanged(key, fallback))
                r.problem(
                    key,
                    `is used only with ${r.fullKey("mysqlExternalHost")}, but ${r.fullKey("mysqlExternalDsn")} is set: put it in the DSN instead`,
                );
        }
        const parsed = dsn === undefined ? undefined : parseDsn(dsn);
        if (parsed === undefined || typeof parsed === "string") {
            return { kind: "external", host: "", port: 0, database, dsn: "" };
        }
        if (r.isChanged("mysqlDatabase", DEFAULTS.mysqlDatabase) && parsed.database !== database) {
            r.problem(
                "mysqlDatabase",
                `must match the database named in ${r.fullKey("mysqlExternalDsn")} ("${parsed.database}"), or be removed`,
                database,
            );
        }
        return { kind: "external", host: parsed.host, port: parsed.port, database: parsed.database, dsn: dsn! };
    }

    const port = r.integer("mysqlExternalPort", DEFAULTS.mysqlExternalPort, 1, 65535);
    const user = r.optionalString("mysqlExternalUser");
    const password = r.optionalString("mysqlExternalPassword", undefined, true);
    if (user === undefined) r.problem("mysqlExternalUser", `is required with ${r.fullKey("mysqlExternalHost")}`);
    if (password === undefined)
        r.problem("mysqlExternalPassword", `is required with ${r.fullKey("mysqlExternalHost")} (set it with --secret)`);
    return {
        kind: "external",
        host: host ?? "",
        port,
        database,
        dsn: formatDsn({ user: user ?? "", password: password ?? "", host: host ?? "", port, database }),
    };
}
