import { expect } from "chai";
import { databaseTarget } from "../builders/database";
import { objectNames } from "../builders/names";
import { disruptionBudgetArgs, tinodeArgs, tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { settingsWith } from "./helpers";

const names = objectNames("chat");
function sts(values: Record<string, string> = {}) {
    const s = settingsWith(values);

    return tinodeStatefulSetArgs("chat", names, s, databaseTarget(names, s), "sum") as any;
}

describe("Tinode StatefulSet (builder)", () => {
    it("starts every pod at once behind the headless Service and rolls one at a time", () => {
        const spec = sts().spec;
        // Parallel: a node is of little use until its peers are up; an ordered start only delays the cluster.
        expect(spec.podManagementPolicy).to.equal("Parallel");
        expect(spec.serviceName).to.equal("chat-cluster");
        expect(spec.updateStrategy).to.deep.equal({ type: "RollingUpdate" });
        expect(spec.replicas).to.equal(3);
    });

    it("names each node after its pod, and runs a single replica standalone", () => {
        expect(tinodeArgs(3)).to.include("--cluster_self=$(POD_NAME)");
        expect(tinodeArgs(1).some((a) => a.startsWith("--cluster_self"))).to.equal(false);
        expect(sts({ replicas: "1" }).spec.minReadySeconds).to.equal(undefined);
        expect(sts().spec.minReadySeconds).to.be.a("number");
    });

    it("lets voluntary disruptions take one Tinode node at a time", () => {
        const pdb = disruptionBudgetArgs("chat", names, settingsWith()) as any;
        expect(pdb.spec.maxUnavailable).to.equal(1);
        expect(pdb.spec.selector.matchLabels["app.kubernetes.io/component"]).to.equal("server");
    });
});
