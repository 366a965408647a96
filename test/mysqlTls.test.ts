import { expect } from "chai";
import { databaseTarget } from "../builders/database";
import { backupContainers, backupEnv } from "../builders/backup";
import { dbInitJobArgs } from "../builders/dbInitJob";
import { MYSQL_CA_FILE, mysqlClientTlsLines } from "../builders/mysqlTls";
import { objectNames } from "../builders/names";
import { mysqlClientOptions } from "../builders/schemaDump";
import { tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { BackupSettings, TinodeSettings } from "../config/settings";
import { settingsWith } from "./helpers";

const names = objectNames("chat");
const host = { mysqlExternalHost: "db.example", mysqlExternalUser: "owner", mysqlExternalPassword: "pw" };

describe("TLS to an external MySQL (builder)", () => {
    // Read in each test, not once at load: a mutation test run only changes what runs inside a test.
    let withCa: TinodeSettings, systemCas: TinodeSettings, plain: TinodeSettings;
    beforeEach(() => {
        withCa = settingsWith({ ...host, mysqlExternalTls: "true", mysqlExternalCaSecret: "db-ca", backupDestination: "volume" });
        systemCas = settingsWith({ ...host, mysqlExternalTls: "true" });
        plain = settingsWith(host);
    });

    it("verifies the server in the mysql clients' option file, in a form MySQL's and MariaDB's clients both read", () => {
        const options = mysqlClientOptions("owner:pw@tcp(db.example:3306)/tinode?parseTime=true&tls=true", { caSecret: "db-ca" });
        expect(options.split("\n")).to.include.members([
            `ssl-ca=${MYSQL_CA_FILE}`,
            "loose-ssl-mode=VERIFY_IDENTITY",
            "loose-ssl-verify-server-cert=1",
        ]);
        expect(mysqlClientTlsLines({})).to.deep.equal(["loose-ssl-mode=REQUIRED", "loose-ssl=1"]);
        expect(mysqlClientTlsLines(undefined)).to.deep.equal([]);
        expect(mysqlClientOptions("owner:pw@tcp(db.example:3306)/tinode?parseTime=true")).to.not.contain("ssl");
    });

    it("gives the servers and init-db the CA as their trusted root, mounted from the operator's Secret", () => {
        const pod = (tinodeStatefulSetArgs("chat", names, withCa, databaseTarget(names, withCa), "x") as any).spec.template.spec;
        const tinode = pod.containers[0];
        expect(tinode.env).to.deep.include({ name: "SSL_CERT_FILE", value: MYSQL_CA_FILE });
        expect(tinode.volumeMounts).to.deep.include({ name: "mysql-ca", mountPath: "/etc/tinode-mysql-ca", readOnly: true });
        expect(pod.volumes).to.deep.include({
            name: "mysql-ca",
            secret: { secretName: "db-ca", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
        });
        const job = (dbInitJobArgs("chat", names, withCa, databaseTarget(names, withCa)) as any).spec.template.spec;
        const initDb = job.containers.find((c: any) => c.name === "init-db");
        expect(initDb.env).to.deep.equal([{ name: "SSL_CERT_FILE", value: MYSQL_CA_FILE }]);
        expect(job.initContainers.find((c: any) => c.name === "schema-dump").volumeMounts.map((m: any) => m.name)).to.include("mysql-ca");
        // System CAs: nothing to mount; no TLS: the Job's spec as it always was (no env key at all).
        for (const s of [systemCas, plain]) {
            const spec = (dbInitJobArgs("chat", names, s, databaseTarget(names, s)) as any).spec.template.spec;
            expect(spec.containers[0]).to.not.have.property("env");
            expect(spec.volumes.map((v: any) => v.name)).to.not.include("mysql-ca");
        }
    });

    it("passes the backup's dump container the option lines and the CA, not the S3 upload", () => {
        const b = settingsWith({ ...host, backupDestination: "volume" }).backup as BackupSettings;
        const env = backupEnv(names, withCa, b, databaseTarget(names, withCa), "o/p/s", "k", "database");
        expect(env).to.deep.include({ name: "DB_TLS_OPTIONS", value: mysqlClientTlsLines({ caSecret: "db-ca" }).join("\n") });
        expect(backupEnv(names, plain, b, databaseTarget(names, plain), "o/p/s", "k", "database").map((e) => e.name)).to.not.include(
            "DB_TLS_OPTIONS",
        );
        const { containers } = backupContainers(names, withCa, b, databaseTarget(names, withCa), "o/p/s", "k");
        expect(containers[0].volumeMounts).to.deep.include({ name: "mysql-ca", mountPath: "/etc/tinode-mysql-ca", readOnly: true });
    });
});
