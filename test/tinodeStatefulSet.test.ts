import { expect } from "chai";
import { databaseTarget } from "../builders/database";
import { objectNames } from "../builders/names";
import { disruptionBudgetArgs, serverArgs, tinodeCommand, tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { NODE_SELF_SCRIPT } from "../builders/clusterNodes";
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

    it("names each node after its pod in exec form up to ten pods, and runs a single replica standalone", () => {
        for (const replicas of [2, 3, 10]) {
            expect(tinodeCommand(replicas)).to.deep.equal({
                command: ["/opt/tinode/tinode"],
                args: ["--config=/etc/tinode/tinode.conf", "--static_data=/opt/tinode/static", "--cluster_self=$(POD_NAME)"],
            });
        }
        expect(tinodeCommand(1)).to.deep.equal({ command: ["/opt/tinode/tinode"], args: serverArgs() });
        const container = sts().spec.template.spec.containers[0];
        expect([...container.command, ...container.args]).to.deep.equal(["/opt/tinode/tinode", ...tinodeCommand(3).args]);
        expect(sts({ replicas: "1" }).spec.minReadySeconds).to.equal(undefined);
        expect(sts().spec.minReadySeconds).to.be.a("number");
    });

    it("from eleven pods, a shell computes the node name and execs the server with it", () => {
        const { command, args } = tinodeCommand(11);
        expect(command).to.deep.equal(["/bin/sh", "-c", NODE_SELF_SCRIPT, "/opt/tinode/tinode"]);
        expect(args).to.deep.equal(serverArgs());
        expect(sts({ replicas: "12" }).spec.template.spec.containers[0].command[0]).to.equal("/bin/sh");
    });

    it("lets voluntary disruptions take one Tinode node at a time", () => {
        const pdb = disruptionBudgetArgs("chat", names, settingsWith()) as any;
        expect(pdb.spec.maxUnavailable).to.equal(1);
        expect(pdb.spec.selector.matchLabels["app.kubernetes.io/component"]).to.equal("server");
    });
});
