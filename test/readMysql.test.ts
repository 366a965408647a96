import { expect } from "chai";
import { ExternalMysql } from "../config/settings";
import { configErrorFor, settingsWith } from "./helpers";

const host = { mysqlExternalHost: "db.example", mysqlExternalUser: "owner", mysqlExternalPassword: "pw" };
const dsn = "owner:pw@tcp(db.example:3307)/chat?parseTime=true";
const external = (values: Record<string, string>) => settingsWith(values).mysql as ExternalMysql;

describe("reading an external MySQL's TLS and the servers' own user", () => {
    it("adds tls=true to either form, with the CA's Secret when one is given", () => {
        expect(external({ ...host, mysqlExternalTls: "true", mysqlExternalCaSecret: "db-ca" })).to.deep.include({
            dsn: "owner:pw@tcp(db.example:3306)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci&tls=true",
            tls: { caSecret: "db-ca" },
        });
        expect(external({ mysqlExternalDsn: dsn, mysqlExternalTls: "true" })).to.deep.include({
            dsn: "owner:pw@tcp(db.example:3307)/chat?parseTime=true&tls=true",
            tls: {},
        });
        // A DSN that says tls=true itself is kept as given, and counts as TLS on (the system's CAs).
        const given = "owner:pw@tcp(db.example:3307)/chat?parseTime=true&tls=true";
        expect(external({ mysqlExternalDsn: given })).to.deep.include({ dsn: given, tls: {} });
    });

    it("leaves an existing stack's settings as they were without the new keys", () => {
        expect(external({ mysqlExternalDsn: dsn })).to.deep.equal({
            kind: "external",
            host: "db.example",
            port: 3307,
            database: "chat",
            dsn,
        });
    });

    it("gives the servers their own user on the same server, database and TLS", () => {
        const m = external({
            ...host,
            mysqlExternalTls: "true",
            mysqlExternalRuntimeUser: "tinode_rt",
            mysqlExternalRuntimePassword: "p:w@/x",
        });
        expect(m.runtimeDsn).to.equal("tinode_rt:p:w@/x@tcp(db.example:3306)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci&tls=true");
        expect(m.dsn).to.match(/^owner:pw@/);
        expect(external({ mysqlExternalDsn: dsn, mysqlExternalRuntimeUser: "rt", mysqlExternalRuntimePassword: "x" }).runtimeDsn).to.equal(
            "rt:x@tcp(db.example:3307)/chat?parseTime=true",
        );
    });

    it("refuses contradictions and halves, naming the key and the fix", () => {
        expect(configErrorFor({ mysqlExternalDsn: `${dsn}&tls=skip-verify`, mysqlExternalTls: "true" })).to.contain(
            "tinode:mysqlExternalTls contradicts tls=skip-verify in tinode:mysqlExternalDsn: remove the tls parameter from the DSN",
        );
        expect(configErrorFor({ ...host, mysqlExternalCaSecret: "db-ca" })).to.contain(
            "tinode:mysqlExternalCaSecret needs tinode:mysqlExternalTls true",
        );
        expect(configErrorFor({ ...host, mysqlExternalRuntimeUser: "rt" })).to.contain(
            "tinode:mysqlExternalRuntimePassword is required with tinode:mysqlExternalRuntimeUser (set it with --secret)",
        );
        expect(configErrorFor({ ...host, mysqlExternalRuntimePassword: "x" })).to.contain(
            "tinode:mysqlExternalRuntimeUser is required with tinode:mysqlExternalRuntimePassword",
        );
        expect(configErrorFor({ ...host, mysqlExternalRuntimeUser: "owner", mysqlExternalRuntimePassword: "x" })).to.contain(
            'tinode:mysqlExternalRuntimeUser must differ from the user the schema Job logs in with ("owner")',
        );
        expect(configErrorFor({ ...host, mysqlExternalRuntimeUser: "a:b", mysqlExternalRuntimePassword: "x" })).to.contain(
            "tinode:mysqlExternalRuntimeUser must not contain ':'",
        );
        expect(configErrorFor({ mysqlExternalDsn: `${dsn}&tls=custom` })).to.contain(
            "tinode:mysqlExternalDsn has tls=custom, a TLS config name Tinode never registers",
        );
        for (const key of ["mysqlExternalTls", "mysqlExternalCaSecret", "mysqlExternalRuntimeUser", "mysqlExternalRuntimePassword"]) {
            expect(configErrorFor({ [key]: key === "mysqlExternalTls" ? "true" : "x" })).to.contain(
                `tinode:${key} is used only with an external MySQL`,
            );
        }
    });
});
