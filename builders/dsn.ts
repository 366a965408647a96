// MySQL DSNs in go-sql-driver form, as Tinode's mysql adapter reads them.

export interface DsnParts {
    user: string;
    password: string;
    host: string;
    port: number;
    database: string;
}

/**
 * parseTime=true is required by Tinode's adapter; the collation is the one Tinode creates its
 * database with (MySQL 8+).
 */
export const DSN_PARAMS = "parseTime=true&collation=utf8mb4_0900_ai_ci";

export function formatDsn(p: DsnParts): string {
    return `${p.user}:${p.password}@tcp(${p.host}:${p.port})/${p.database}?${DSN_PARAMS}`;
}

export interface ParsedDsn {
    host: string;
    port: number;
    database: string;
    params: URLSearchParams;
}

/** Parses the parts of a DSN this program needs, or returns what is wrong without echoing it. */
export function parseDsn(dsn: string): ParsedDsn | string {
    const m = /^(?:mysql:\/\/)?(?:[^@]*@)?tcp\(([^)]+)\)\/([^?/]+)(?:\?(.*))?$/.exec(dsn);
    if (!m) return "must be a go-sql-driver DSN: user:password@tcp(host:3306)/tinode?parseTime=true";
    const [hostPart, database, query] = [m[1], m[2], m[3] ?? ""];
    const colon = hostPart.lastIndexOf(":");
    const host = colon < 0 ? hostPart : hostPart.slice(0, colon);
    const port = colon < 0 ? 3306 : Number(hostPart.slice(colon + 1));
    if (!Number.isInteger(port) || port < 1 || port > 65535) return "has a port outside 1-65535";
    const params = new URLSearchParams(query);
    if (params.get("parseTime") !== "true") return "must include parseTime=true (Tinode's adapter needs it)";
    return { host, port, database, params };
}

/** The user and password of a go-sql-driver DSN (the backup job of an external database logs in with them). */
export function dsnCredentials(dsn: string): { user: string; password: string } | undefined {
    const m = /^(?:mysql:\/\/)?([^:@/]*)(?::(.*))?@tcp\(/.exec(dsn);
    return m ? { user: m[1], password: m[2] ?? "" } : undefined;
}
