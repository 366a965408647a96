import { expect } from "chai";
import { databaseTarget } from "../builders/database";
import { mysqlUpgradeDumpJobArgs, mysqlUpgradeDumpJobName, mysqlUpgradeDumpScript } from "../builders/mysqlUpgradeDump";
import { objectNames } from "../builders/names";
import { CLIENT_OPTIONS } from "../builders/schemaDump";
import { settingsWith } from "./helpers";

describe("MySQL upgrade dump (builder)", () => {
    const names = objectNames("tinode");
    const s = settingsWith({ mysqlImage: "mysql:9.1.0" });
    if (s.mysql.kind !== "internal") throw new Error("expected the deployed MySQL");
    const upgrade = { from: "mysql:8.4.6", to: "mysql:9.1.0" };
    // Built in each test, not when the file loads: Stryker counts what a test runs as covered by it.
    const build = () => {
        if (s.mysql.kind !== "internal") throw new Error("expected the deployed MySQL");
        const job = mysqlUpgradeDumpJobArgs("tinode", names, s, s.mysql, databaseTarget(names, s), upgrade) as any;
        return { job, pod: job.spec.template.spec };
    };

    it("is one Job per upgrade, so a rerun of the same upgrade runs nothing", () => {
        const { job } = build();
        expect(job.metadata.name).to.equal(mysqlUpgradeDumpJobName(names, upgrade));
        expect(job.metadata.name).to.match(/^tinode-mysql-upgrade-dump-[0-9a-f]{10}$/);
        expect(mysqlUpgradeDumpJobName(names, { ...upgrade, to: "mysql:9.2.0" })).to.not.equal(job.metadata.name);
        expect(job.metadata.annotations["pulumi.com/replaceUnready"]).to.equal("true");
    });

    it("dumps with the running release's client into the dumps claim, as the schema Job's pods", () => {
        const { job, pod } = build();
        const [dump] = pod.containers;
        expect(pod.containers).to.have.length(1);
        expect(dump.name).to.equal("dump");
        expect(dump.image).to.equal(upgrade.from);
        expect(dump.command).to.deep.equal(["sh", "-c", mysqlUpgradeDumpScript()]);
        expect(dump.env).to.deep.equal([
            { name: "DB_NAME", value: "tinode" },
            { name: "CLAIM", value: names.schemaDumps },
            { name: "NEW_IMAGE", value: upgrade.to },
        ]);
        expect(dump.resources).to.deep.equal(s.resources.dbInit);
        expect(dump.securityContext.allowPrivilegeEscalation).to.equal(false);
        // The client's option file read-only; the dumps written.
        expect(dump.volumeMounts).to.deep.equal([
            { name: "db-client", mountPath: "/etc/tinode-db", readOnly: true },
            { name: "dumps", mountPath: "/dumps" },
        ]);
        expect(job.metadata.namespace).to.equal(s.namespace);
        expect(job.metadata.labels["app.kubernetes.io/version"]).to.equal("8.4.6");
        expect(pod.volumes).to.deep.include({ name: "dumps", persistentVolumeClaim: { claimName: names.schemaDumps } });
        expect(pod.volumes).to.deep.include({ name: "db-client", secret: { secretName: names.dbClient, defaultMode: 0o440 } });
        // The schema Job's component: its NetworkPolicy reaches MySQL, MySQL's lets it in.
        expect(job.metadata.labels["app.kubernetes.io/component"]).to.equal("db-init");
        expect(pod.initContainers.map((c: any) => c.name)).to.deep.equal(["wait-for-mysql"]);
        expect(pod.securityContext.runAsNonRoot).to.equal(true);
    });

    it("names the dump after the server's own version, asked before it dumps", () => {
        const script = mysqlUpgradeDumpScript();
        expect(script).to.contain("(MySQL $server, before the upgrade to $NEW_IMAGE)");
        expect(script.indexOf(`mysql ${CLIENT_OPTIONS} -N -B -e "SELECT VERSION()"`)).to.be.greaterThan(0);
        expect(script.indexOf("SELECT VERSION()")).to.be.lessThan(script.indexOf("mysqldump --"));
        expect(script).to.contain('file="/dumps/$DB_NAME-mysql$server-before-upgrade-');
        expect(script.split("\n")[0]).to.equal("set -eu");
    });
});
