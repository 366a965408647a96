// Stack config -> TinodeSettings. The only place that knows config key names.
import { checkBase64Bytes, checkDnsLabel, checkDnsSubdomain, checkHostname, checkPinnedImage, checkQuantity } from "./checks";
import { DEFAULTS, MAX_REPLICAS, PUBLISHED_API_KEY_SALT } from "./defaults";
import { ConfigReader, ConfigSource } from "./reader";
import { readResources } from "./resources";
import { MysqlSettings, TinodeSettings } from "./settings";
import { parseDsn, formatDsn } from "../builders/dsn";

/** Namespaces that always exist: creating them would fail. */
const BUILTIN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Keys that only apply to one way of providing MySQL, with their defaults. */
const INTERNAL_MYSQL_KEYS = { mysqlImage: DEFAULTS.mysqlImage, mysqlStorageSize: DEFAULTS.mysqlStorageSize, mysqlStorageClass: "", mysqlUser: DEFAULTS.mysqlUser };
const EXTERNAL_HOST_KEYS = { mysqlExternalPort: DEFAULTS.mysqlExternalPort, mysqlExternalUser: "", mysqlExternalPassword: "" };

/**
 * Reads and validates every setting. Throws a ConfigError naming each bad key and what it accepts;
 * nothing is created before this returns.
 */
export function readSettings(source: ConfigSource, namespace = "tinode"): TinodeSettings {
    const r = new ConfigReader(source, namespace);

    const ns = r.string("namespace", DEFAULTS.namespace, checkDnsLabel);
    const createNamespace = r.boolean("createNamespace", DEFAULTS.createNamespace);
    if (createNamespace && BUILTIN_NAMESPACES.includes(ns)) {
        r.problem("createNamespace", `must be false when ${r.fullKey("namespace")} is the built-in namespace "${ns}"`);
    }

    const settings: TinodeSettings = {
        namespace: ns,
        createNamespace,
        replicas: r.integer("replicas", DEFAULTS.replicas, 1, MAX_REPLICAS),
        clusterDomain: r.string("clusterDomain", DEFAULTS.clusterDomain, checkDnsSubdomain),
        image: r.string("image", DEFAULTS.image, checkPinnedImage),
        imagePullPolicy: r.oneOf("imagePullPolicy", DEFAULTS.imagePullPolicy, ["Always", "IfNotPresent", "Never"] as const),
        failover: {
            // 0 crashes the server (it draws a random jitter from heartbeat/2).
            heartbeatMs: r.integer("heartbeatMs", DEFAULTS.heartbeatMs, 10, 60_000),
            voteAfter: r.integer("voteAfter", DEFAULTS.voteAfter, 1, 1000),
            nodeFailAfter: r.integer("nodeFailAfter", DEFAULTS.nodeFailAfter, 1, 1000),
        },
        terminationGracePeriodSeconds: r.integer("terminationGracePeriodSeconds", DEFAULTS.terminationGracePeriodSeconds, 1, 3600),
        sampleData: r.boolean("sampleData", DEFAULTS.sampleData),
        apiKeySalt: r.string("apiKeySalt", PUBLISHED_API_KEY_SALT, checkBase64Bytes(32), true),
        mysql: readMysql(r),
        resources: readResources(r, "resources"),
        renderYamlTo: r.optionalString("renderYamlTo"),
    };
    r.throwIfProblems();
    return settings;
}

function readMysql(r: ConfigReader): MysqlSettings {
    const database = r.string("mysqlDatabase", DEFAULTS.mysqlDatabase, (v) =>
        /^[A-Za-z0-9_]{1,64}$/.test(v) ? undefined : "must be 1-64 letters, digits or '_'",
    );
    const dsn = r.optionalString("mysqlExternalDsn", (v) => {
        const parsed = parseDsn(v);
        return typeof parsed === "string" ? parsed : undefined;
    }, true);
    const host = r.optionalString("mysqlExternalHost", checkHostname);
    const dsnSet = r.isSet("mysqlExternalDsn");
    const hostSet = r.isSet("mysqlExternalHost");

    if (!dsnSet && !hostSet) {
        for (const [key, fallback] of Object.entries(EXTERNAL_HOST_KEYS)) {
            if (r.isChanged(key, fallback)) r.problem(key, `is used only with ${r.fullKey("mysqlExternalHost")}: set that too, or remove this key`);
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
            r.problem(key, "configures the MySQL this stack deploys, but an external MySQL is configured (tinode:mysqlExternal*): remove one of them");
        }
    }
    if (dsnSet && hostSet) {
        r.problem("mysqlExternalDsn", `and ${r.fullKey("mysqlExternalHost")} are both set: use either the DSN or host/user/password, not both`);
    }
    if (dsnSet) {
        for (const [key, fallback] of Object.entries(EXTERNAL_HOST_KEYS)) {
            if (r.isChanged(key, fallback)) r.problem(key, `is used only with ${r.fullKey("mysqlExternalHost")}, but ${r.fullKey("mysqlExternalDsn")} is set: put it in the DSN instead`);
        }
        const parsed = dsn === undefined ? undefined : parseDsn(dsn);
        if (parsed === undefined || typeof parsed === "string") {
            return { kind: "external", host: "", port: 0, database, dsn: "" };
        }
        if (r.isChanged("mysqlDatabase", DEFAULTS.mysqlDatabase) && parsed.database !== database) {
            r.problem("mysqlDatabase", `must match the database named in ${r.fullKey("mysqlExternalDsn")} ("${parsed.database}"), or be removed`, database);
        }
        return { kind: "external", host: parsed.host, port: parsed.port, database: parsed.database, dsn: dsn! };
    }

    const port = r.integer("mysqlExternalPort", DEFAULTS.mysqlExternalPort, 1, 65535);
    const user = r.optionalString("mysqlExternalUser");
    const password = r.optionalString("mysqlExternalPassword", undefined, true);
    if (user === undefined) r.problem("mysqlExternalUser", `is required with ${r.fullKey("mysqlExternalHost")}`);
    if (password === undefined) r.problem("mysqlExternalPassword", `is required with ${r.fullKey("mysqlExternalHost")} (set it with --secret)`);
    return {
        kind: "external",
        host: host ?? "",
        port,
        database,
        dsn: formatDsn({ user: user ?? "", password: password ?? "", host: host ?? "", port, database }),
    };
}
