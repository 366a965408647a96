import { expect } from "chai";
import { DEFAULTS } from "../config/defaults";
import {
    clusterConfig,
    clusterConfigProblems,
    ClusterLayout,
    clusterNodes,
    failoverBoundsMs,
    NODE_SELF_SCRIPT,
    nodeName,
    nodeNames,
    podNames,
    validatedClusterConfig,
    workerIdChanges,
    workerIdHandovers,
    workerIds,
} from "../builders/clusterNodes";
import { execFileSync } from "child_process";

const failover = { heartbeatMs: DEFAULTS.heartbeatMs, voteAfter: DEFAULTS.voteAfter, nodeFailAfter: DEFAULTS.nodeFailAfter };
const layout = (replicas: number, over: Partial<ClusterLayout> = {}): ClusterLayout => ({
    statefulSet: "tinode",
    headlessService: "tinode-cluster",
    namespace: "chat",
    clusterDomain: "cluster.local",
    replicas,
    port: 12000,
    ...over,
});

describe("cluster node list", () => {
    it("1 replica: standalone, no node list", () => {
        expect(clusterNodes(layout(1))).to.deep.equal([]);
        expect(clusterConfig(layout(1), failover)).to.equal(undefined);
        expect(validatedClusterConfig(layout(1), failover)).to.equal(undefined);
    });

    it("2 replicas: both nodes, failover off (it needs three)", () => {
        const c = clusterConfig(layout(2), failover)!;
        expect(c.nodes.map((n) => n.name)).to.deep.equal(["tinode-0", "tinode-1"]);
        expect(c.failover.enabled).to.equal(false);
    });

    it("3 replicas: pod names at their full DNS names, failover on with the configured timing", () => {
        const c = clusterConfig(layout(3), { heartbeatMs: 250, voteAfter: 4, nodeFailAfter: 9 })!;
        expect(c.nodes).to.deep.equal([
            { name: "tinode-0", addr: "tinode-0.tinode-cluster.chat.svc.cluster.local:12000" },
            { name: "tinode-1", addr: "tinode-1.tinode-cluster.chat.svc.cluster.local:12000" },
            { name: "tinode-2", addr: "tinode-2.tinode-cluster.chat.svc.cluster.local:12000" },
        ]);
        expect(c.failover).to.deep.equal({ enabled: true, heartbeat: 250, vote_after: 4, node_fail_after: 9 });
    });

    for (const replicas of [5, 99, 1023]) {
        it(`${replicas} replicas: one valid node per pod, all distinct`, () => {
            const c = validatedClusterConfig(layout(replicas, { clusterDomain: "k8s.example" }), failover)!;
            expect(c.nodes).to.have.length(replicas);
            expect(c.nodes.map((n) => n.name)).to.deep.equal(podNames("tinode", replicas).map(nodeName));
            expect(new Set(c.nodes.map((n) => n.addr)).size).to.equal(replicas);
            expect(c.nodes[replicas - 1].addr).to.equal(`tinode-${replicas - 1}.tinode-cluster.chat.svc.k8s.example:12000`);
            expect(c.failover.enabled).to.equal(true);
        });
    }
});

describe("failover bounds (Tinode's timers, cluster_leader.go)", () => {
    it("defaults: a follower's death 2.25 s, the leader's 3.25 s, 4.25 s when the first election round fails", () => {
        expect(failoverBoundsMs({ heartbeatMs: 100, voteAfter: 8, nodeFailAfter: 16 })).to.deep.equal({
            followerKilled: 2250,
            leaderKilled: 3250,
            leaderKilledRetry: 4250,
        });
    });

    it("a tick is up to 1.25 heartbeats; rounds up to whole milliseconds", () => {
        expect(failoverBoundsMs({ heartbeatMs: 10, voteAfter: 1, nodeFailAfter: 1 })).to.deep.equal({
            followerKilled: 38,
            leaderKilled: 50,
            leaderKilledRetry: 63,
        });
    });
});

