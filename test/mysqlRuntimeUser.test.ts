import { expect } from "chai";
import { mysqlStatefulSetArgs } from "../builders/mysql";
import { RUNTIME_USER_FILE, runtimeUserSecretArgs, runtimeUserSql } from "../builders/mysqlRuntimeUser";
import { objectNames } from "../builders/names";
import { checkMysqlUser } from "../config/readMysql";
import { InternalMysql, TinodeSettings } from "../config/settings";
import { isSecret, valueOf } from "./mocks";
import { configErrorFor, settingsWith } from "./helpers";
import * as pulumi from "@pulumi/pulumi";

describe("MySQL runtime user (builder)", () => {
    const names = objectNames("tinode");
    // Read in each test, not once at load: a mutation test run only changes what runs inside a test.
    let s: TinodeSettings, mysql: InternalMysql;
    beforeEach(() => {
        s = settingsWith({ mysqlDatabase: "chat" });
        if (s.mysql.kind !== "internal") throw new Error("expected the deployed MySQL");
        mysql = s.mysql;
    });

    it("makes the user idempotently with rights on the rows of Tinode's database only, one statement a line", () => {
        const lines = runtimeUserSql(mysql, "pw0").trimEnd().split("\n");
        expect(lines).to.deep.equal([
            "CREATE USER IF NOT EXISTS 'tinode_runtime'@'%' IDENTIFIED BY 'pw0';",
            "ALTER USER 'tinode_runtime'@'%' IDENTIFIED BY 'pw0';",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `chat`.* TO 'tinode_runtime'@'%';",
        ]);
        expect(runtimeUserSql(mysql, "a'b\\c")).to.contain("IDENTIFIED BY 'a''b\\\\c';");
    });

    it("keeps the file, password included, in a Secret, and MySQL runs it at every start", async () => {
        const args = runtimeUserSecretArgs("tinode", names, s, mysql, pulumi.secret("pw1"));
        const data = (args.stringData as Record<string, pulumi.Output<string>>)[RUNTIME_USER_FILE.key];
        expect(await isSecret(data)).to.equal(true);
        expect(await valueOf(data)).to.contain("IDENTIFIED BY 'pw1'");
        const pod = (mysqlStatefulSetArgs("tinode", names, s, mysql) as any).spec.template.spec;
        const container = pod.containers[0];
        expect(container.args).to.deep.equal([`--init-file=${RUNTIME_USER_FILE.dir}/${RUNTIME_USER_FILE.key}`]);
        expect(container.volumeMounts).to.deep.include({ name: "runtime-user", mountPath: RUNTIME_USER_FILE.dir, readOnly: true });
        expect(pod.volumes).to.deep.include({ name: "runtime-user", secret: { secretName: names.mysqlRuntimeUser, defaultMode: 0o440 } });
    });

    it("is not a name mysqlUser may take", () => {
        expect(checkMysqlUser("tinode_runtime")).to.match(/must not be tinode_runtime/);
        expect(configErrorFor({ mysqlUser: "tinode_runtime" })).to.contain("tinode:mysqlUser must not be tinode_runtime");
    });
});
