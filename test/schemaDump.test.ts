import { expect } from "chai";
import { mysqlClientOptions, schemaDumpScript } from "../builders/schemaDump";

describe("schema dump", () => {
    it("writes client options from the DSN, quoting what the option file would misread", () => {
        expect(mysqlClientOptions('u:p@s"s\\#x@tcp(db.example:3307)/chat?parseTime=true')).to.equal(
            '[client]\nhost=db.example\nport=3307\nuser="u"\npassword="p@s\\"s\\\\#x"\n',
        );
        expect(() => mysqlClientOptions("nonsense")).to.throw(/DSN must be a go-sql-driver DSN/);
    });

    it("dumps only an existing database, consistently, under a temporary name until complete", () => {
        const script = schemaDumpScript();
        expect(script.indexOf("= current ]")).to.be.lessThan(script.indexOf("mysqldump"));
        expect(script.indexOf('"$found" = 0 ]')).to.be.lessThan(script.indexOf("mysqldump"));
        expect(script).to.contain(
            '--single-transaction --no-tablespaces --set-gtid-purged=OFF --triggers --databases "$DB_NAME" > "$file.partial"',
        );
        expect(script).to.contain('mv "$file.partial" "$file"');
        expect(script.split("\n")[0]).to.equal("set -eu");
    });
});
