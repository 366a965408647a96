import { expect } from "chai";
import { execFile, execFileSync } from "child_process";
import { mkdtempSync, rmSync, symlinkSync } from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { SETTLE_DEADLINE_SECONDS, SETTLE_SCRIPT, settleSeconds, settleStartupProbe } from "../builders/clusterSettle";
import { clusterConfig, clusterLayout } from "../builders/clusterNodes";
import { objectNames } from "../builders/names";
import { EXPVAR_PATH } from "../tinode/facts";
import { settingsWith } from "./helpers";

const failover = (heartbeatMs: number) => ({ heartbeatMs, voteAfter: 8, nodeFailAfter: 16 });
const nodesFor = (replicas: number) =>
    clusterConfig(clusterLayout(objectNames("tinode"), settingsWith({ replicas: String(replicas) })), failover(100));

describe("cluster settle (builders/clusterSettle.ts)", () => {
    it("waits three of the longest heartbeat ticks, rounded up, plus a second", () => {
        expect(settleSeconds(failover(100))).to.equal(2);
        expect(settleSeconds(failover(1000))).to.equal(5);
        expect(settleSeconds(failover(2000))).to.equal(9);
    });

    it("gives a single node the plain expvar probe", () => {
        const probe = settleStartupProbe([], false) as any;
        expect(probe.httpGet).to.deep.equal({ path: EXPVAR_PATH, port: "http" });
        expect(probe).to.not.have.property("exec");
    });

    it("gives cluster nodes the settle script with every node's host and the failover flag", () => {
        const three = nodesFor(3)!;
        const probe = settleStartupProbe(three.nodes, three.failover.enabled) as any;
        const [sh, c, script, name, port, path, deadline, leader, ...hosts] = probe.exec.command;
        expect([sh, c, script, name]).to.deep.equal(["sh", "-c", SETTLE_SCRIPT, "cluster-settle"]);
        expect([port, path, deadline, leader]).to.deep.equal(["6060", EXPVAR_PATH, String(SETTLE_DEADLINE_SECONDS), "1"]);
        expect(hosts).to.deep.equal([0, 1, 2].map((i) => `tinode-${i}.tinode-cluster.tinode.svc.cluster.local`));
        // The probe's own timeout covers one bounded connection per node.
        expect(probe.timeoutSeconds).to.be.at.least(hosts.length + 1);
        expect(probe.periodSeconds * probe.failureThreshold).to.be.greaterThan(SETTLE_DEADLINE_SECONDS);
        const two = nodesFor(2)!;
        expect((settleStartupProbe(two.nodes, two.failover.enabled) as any).exec.command[7]).to.equal("0");
    });

    it("is the Tinode StatefulSet's startup probe, with minReadySeconds from the heartbeat", async () => {
        const { tinodeStatefulSetArgs } = await import("../builders/tinodeStatefulSet");
        const { databaseTarget } = await import("../builders/database");
        const names = objectNames("tinode");
        for (const [replicas, heartbeatMs] of [
            ["3", "100"],
            ["5", "1000"],
        ]) {
            const s = settingsWith({ replicas, heartbeatMs });
            const sts = tinodeStatefulSetArgs("tinode", names, s, databaseTarget(names, s), "sum") as any;
            const tinode = sts.spec.template.spec.containers.find((c: any) => c.name === "tinode");
            const cluster = nodesFor(Number(replicas))!;
            expect(tinode.startupProbe).to.deep.equal(settleStartupProbe(cluster.nodes, true));
            expect(sts.spec.minReadySeconds).to.equal(settleSeconds(failover(Number(heartbeatMs))));
        }
        const single = settingsWith({ replicas: "1" });
        const one = tinodeStatefulSetArgs("tinode", names, single, databaseTarget(names, single), "sum") as any;
        expect(one.spec).to.not.have.property("minReadySeconds");
    });
});

