// The whole program (index.ts) under mocks: the guard reads the previous deployment's outputs through
// a StackReference to this stack and refuses before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { dataIdentity } from "../config/dataIdentity";
import { previousStackOutputs } from "../scripts/mockRuntime";
import { settingsWith } from "./helpers";
import { installMocks, recorded, valueOf } from "./mocks";

type Main = () => Promise<Record<string, unknown>>;
let main: Main;

function withConfig(values: Record<string, string>): void {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`tinode:${k}`, v])));
}

describe("the program (mocks)", () => {
    before(async () => {
        await installMocks();
        main = (await import("../index")).default;
    });
    afterEach(() => {
        pulumi.runtime.setAllConfig({});
        for (const k of Object.keys(previousStackOutputs)) delete previousStackOutputs[k];
    });

    const clusterResources = () => recorded.filter((r) => r.name === "tinode" || r.name.startsWith("tinode-"));

    it("refuses a data-losing change before registering anything, reading its own previous outputs", async () => {
        previousStackOutputs.dataIdentity = dataIdentity(settingsWith());
        withConfig({ namespace: "chat" });
        const before = clusterResources().length;
        let message = "";
        await main().catch((e: Error) => (message = e.message));
        expect(message).to.contain('tinode:namespace changed from "tinode" to "chat"');
        expect(clusterResources().length).to.equal(before);
        expect(recorded.some((r) => r.type === "pulumi:pulumi:StackReference" && r.inputs.name === "organization/tinode/test")).to.equal(
            true,
        );
    });

    it("exports the identity it was deployed with, where it was deployed to included", async () => {
        withConfig({ replicas: "5" });
        const outputs = await main();
        expect(outputs.dataIdentity).to.deep.equal(dataIdentity(settingsWith({ replicas: "5" })));
        expect(outputs.dataIdentity).to.deep.include({ target: { kind: "cluster", provider: {} } });
        expect(await valueOf(outputs.apiKey as pulumi.Output<string>)).to.be.a("string");
        expect(outputs.keptOnDestroy).to.match(/^kept in the cluster: namespace tinode .*kubectl delete namespace tinode$/);
        withConfig({ renderYamlTo: "out", namespace: "elsewhere" });
        expect((await main()).dataIdentity).to.deep.include({ target: { kind: "render" }, namespace: "elsewhere" });
    });

    it("refuses rendering a stack deployed to a cluster, and another cluster for it, before registering anything", async () => {
        previousStackOutputs.dataIdentity = dataIdentity(settingsWith());
        withConfig({ renderYamlTo: "out" });
        const before = clusterResources().length;
        let message = "";
        await main().catch((e: Error) => (message = e.message));
        expect(message).to.contain("tinode:renderYamlTo is set on a stack deployed to a cluster");
        pulumi.runtime.setAllConfig({ "kubernetes:context": "other" });
        await main().catch((e: Error) => (message = e.message));
        expect(message).to.contain('kubernetes:context changed from (not set) to "other"');
        expect(clusterResources().length).to.equal(before);
    });

    it("refuses a roll that would give running pods' worker ids to others, until the servers are stopped and it is accepted", async () => {
        // Twelve nodes named after their pods, as before node names sorted in pod order.
        previousStackOutputs.dataIdentity = dataIdentity(settingsWith());
        previousStackOutputs.nodeNames = Array.from({ length: 12 }, (_, i) => `tinode-${i}`);
        withConfig({ replicas: "12" });
        const before = clusterResources().length;
        let message = "";
        await main().catch((e: Error) => (message = e.message));
        expect(message).to.contain("tinode:replicas (12) renames the nodes");
        expect(message).to.contain("tinode-2 holds worker id 5, which tinode-4 would get; 10 in all");
        expect(message).to.contain("kubectl -n tinode scale statefulset tinode --replicas=0");
        expect(clusterResources().length).to.equal(before);
        withConfig({ replicas: "12", acceptDataChange: "replicas" });
        expect((await main()).nodeNames).to.include("tinode-a11");
        // Deployed with the new names: nothing to refuse, growing or shrinking.
        previousStackOutputs.nodeNames = Array.from({ length: 12 }, (_, i) => (i < 10 ? `tinode-${i}` : `tinode-a${i}`));
        withConfig({ replicas: "5" });
        expect((await main()).nodeNames).to.deep.equal(["tinode-0", "tinode-1", "tinode-2", "tinode-3", "tinode-4"]);
    });

    it("refuses, as a new stack, another stack's namespace before registering anything; asks nothing once deployed", async () => {
        const dir = mkdtempSync(join(tmpdir(), "kubectl-"));
        const kubectl = join(dir, "kubectl");
        writeFileSync(
            kubectl,
            `#!/bin/sh\necho "$*" >> ${dir}/calls\ncase "$*" in *" namespace "*) echo '{"metadata":{"annotations":{"tinode.co/stack":"organization/tinode/alpha"}}}';; *) echo '{"items":[]}';; esac\n`,
        );
        chmodSync(kubectl, 0o755);
        const mocked = process.env.TINODE_KUBECTL;
        process.env.TINODE_KUBECTL = kubectl;
        try {
            withConfig({});
            const before = clusterResources().length;
            let message = "";
            await main().catch((e: Error) => (message = e.message));
            expect(message).to.contain('tinode:namespace "tinode" belongs to stack organization/tinode/alpha');
            expect(clusterResources().length).to.equal(before);
            const asked = () => readFileSync(join(dir, "calls"), "utf8").trim().split("\n").length;
            const first = asked();
            // A stack that was deployed (it has outputs) is not asked again: the guard above covers it.
            previousStackOutputs.namespace = "tinode";
            await main();
            expect(asked()).to.equal(first);
            delete previousStackOutputs.namespace;
            // Rendering touches no cluster: nothing to ask.
            withConfig({ renderYamlTo: "out" });
            await main();
            expect(asked()).to.equal(first);
        } finally {
            process.env.TINODE_KUBECTL = mocked;
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("writes its own stack as the owner on the namespace and the claims", async () => {
        withConfig({ mediaHandler: "fs" });
        await main();
        const owner = (type: string) =>
            recorded.filter((r) => r.type === type).map((r) => r.inputs.metadata.annotations?.["tinode.co/stack"]);
        expect(owner("kubernetes:core/v1:Namespace")).to.include("organization/tinode/test");
        expect(owner("kubernetes:core/v1:PersistentVolumeClaim")).to.include("organization/tinode/test");
    });
});
