// TLS to an external MySQL (mysqlExternalTls, mysqlExternalCaSecret): what each client of the
// database needs to verify the server. The Go clients (the Tinode server, init-db) take tls=true from
// the DSN (config/readMysql.ts) and their trusted CAs from SSL_CERT_FILE (Go's crypto/x509 reads
// that file instead of the system's on Linux). The mysql and mysqldump clients (the schema Job's dump,
// the backups) take option-file lines. The official image's client is MySQL's, a MariaDB image's is
// MariaDB's, and each refuses the other's TLS options, so those carry the `loose-` prefix (an option
// a client does not know is then skipped with a warning: MySQL, "Using Options on the Command Line").
import * as k8s from "@pulumi/kubernetes";
import { ExternalMysql, TinodeSettings } from "../config/settings";

export type MysqlTls = NonNullable<ExternalMysql["tls"]>;

const CA_DIR = "/etc/tinode-mysql-ca";
export const MYSQL_CA_FILE = `${CA_DIR}/ca.crt`;
const VOLUME = "mysql-ca";

/** The TLS the stack's database connections use: only an external MySQL's. */
export function mysqlTls(s: Pick<TinodeSettings, "mysql">): MysqlTls | undefined {
    return s.mysql.kind === "external" ? s.mysql.tls : undefined;
}

/**
 * [client] lines. With the CA: verify the chain and the host name (MySQL ssl-mode=VERIFY_IDENTITY,
 * MariaDB ssl-verify-server-cert). Without it, MySQL's client can only require encryption (it
 * verifies against a CA file only); MariaDB's (11.4 and later) verifies against the system's CAs.
 */
export function mysqlClientTlsLines(tls: MysqlTls | undefined): string[] {
    if (tls === undefined) return [];
    return tls.caSecret !== undefined
        ? [`ssl-ca=${MYSQL_CA_FILE}`, "loose-ssl-mode=VERIFY_IDENTITY", "loose-ssl-verify-server-cert=1"]
        : ["loose-ssl-mode=REQUIRED", "loose-ssl=1"];
}

/** The CA's volume (the Secret's ca.crt alone), for the pods of the containers below. */
export function mysqlCaVolumes(tls: MysqlTls | undefined): k8s.types.input.core.v1.Volume[] {
    if (tls?.caSecret === undefined) return [];
    return [{ name: VOLUME, secret: { secretName: tls.caSecret, items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } }];
}

export function mysqlCaMounts(tls: MysqlTls | undefined): k8s.types.input.core.v1.VolumeMount[] {
    return tls?.caSecret === undefined ? [] : [{ name: VOLUME, mountPath: CA_DIR, readOnly: true }];
}

/** For the Go clients: the CA as their only trusted root. */
export function mysqlCaEnv(tls: MysqlTls | undefined): k8s.types.input.core.v1.EnvVar[] {
    return tls?.caSecret === undefined ? [] : [{ name: "SSL_CERT_FILE", value: MYSQL_CA_FILE }];
}
