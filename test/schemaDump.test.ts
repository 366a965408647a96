import { expect } from "chai";
import { mysqlClientOptions, schemaDumpClaimArgs, schemaDumpScript } from "../builders/schemaDump";
import { objectNames } from "../builders/names";
import { mysqlDataClaimPatchArgs } from "../builders/mysql";
import { settingsWith } from "./helpers";

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

describe("schema dump claim", () => {
    const names = objectNames("tinode");

    it("uses the class MySQL's volume binds with, or the cluster's default for an external MySQL", () => {
        const internal = schemaDumpClaimArgs("tinode", names, settingsWith({ mysqlStorageClass: "local" })) as any;
        expect(internal.spec.storageClassName).to.equal("local");
        const byDefault = schemaDumpClaimArgs("tinode", names, settingsWith({})) as any;
        expect(byDefault.spec.storageClassName).to.equal(undefined);
        const external = schemaDumpClaimArgs(
            "tinode",
            names,
            settingsWith({ mysqlExternalDsn: "u:p@tcp(db.example.com:3306)/tinode?parseTime=true" }),
        ) as any;
        expect(external.spec.storageClassName).to.equal(undefined);
    });
});

describe("MySQL claim size patch", () => {
    it("does not wait on the claim: a bound claim of a first-consumer class never turns Pending again", () => {
        const s = settingsWith({ mysqlStorageSize: "20Gi" });
        if (s.mysql.kind !== "internal") throw new Error("expected the deployed MySQL");
        const patch = mysqlDataClaimPatchArgs(objectNames("tinode"), s, s.mysql) as any;
        expect(patch.metadata.annotations).to.include({ "pulumi.com/skipAwait": "true", "pulumi.com/patchForce": "true" });
        expect(patch.spec).to.deep.equal({ resources: { requests: { storage: "20Gi" } } });
    });
});