describe("cluster config validation", () => {
    const pods = podNames("tinode", 3);
    const good = () => clusterConfig(layout(3), failover)!;

    it("accepts what the builder makes", () => {
        expect(clusterConfigProblems(good(), pods)).to.deep.equal([]);
    });

    it("catches a node list that omits a pod's self", () => {
        const c = good();
        c.nodes = c.nodes.filter((n) => n.name !== "tinode-1");
        expect(clusterConfigProblems(c, pods)).to.include(
            'pod "tinode-1" is not in cluster_config.nodes: its peers would silently drop it',
        );
    });

    it("catches a node no pod runs, duplicates and bad addresses", () => {
        const c = good();
        c.nodes.push({ name: "tinode-9", addr: c.nodes[0].addr }, { name: "tinode-0", addr: "nohost" });
        const problems = clusterConfigProblems(c, pods);
        expect(problems).to.include('cluster_config.nodes lists "tinode-9", which no pod runs: the hash ring would place topics on it');
        expect(problems).to.include('cluster_config.nodes lists "tinode-0" twice');
        expect(problems).to.include('cluster_config.nodes uses the address "tinode-0.tinode-cluster.chat.svc.cluster.local:12000" twice');
        expect(problems).to.include('cluster_config node "tinode-0" has address "nohost", not host:port');
    });

    it("catches a one-node list, failover with two nodes and a zero heartbeat", () => {
        const c = clusterConfig(layout(2), failover)!;
        c.nodes = c.nodes.slice(0, 1);
        c.failover.enabled = true;
        c.failover.heartbeat = 0;
        const problems = clusterConfigProblems(c, ["tinode-0"]);
        expect(problems).to.include("cluster_config.nodes must list at least 2 nodes (Tinode exits with 'invalid cluster size: 1')");
        expect(problems).to.include("cluster_config.failover needs 3 or more nodes");
        expect(problems).to.include("cluster_config.failover.heartbeat must be above 0 (0 crashes Tinode)");
    });

    it("catches zero failover counts", () => {
        const c = good();
        c.failover.vote_after = 0;
        expect(clusterConfigProblems(c, pods)).to.deep.equal(["cluster_config.failover vote_after and node_fail_after must be above 0"]);
    });

    it("refuses a pod name without an ordinal, and says every problem of a generated config at once", () => {
        expect(() => nodeName("tinode")).to.throw("tinode is not a StatefulSet pod name");
        expect(validatedClusterConfig(layout(1), failover), "one pod runs standalone").to.equal(undefined);
        expect(() => validatedClusterConfig(layout(3), { ...failover, heartbeatMs: 0, voteAfter: 0 })).to.throw(
            "the generated cluster config is invalid:\n  - cluster_config.failover.heartbeat must be above 0 (0 crashes Tinode)\n  - cluster_config.failover vote_after and node_fail_after must be above 0",
        );
    });

    it("catches several pods with no cluster config", () => {
        expect(clusterConfigProblems(undefined, pods)).to.deep.equal([
            "3 pods but no cluster_config: they would run as unrelated standalone servers",
        ]);
        expect(clusterConfigProblems(undefined, ["tinode-0"])).to.deep.equal([]);
    });
});

