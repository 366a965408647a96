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

describe("reading MySQL's database, users and external server", () => {
    it("takes a database or user name of letters, digits and '_' only, whole", () => {
        for (const name of ["tinode-chat", "tinode chat", "-tinode", "tinode-", "a".repeat(65)]) {
            expect(configErrorFor({ mysqlDatabase: name }), name).to.equal(
                `Invalid stack configuration:\n  - tinode:mysqlDatabase must be 1-64 letters, digits or '_' (got "${name}")`,
            );
        }
        for (const name of ["tinode-user", "tinode user", "-tinode", "tinode-", "u".repeat(33)]) {
            expect(configErrorFor({ mysqlUser: name }), name).to.equal(
                `Invalid stack configuration:\n  - tinode:mysqlUser must be 1-32 letters, digits or '_' (got "${name}")`,
            );
        }
        expect(settingsWith({ mysqlDatabase: "a".repeat(64), mysqlUser: "u".repeat(32) }).mysql).to.deep.include({
            database: "a".repeat(64),
            user: "u".repeat(32),
        });
    });

    it("takes a database name that starts with digits but is not all digits", () => {
        expect(settingsWith({ mysqlDatabase: "2024chat" }).mysql.database).to.equal("2024chat");
    });

    it("accepts mysqlDatabase when it names the DSN's database too", () => {
        expect(configErrorFor({ mysqlExternalDsn: dsn, mysqlDatabase: "chat" })).to.equal("");
        expect(settingsWith({ mysqlExternalDsn: dsn, mysqlDatabase: "chat" }).mysql.database).to.equal("chat");
    });

    it("reads the external host's port", () => {
        expect(external({ ...host, mysqlExternalPort: "3307" })).to.deep.include({
            port: 3307,
            dsn: "owner:pw@tcp(db.example:3307)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci",
        });
        expect(configErrorFor({ ...host, mysqlExternalPort: "0" })).to.contain(
            'tinode:mysqlExternalPort must be a whole number from 1 to 65535 (got "0")',
        );
    });

    it("keeps a DSN as given, a mysql:// prefix included, unless tls=true must be added", () => {
        const given = "mysql://owner:pw@tcp(db.example:3307)/chat?parseTime=true";
        expect(external({ mysqlExternalDsn: given }).dsn).to.equal(given);
        expect(external({ mysqlExternalDsn: `${given}&tls=true` }).dsn).to.equal(`${given}&tls=true`);
        expect(external({ mysqlExternalDsn: `${given}&tls=true`, mysqlExternalTls: "true" })).to.deep.include({
            dsn: `${given}&tls=true`,
            tls: {},
        });
        expect(external({ mysqlExternalDsn: given, mysqlExternalTls: "true" }).dsn).to.equal(
            "owner:pw@tcp(db.example:3307)/chat?parseTime=true&tls=true",
        );
    });

    it("checks the servers' user and password when the other half is missing", () => {
        const msg = configErrorFor({ ...host, mysqlExternalRuntimeUser: "a:b" });
        expect(msg).to.contain(
            `tinode:mysqlExternalRuntimeUser must not contain ':' (the DSN separates user and password at the first ':') (got "a:b")`,
        );
        expect(msg).to.contain("tinode:mysqlExternalRuntimePassword is required with tinode:mysqlExternalRuntimeUser");
        expect(configErrorFor({ ...host, mysqlExternalRuntimeUser: "owner" })).to.contain(
            'tinode:mysqlExternalRuntimeUser must differ from the user the schema Job logs in with ("owner")',
        );
        const pw = configErrorFor({ ...host, mysqlExternalRuntimePassword: "p\nq" });
        expect(pw).to.contain("tinode:mysqlExternalRuntimePassword must not contain control characters (newlines, tabs)");
        expect(pw).to.contain("tinode:mysqlExternalRuntimeUser is required with tinode:mysqlExternalRuntimePassword");
    });

    it("reports a malformed DSN, not a crash, when the servers' own user is set too", () => {
        expect(
            configErrorFor({ mysqlExternalDsn: "no-slash", mysqlExternalRuntimeUser: "rt", mysqlExternalRuntimePassword: "x" }),
        ).to.equal(
            "Invalid stack configuration:\n  - tinode:mysqlExternalDsn must be a go-sql-driver DSN: user:password@tcp(host:3306)/tinode?parseTime=true (got a value that does not fit; not shown: it is a secret)",
        );
    });
});
