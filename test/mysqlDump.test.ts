import { expect } from "chai";
import { execFileSync } from "child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MYSQLDUMP_GTID_LINE, mysqldumpCommand } from "../builders/mysqlDump";

/** Runs the GTID line in sh with a mysqldump whose --help prints `help`; returns what it set. */
function gtidWith(help: string): string {
    const dir = mkdtempSync(join(tmpdir(), "mysqldump-"));
    try {
        writeFileSync(join(dir, "mysqldump"), `#!/bin/sh\ncat <<'HELP'\n${help}\nHELP\n`);
        chmodSync(join(dir, "mysqldump"), 0o755);
        return execFileSync("sh", ["-c", `${MYSQLDUMP_GTID_LINE}; printf %s "$gtid"`], {
            env: { PATH: `${dir}:/usr/bin:/bin` },
        }).toString();
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

describe("mysqldump command", () => {
    it("turns GTID statements off for MySQL's client only (MariaDB's refuses the option)", () => {
        expect(gtidWith("  --set-gtid-purged=name  Add 'SET @@GLOBAL.GTID_PURGED' to the output.")).to.equal("--set-gtid-purged=OFF");
        expect(gtidWith("  --gtid              Used together with --master-data=1 or --dump-slave=1.")).to.equal("");
    });

    it("dumps one database in one consistent snapshot with what a restore needs", () => {
        const cmd = mysqldumpCommand('"$CNF"');
        expect(cmd.startsWith('mysqldump --defaults-extra-file="$CNF" ')).to.equal(true);
        for (const option of ["--single-transaction", "--routines", "--triggers", "--hex-blob", "--default-character-set=utf8mb4", "$gtid"])
            expect(cmd.split(" "), option).to.include(option);
        expect(cmd.endsWith('--databases "$DB_NAME"')).to.equal(true);
    });
});
