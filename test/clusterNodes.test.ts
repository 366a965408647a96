import { expect } from "chai";
import { DEFAULTS } from "../config/defaults";
import {
    clusterConfig,
    clusterConfigProblems,
    ClusterLayout,
    clusterNodes,
    podNames,
    validatedClusterConfig,
} from "../builders/clusterNodes";

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
            expect(c.nodes.map((n) => n.name)).to.deep.equal(podNames("tinode", replicas));
            expect(new Set(c.nodes.map((n) => n.addr)).size).to.equal(replicas);
            expect(c.nodes[replicas - 1].addr).to.equal(`tinode-${replicas - 1}.tinode-cluster.chat.svc.k8s.example:12000`);
            expect(c.failover.enabled).to.equal(true);
        });
    }
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

    it("catches several pods with no cluster config", () => {
        expect(clusterConfigProblems(undefined, pods)).to.have.length(1);
        expect(clusterConfigProblems(undefined, ["tinode-0"])).to.deep.equal([]);
    });
});