describe("node names and Tinode's worker ids", () => {
    // Tinode: sort.Strings(names), worker id = SearchStrings(names, self) + 1 (server/cluster.go).
    const workerIds = (replicas: number) => {
        const names = clusterConfig(layout(replicas), failover)!.nodes.map((n) => n.name);
        const sorted = [...names].sort();
        return names.map((n) => sorted.indexOf(n) + 1);
    };

    it("keeps the pod's name for ordinals 0-9, so stacks of up to ten pods keep their node list", () => {
        expect(podNames("tinode", 10).map(nodeName)).to.deep.equal(podNames("tinode", 10));
        expect(["tinode-10", "tinode-99", "tinode-100", "tinode-1022", "my-chat-12"].map(nodeName)).to.deep.equal([
            "tinode-a10",
            "tinode-a99",
            "tinode-b100",
            "tinode-c1022",
            "my-chat-a12",
        ]);
    });

    it("gives every pod its ordinal plus one as worker id whatever the replica count", () => {
        for (const replicas of [2, 3, 10, 11, 12, 100, 101, 1023]) {
            expect(workerIds(replicas)).to.deep.equal(
                Array.from({ length: replicas }, (_, i) => i + 1),
                `${replicas} replicas`,
            );
        }
    });

    it("refuses a node list that does not sort in pod order (pod names past ten would)", () => {
        const c = clusterConfig(layout(12), failover)!;
        const asPods = { ...c, nodes: c.nodes.map((n, i) => ({ ...n, name: `tinode-${i}` })) };
        expect(clusterConfigProblems(asPods, podNames("tinode", 12))).to.deep.equal([
            "cluster_config.nodes do not sort in pod order: a new replica count would move worker ids between running pods",
        ]);
    });

    it("the pod's shell computes the same name and passes it to the server with the other arguments", () => {
        for (const pod of ["tinode-0", "tinode-9", "tinode-10", "tinode-11", "tinode-100", "tinode-1022", "my-chat-12"]) {
            const argv = execFileSync(
                "/bin/sh",
                ["-c", NODE_SELF_SCRIPT.replace('exec "$0"', 'printf "%s\\n" "$0"'), "server", "--config=x"],
                {
                    env: { POD_NAME: pod },
                    encoding: "utf8",
                },
            );
            expect(argv.trim().split("\n")).to.deep.equal(["server", "--config=x", `--cluster_self=${nodeName(pod)}`], pod);
        }
    });
});

describe("worker ids while pods roll", () => {
    const asPods = (n: number) => podNames("tinode", n);
    const asNodes = (n: number) => nodeNames(layout(n));

    it("computes Tinode's ids: sorted position plus one", () => {
        expect(workerIds(asPods(12))).to.deep.equal([1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 3, 4]);
        expect(workerIds(asNodes(12))).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });

    it("hands no id over between node lists of this program, whatever the counts", () => {
        for (const [a, b] of [
            [1, 3],
            [3, 12],
            [12, 5],
            [10, 11],
            [11, 100],
            [1023, 2],
        ]) {
            expect(workerIdHandovers(asNodes(a), asNodes(b)), `${a} -> ${b}`).to.deep.equal([]);
        }
    });

    it("finds the handovers from twelve pod-named nodes, to twelve or to five", () => {
        expect(workerIdHandovers(asPods(12), asNodes(12))).to.include("tinode-10 holds worker id 3, which tinode-2 would get");
        expect(workerIdHandovers(asPods(12), asNodes(5))).to.include("tinode-10 holds worker id 3, which tinode-2 would get");
        expect(workerIdHandovers(asPods(10), asNodes(12))).to.deep.equal([]);
        // The pod that would get the id is named as in the new list.
        expect(workerIdHandovers(asPods(12), asNodes(12))).to.include("tinode-8 holds worker id 11, which tinode-a10 would get");
        // A handover to the first pod too (a list from elsewhere, not this program's).
        expect(workerIdHandovers(["b-1", "b-0"], ["b-0", "b-1"])).to.deep.equal([
            "b-1 holds worker id 2, which b-1 would get",
            "b-0 holds worker id 1, which b-0 would get",
        ]);
    });

    it("refuses such a roll through the data guard with the way to stop the servers, and nothing else", () => {
        const [change] = workerIdChanges(asPods(12), layout(12));
        expect(change.key).to.equal("replicas");
        expect(change.what).to.match(/^\(12\) renames the nodes .* \(tinode-2 holds worker id 5, which tinode-4 would get; 10 in all\)/);
        expect(change.what).to.contain("kubectl -n chat scale statefulset tinode --replicas=0");
        expect(workerIdChanges(undefined, layout(12))).to.deep.equal([]);
        expect(workerIdChanges([1, 2], layout(12))).to.deep.equal([]);
        expect(workerIdChanges([...asPods(11), 12], layout(12)), "a list with one name that is not text").to.deep.equal([]);
        expect(workerIdChanges(asNodes(3), layout(12))).to.deep.equal([]);
    });
});
