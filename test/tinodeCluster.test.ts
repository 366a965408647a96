// components/tinodeCluster.ts under mocks: a program's args make the same objects as the same values
// in stack config, secrets and other resources' outputs included.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import type { TinodeCluster as TinodeClusterType } from "../components/tinodeCluster";
import { TinodeClusterArgs } from "../config/args";
import { CONFIG_KEYS, KeySpec } from "../config/keys";
import { ACCEPTED_CONFIGS } from "./acceptedConfigs";
import { rejectionOf, settingsWith, warningsOf } from "./helpers";
import type { Recorded } from "../scripts/mockRuntime";
import { installMocks, recorded, registrationsDone, valueOf } from "./mocks";

/** Stack config text -> the args a program would pass: typed, and secrets as secrets. */
function argsOf(values: Record<string, string>): TinodeClusterArgs {
    const spec = (k: string) => (CONFIG_KEYS as Record<string, KeySpec>)[k];
    const typed = (k: string, v: string): unknown =>
        spec(k).type === "integer" ? Number(v) : spec(k).type === "boolean" ? v === "true" : spec(k).type === "string" ? v : JSON.parse(v);
    return Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, spec(k).secret || spec(k).secretFields ? pulumi.secret(typed(k, v)) : typed(k, v)]),
    );
}

/** What one deployment registered (its Kubernetes and random resources), in a comparable order. */
async function objectsOf(deploy: () => unknown): Promise<Recorded[]> {
    const from = recorded.length;
    deploy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await registrationsDone();
    return recorded
        .slice(from)
        .filter((r) => !r.type.startsWith("tinode"))
        .sort((a, b) => `${a.type}/${a.name}`.localeCompare(`${b.type}/${b.name}`));
}

describe("TinodeCluster, the package's component (mocks)", function () {
    this.timeout(60_000);
    let ClusterCore: typeof ClusterCoreType;
    let TinodeCluster: typeof TinodeClusterType;
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
        ({ TinodeCluster } = await import("../components/tinodeCluster"));
    });

    Object.entries(ACCEPTED_CONFIGS).forEach(([config, values], i) => {
        it(`makes the stack program's objects from args: ${config}`, async () => {
            const name = `pkg${i}`;
            const fromConfig = await objectsOf(() => new ClusterCore(name, { ...settingsWith(values), owner: "organization/tinode/test" }));
            const fromArgs = await objectsOf(() => new TinodeCluster(name, argsOf(values)));
            expect(fromArgs.length).to.be.greaterThan(10);
            expect(fromArgs).to.deep.equal(fromConfig);
        });
    });

    it("takes another resource's output and secrets, and keeps the API key secret", async () => {
        const host = pulumi.output(Promise.resolve("db.example.internal"));
        const c = new TinodeCluster("pkg-out", {
            namespace: "pkg-out",
            mysqlExternalHost: host,
            mysqlExternalUser: "tinode",
            mysqlExternalPassword: pulumi.secret("pw"),
        });
        expect(await valueOf(c.mysqlHost)).to.equal("db.example.internal");
        expect(await valueOf(c.nodeNames)).to.have.length(3);
        expect(await pulumi.isSecret(c.apiKey)).to.equal(true);
    });

    it("gives the cluster's outputs, under the package's type, as the parent of the cluster's objects", async () => {
        const values = { namespace: "pkg-outputs" };
        const core = new ClusterCore("pkg-outputs", { ...settingsWith(values), owner: "organization/tinode/test" });
        const parents: unknown[] = [];
        const c = new TinodeCluster("pkg-outputs", argsOf(values), {
            transformations: [
                (a) => {
                    if (a.type === "tinode:k8s:TinodeCluster") parents.push(a.opts.parent);
                    return undefined;
                },
            ],
        });
        for (const key of ["namespace", "clientServiceName", "clientUrl", "nodeNames", "mysqlHost", "apiKey", "keptOnDestroy"] as const)
            expect(await valueOf<unknown>(c[key]), key).to.deep.equal(await valueOf<unknown>(core[key]));
        expect(await valueOf(c.urn)).to.match(/::tinode-k8s:index:TinodeCluster::pkg-outputs$/);
        await registrationsDone();
        expect(parents).to.deep.equal([c]);
    });

    it("refuses, outside a preview, an arg whose value never came", async () => {
        const c = new TinodeCluster("pkg-unknown", {
            namespace: "pkg-unknown",
            mysqlExternalHost: pulumi.output(pulumi.unknown as string),
        });
        const state = c.namespace as unknown as { promise(): Promise<unknown> };
        const message = await rejectionOf(state.promise());
        expect(message).to.equal("TinodeCluster pkg-unknown: TinodeClusterArgs.mysqlExternalHost has no value");
    });

    it("names every arg whose value never came", async () => {
        const c = new TinodeCluster("pkg-unknowns", {
            namespace: pulumi.output(pulumi.unknown as string),
            mysqlExternalHost: pulumi.output(pulumi.unknown as string),
        });
        const state = c.namespace as unknown as { promise(): Promise<unknown> };
        expect(await rejectionOf(state.promise())).to.equal(
            "TinodeCluster pkg-unknowns: TinodeClusterArgs.namespace, TinodeClusterArgs.mysqlExternalHost has no value",
        );
    });

    it("in a preview, warns about an arg not known yet and shows no objects instead of failing", async () => {
        let objects: Recorded[] = [];
        const warnings = await warningsOf(async () => {
            objects = await objectsOf(
                () =>
                    new TinodeCluster("pkg-preview", {
                        namespace: "pkg-preview",
                        mysqlExternalHost: pulumi.output(pulumi.unknown as string),
                    }),
            );
        }, true);
        expect(objects).to.deep.equal([]);
        expect(warnings).to.deep.equal([
            "TinodeClusterArgs.mysqlExternalHost is not known before the update: this preview does not show the cluster's objects",
        ]);
    });

    it("refuses bad args with every problem naming its arg", async () => {
        const c = new TinodeCluster("pkg-bad", { replicas: 0, mysqlExternalHost: "db", mysqlExternalPassword: "hunter2" });
        // The SDK's own promise of the Output (internal): apply never calls back on a failed one.
        const state = c.namespace as unknown as { promise(): Promise<unknown> };
        const message = await rejectionOf(state.promise());
        expect(message).to.contain("TinodeClusterArgs.replicas must be a whole number from 1 to 1023");
        expect(message).to.contain("TinodeClusterArgs.mysqlExternalPassword must be a secret");
        expect(message).to.not.contain("hunter2");
        expect(message).to.match(/^Invalid TinodeCluster args:\n/);
    });
});
