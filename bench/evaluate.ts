// One program evaluation under mocks, in a fresh process, timed by bench/run.ts from outside.
//   node bin/bench/evaluate.js floor       -> imports the same SDKs, registers one resource
//   node bin/bench/evaluate.js cluster N   -> the whole ClusterCore (the stack's component) with N replicas
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import "@pulumi/random";

import { installMocks } from "../scripts/mockRuntime";

let registered = 0;
const mocksReady = installMocks(() => registered++, "tinode", "bench");

const settled = (o: pulumi.Output<unknown>) => new Promise<void>((resolve) => o.apply(() => resolve()));

async function main(mode: string, replicas: number): Promise<void> {
    await mocksReady;
    if (mode === "floor") {
        await settled(new k8s.core.v1.Namespace("floor", { metadata: { name: "floor" } }).id);
    } else {
        const { readSettings } = await import("../config/readSettings");
        const { ClusterCore } = await import("../components/clusterCore");
        const c = new ClusterCore(
            "tinode",
            readSettings((k) => (k === "replicas" ? String(replicas) : undefined)),
        );
        await Promise.all([c.statefulSet.id, c.dbInitJob.id, c.disruptionBudget.id, c.apiKey].map(settled));
    }
    process.stdout.write(`${registered}\n`);
}

main(process.argv[2], Number(process.argv[3] ?? 3)).catch((e) => {
    console.error(e);
    process.exit(1);
});
