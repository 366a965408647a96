import { expect } from "chai";
import { formatDsn, parseDsn } from "../tinode/dsn";

describe("DSN", () => {
    it("splits at the last '/' and the last '@' before it, as go-sql-driver does", () => {
        expect(parseDsn("u:p@ss@tcp(db:3306)/tinode?parseTime=true")).to.deep.include({
            user: "u",
            password: "p@ss",
            host: "db",
            port: 3306,
            database: "tinode",
        });
        expect(parseDsn("u:a:b/c@tcp(db)/x?parseTime=true&loc=UTC")).to.deep.include({
            user: "u",
            password: "a:b/c",
            port: 3306,
            database: "x",
        });
        expect(parseDsn("mysql://u@tcp(db:3307)/x?parseTime=true")).to.deep.include({ user: "u", password: "", port: 3307 });
        // Without a user nobody logs in: Tinode and the backup job need one.
        expect(parseDsn("mysql://tcp(db:3307)/x?parseTime=true")).to.contain("the user is missing");
    });

    it("reads back what it formats, whatever the password", () => {
        for (const password of ["plain", "p@ss", "a:b", "x/y?z=1&w", "(paren)"]) {
            const parts = { user: "chat", password, host: "db.example", port: 3307, database: "chat" };
            expect(parseDsn(formatDsn(parts)), password).to.deep.include(parts);
        }
    });

    it("says what is wrong without echoing the DSN", () => {
        expect(parseDsn("u:secret@tcp(db:99999)/x?parseTime=true")).to.equal("has a port outside 1-65535");
        expect(parseDsn("u:secret@unix(/run/mysqld.sock)/x?parseTime=true")).to.match(/only tcp/);
        expect(parseDsn("u:secret@tcp(db)/x")).to.match(/parseTime=true/);
        expect(parseDsn("u:secret@tcp(db)/?parseTime=true")).to.match(/database name is missing/);
        for (const d of ["u:secret@tcp(db:99999)/x?parseTime=true", "u:secret@tcp(db)/x"]) expect(parseDsn(d)).not.to.contain("secret");
    });

    it("names the missing part: no database path at all, an empty host before the port", () => {
        expect(parseDsn("u:secret@tcp(db:3306)")).to.equal(
            "must be a go-sql-driver DSN: user:password@tcp(host:3306)/tinode?parseTime=true",
        );
        expect(parseDsn("u:secret@tcp(:3306)/x?parseTime=true")).to.contain("(the host is empty)");
        // A path at the very start has no address before it: the address is what is wrong.
        expect(parseDsn("/x?parseTime=true")).to.contain("(only tcp(host:port) reaches a server from a pod)");
        expect(parseDsn("u:secret@tcp(db)/%E0%A4%A?parseTime=true")).to.contain("(the database name is not valid URL path text)");
    });
});