// The script itself, run by busybox as in Tinode's Alpine image, against expvar pages served on
// loopback addresses: 127.0.0.1 is the pod itself, 127.0.0.2 and .3 its peers.
describe("cluster settle script under busybox", function () {
    let bin = "";
    let port = 0;
    const servers: http.Server[] = [];
    const pages = new Map<string, string | undefined>();

    before(async function () {
        let busybox = "";
        try {
            busybox = execFileSync("sh", ["-c", "command -v busybox"]).toString().trim();
        } catch {
            console.log("      SKIPPED: no busybox on this machine (apt-get install busybox-static; npm run e2e:real:setup installs it)");
            this.skip();
        }
        bin = mkdtempSync(join(tmpdir(), "settle-"));
        for (const applet of ["sh", "nc", "awk", "cut", "printf"]) symlinkSync(busybox, join(bin, applet));
        const handler = (addr: string) => (req: http.IncomingMessage, res: http.ServerResponse) => {
            const page = pages.get(addr);
            if (page === undefined || req.url !== EXPVAR_PATH) {
                res.statusCode = 404;
                res.end();
                return;
            }
            res.setHeader("Content-Type", "application/json; charset=utf-8");
            res.end(page);
        };
        const first = http.createServer(handler("127.0.0.1"));
        await new Promise<void>((resolve) => first.listen(0, "127.0.0.1", resolve));
        port = (first.address() as AddressInfo).port;
        servers.push(first);
        for (const addr of ["127.0.0.2", "127.0.0.3"]) {
            const server = http.createServer(handler(addr));
            await new Promise<void>((resolve) => server.listen(port, addr, resolve));
            servers.push(server);
        }
    });

    after(() => {
        servers.forEach((s) => s.close());
        if (bin) rmSync(bin, { recursive: true, force: true });
    });

    /** Go's expvar page: one variable a line. */
    const page = (total: number, live: number, leader: number) =>
        `{\n"cmdline": ["/opt/tinode/tinode"],\n"ClusterLeader": ${leader},\n"LiveClusterNodes": ${live},\n"TotalClusterNodes": ${total},\n"memstats": {"Alloc": 1}\n}\n`;

    const run = (opts: { deadline?: number; failover?: string } = {}) =>
        new Promise<{ code: number; out: string }>((resolve) => {
            const args = ["-c", SETTLE_SCRIPT, "cluster-settle", String(port), EXPVAR_PATH];
            // The pod's own name is in the list, as in the real one, and skipped (it is never resolved).
            args.push(String(opts.deadline ?? 1e9), opts.failover ?? "1", "tinode-0.invalid", "127.0.0.2", "127.0.0.3");
            execFile(join(bin, "sh"), args, { env: { PATH: bin, POD_NAME: "tinode-0" }, timeout: 20_000 }, (err, stdout) =>
                resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, out: stdout.trim() }),
            );
        });

    const cluster = (self: string | undefined, a: string | undefined, b: string | undefined) => {
        pages.set("127.0.0.1", self);
        pages.set("127.0.0.2", a);
        pages.set("127.0.0.3", b);
    };

    it("passes once every node sees every other and one leads", async () => {
        cluster(page(3, 2, 0), page(3, 2, 1), page(3, 2, 0));
        expect(await run()).to.deep.equal({ code: 0, out: "" });
    });

    it("waits while the leader has not reconnected to this pod", async () => {
        cluster(page(3, 2, 0), page(3, 1, 1), page(3, 2, 0));
        const r = await run();
        expect(r.code).to.equal(1);
        expect(r.out).to.equal("waiting for the cluster to settle: 127 has 1 of 2 peers");
    });

    it("waits while this pod has not reached its peers", async () => {
        cluster(page(3, 1, 0), page(3, 2, 1), page(3, 2, 0));
        expect((await run()).out).to.match(/tinode-0 has 1 of 2 peers/);
    });

    it("waits during an election (no leader) and with two leaders", async () => {
        cluster(page(3, 2, 0), page(3, 2, 0), page(3, 2, 0));
        expect(await run()).to.deep.equal({ code: 1, out: "waiting for the cluster to settle: 0 leaders" });
        cluster(page(3, 2, 1), page(3, 2, 1), page(3, 2, 0));
        expect((await run()).out).to.match(/2 leaders$/);
    });

    it("needs no leader without failover (two nodes)", async () => {
        cluster(page(3, 2, 0), page(3, 2, 0), page(3, 2, 0));
        expect((await run({ failover: "0" })).code).to.equal(0);
    });

    it("waits for a peer that does not answer, and for its own server", async () => {
        cluster(page(3, 2, 0), page(3, 2, 1), undefined);
        expect((await run()).out).to.match(/127 does not answer$/);
        cluster(undefined, page(3, 2, 1), page(3, 2, 0));
        expect(await run()).to.deep.equal({ code: 1, out: "not serving yet" });
    });

    it("does not hold a node-list change (peers with another list) back", async () => {
        cluster(page(5, 2, 0), page(3, 2, 1), page(3, 2, 0));
        const r = await run();
        expect(r.code).to.equal(0);
        expect(r.out).to.match(/has 3 nodes, this pod 5: a node-list change is rolling/);
    });

    it("starts unsettled once the deadline has passed, saying why", async () => {
        cluster(page(3, 2, 0), page(3, 1, 1), page(3, 2, 0));
        const r = await run({ deadline: 0 });
        expect(r.code).to.equal(0);
        expect(r.out).to.match(/^starting unsettled after \d+s: 127 has 1 of 2 peers$/);
    });
});
