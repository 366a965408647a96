import { expect } from "chai";
import { databaseTarget } from "../builders/database";
import { DB_INIT_DEADLINE_SECONDS, dbInitJobArgs, dbInitJobName, dbInitJobTimeouts, initDbArgs } from "../builders/dbInitJob";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

describe("schema Job (builder)", () => {
    const names = objectNames("tinode");
    const job = (values: Record<string, string> = {}) => {
        const s = settingsWith(values);
        return dbInitJobArgs("tinode", names, s, databaseTarget(names, s)) as any;
    };

    it("lets Pulumi wait longer than the Job's own deadline, so the Job's verdict is what an update reports", () => {
        expect(job().spec.activeDeadlineSeconds).to.equal(DB_INIT_DEADLINE_SECONDS);
        for (const t of Object.values(dbInitJobTimeouts())) {
            const minutes = Number(/^(\d+)m$/.exec(t)?.[1]);
            expect(minutes * 60, t).to.be.greaterThan(DB_INIT_DEADLINE_SECONDS);
        }
    });

    it("upgrades, never resets, and loads the sample data only when asked", () => {
        expect(initDbArgs(false)).to.deep.equal(["--config=/etc/tinode/tinode.conf", "--upgrade"]);
        expect(initDbArgs(true)).to.include("--data=/opt/tinode/data.json");
        for (const args of [initDbArgs(false), initDbArgs(true)]) expect(args.join(" ")).to.not.contain("reset");
        expect(job().spec.template.spec.containers[0].args).to.deep.equal(initDbArgs(false));
    });

    it("is a new Job for a new image or database, the same one for anything else", () => {
        const name = (values: Record<string, string>) => {
            const s = settingsWith(values);
            return dbInitJobName(names, s, databaseTarget(names, s));
        };
        expect(name({ image: "tinode/tinode-mysql:0.25.4" })).to.not.equal(name({}));
        expect(name({ mysqlDatabase: "chat" })).to.not.equal(name({}));
        expect(name({ replicas: "5" })).to.equal(name({}));
        expect(job().metadata.name).to.equal(name({}));
    });

    it("is replaced when it failed, except in a rendering, where no cluster can say", () => {
        expect(job().metadata.annotations).to.deep.equal({ "pulumi.com/replaceUnready": "true" });
        expect(job({ renderYamlTo: "out" }).metadata.annotations).to.equal(undefined);
    });
});
