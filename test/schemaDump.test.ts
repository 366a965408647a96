import { expect } from "chai";
import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DUMP_PATHS, dumpToClaimLines, mysqlClientOptions, schemaDumpClaimArgs, schemaDumpScript } from "../builders/schemaDump";
import { MYSQLDUMP_GTID_LINE, mysqldumpCommand } from "../builders/mysqlDump";
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
        expect(script).to.contain(`${MYSQLDUMP_GTID_LINE}\n${mysqldumpCommand("/etc/tinode-db/client.cnf")} > "$file.partial"`);
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

describe("dump to the claim (run in sh with stand-in clients)", () => {
    /**
     * Runs `lines` with `mysql` and `mysqldump` replaced by shell functions' scripts, and the dumps
     * folder moved to a temporary one. Returns the output, the exit code and the files left there.
     */
    function runDump(lines: string[], mysql: string, mysqldump = 'echo "-- dump of $*"'): { out: string; code: number; files: string[] } {
        const dir = mkdtempSync(join(tmpdir(), "dump-"));
        try {
            mkdirSync(join(dir, "bin"));
            mkdirSync(join(dir, "dumps"));
            for (const [name, body] of [
                ["mysql", mysql],
                ["mysqldump", `case "$1" in --help) exit 0;; esac\n${mysqldump}`],
            ]) {
                writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}\n`);
                chmodSync(join(dir, "bin", name), 0o755);
            }
            const script = ["set -eu", ...lines].join("\n").split(`${DUMP_PATHS.dumps}/`).join(`${dir}/dumps/`);
            const r = spawnSync("sh", ["-c", script], {
                env: { PATH: `${dir}/bin:/usr/bin:/bin`, DB_NAME: "tinode", CLAIM: "tinode-schema-dumps" },
            });
            return { out: r.stdout.toString() + r.stderr.toString(), code: r.status ?? -1, files: readdirSync(join(dir, "dumps")) };
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    // Built in each test, not when the file loads: Stryker counts what a test runs as covered by it.
    const dumpLines = () => dumpToClaimLines(["v=7"], "$DB_NAME-v$v", "version $v");

    it("reads the count past a client's warning, and dumps nothing when the database is missing", () => {
        const r = runDump(dumpLines(), 'echo "mysql: Deprecated program name." >&2; echo 0');
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.contain("database tinode does not exist yet: nothing to dump");
        expect(r.files).to.deep.equal([]);
    });

    it("leaves a complete dump under its final name", () => {
        const r = runDump(dumpLines(), 'echo "mysql: Deprecated program name." >&2; echo 1');
        expect(r.code, r.out).to.equal(0);
        expect(r.files).to.have.length(1);
        expect(r.files[0]).to.match(/^tinode-v7-\d{8}T\d{6}Z\.sql$/);
        expect(r.out).to.match(/dumped tinode \(version 7\) to .*tinode-v7-.*\.sql on claim tinode-schema-dumps: \d+ bytes/);
    });

    it("fails, keeping no file under the final name, when MySQL refuses or the dump fails", () => {
        const refused = runDump(dumpLines(), 'echo "ERROR 1045 (28000): Access denied for user" >&2; exit 1');
        expect(refused.code).to.equal(1);
        expect(refused.out).to.contain("MySQL refuses the credentials this stack holds");
        expect(refused.out, "MySQL's own answer is shown").to.contain("ERROR 1045 (28000): Access denied");
        const broken = runDump(dumpLines(), "echo 1", "echo partial; exit 2");
        expect(broken.code).to.not.equal(0);
        expect(broken.files.filter((f) => !f.endsWith(".partial"))).to.deep.equal([]);
    });
});
