// MySQL DSNs in go-sql-driver form, as Tinode's mysql adapter reads them: the format is Tinode's,
// so settings (config/readMysql.ts) and the component both use it from here.

export interface DsnParts {
    user: string;
    password: string;
    host: string;
    port: number;
    database: string;
    /** The query after '?', as given (formatDsn: DSN_PARAMS when absent). */
    params?: string;
}

/**
 * parseTime=true is required by Tinode's adapter; the collation is the one Tinode creates its
 * database with (MySQL 8+).
 */
export const DSN_PARAMS = "parseTime=true&collation=utf8mb4_0900_ai_ci";

/**
 * Any password works here: the driver splits at the last '/' and the last '@' before it (see
 * parseDsn). The user must not contain ':' (config/readMysql.ts refuses one).
 */
export function formatDsn(p: DsnParts): string {
    return `${p.user}:${p.password}@tcp(${p.host}:${p.port})/${p.database}?${p.params ?? DSN_PARAMS}`;
}

/**
 * The `tls` parameter's values go-sql-driver knows (dsn.go, v1.10): "true" verifies the server's
 * certificate against the system CAs (Go reads SSL_CERT_FILE instead when it is set) and its name
 * against the host; "skip-verify" encrypts without verifying; "preferred" falls back to clear text;
 * "false" is clear text. Any other value names a TLS config the program must register, and Tinode
 * registers none: its adapter would fail to open the DSN.
 */
export const DSN_TLS_VALUES = ["true", "false", "skip-verify", "preferred"] as const;

/** A DSN's `tls` parameter, or undefined when it has none. */
export function dsnTls(p: DsnParts): string | undefined {
    return new URLSearchParams(p.params ?? "").get("tls") ?? undefined;
}

/** The same DSN with `tls=true` (verified TLS), for a database the stack reaches over TLS. */
export function withVerifiedTls(p: DsnParts): DsnParts {
    const params = new URLSearchParams(p.params ?? DSN_PARAMS);
    params.set("tls", "true");
    return { ...p, params: params.toString() };
}

/**
 * Parses a DSN the way go-sql-driver/mysql's ParseDSN does (dsn.go, v1.10 as Tinode 0.25.3 uses it):
 * the database follows the LAST '/', the credentials end at the LAST '@' before it, and the user ends
 * at the FIRST ':' — so a password may hold '@', ':' or '/'. Tinode strips an optional "mysql://"
 * first (server/db/mysql/adapter.go). Returns what is wrong without echoing the DSN (a secret).
 */
export function parseDsn(dsn: string): DsnParts | string {
    const form = "must be a go-sql-driver DSN: user:password@tcp(host:3306)/tinode?parseTime=true";
    const s = dsn.startsWith("mysql://") ? dsn.slice("mysql://".length) : dsn;
    const slash = s.lastIndexOf("/");
    if (slash < 0) return form;
    const left = s.slice(0, slash);
    const at = left.lastIndexOf("@");
    const credentials = at < 0 ? "" : left.slice(0, at);
    const colon = credentials.indexOf(":");
    const [user, password] = colon < 0 ? [credentials, ""] : [credentials.slice(0, colon), credentials.slice(colon + 1)];
    const address = /^tcp\(([^()]+)\)$/.exec(left.slice(at + 1));
    if (!address) return `${form} (only tcp(host:port) reaches a server from a pod)`;
    const query = s.indexOf("?", slash);
    let database: string;
    try {
        database = decodeURIComponent(s.slice(slash + 1, query < 0 ? undefined : query));
    } catch {
        return `${form} (the database name is not valid URL path text)`;
    }
    const hostPart = address[1];
    const portAt = hostPart.lastIndexOf(":");
    const host = portAt < 0 ? hostPart : hostPart.slice(0, portAt);
    const port = portAt < 0 ? 3306 : Number(hostPart.slice(portAt + 1));
    if (host === "") return `${form} (the host is empty)`;
    if (user === "") return `${form} (the user is missing: Tinode and the backup job log in with it)`;
    if (!/^\d{1,5}$/.test(portAt < 0 ? "3306" : hostPart.slice(portAt + 1)) || port < 1 || port > 65535)
        return "has a port outside 1-65535";
    if (database === "") return `${form} (the database name is missing)`;
    const params = new URLSearchParams(query < 0 ? "" : s.slice(query + 1));
    if (params.get("parseTime") !== "true") return "must include parseTime=true (Tinode's adapter needs it)";
    const tls = params.get("tls");
    if (tls !== null && !(DSN_TLS_VALUES as readonly string[]).includes(tls))
        return `has tls=${tls}, a TLS config name Tinode never registers: use tls=true (or tinode:mysqlExternalTls)`;
    return { user, password, host, port, database, params: s.slice(query + 1) };
}

/**
 * The user and password of a go-sql-driver DSN (the backup job of an external database logs in with
 * them), split as the driver splits them (parseDsn). undefined for a DSN the config check refuses.
 */
export function dsnCredentials(dsn: string): { user: string; password: string } | undefined {
    const p = parseDsn(dsn);
    return typeof p === "string" ? undefined : { user: p.user, password: p.password };
}
