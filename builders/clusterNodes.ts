// Tinode's cluster membership: one node per StatefulSet pod, named after the pod and reached at
// the pod's own DNS name through the headless Service. Every pod gets the same list; each learns
// its own name from --cluster_self.
import { hasFailover, isCluster, PORTS } from "../tinode/facts";
import { FailoverSettings, TinodeSettings } from "../config/settings";
import { ObjectNames } from "./names";

export interface ClusterNode {
    name: string;
    addr: string;
}

export interface ClusterLayout {
    statefulSet: string;
    headlessService: string;
    namespace: string;
    clusterDomain: string;
    replicas: number;
    port: number;
}

export function clusterLayout(names: ObjectNames, s: TinodeSettings): ClusterLayout {
    return {
        statefulSet: names.tinode,
        headlessService: names.headlessService,
        namespace: s.namespace,
        clusterDomain: s.clusterDomain,
        replicas: s.replicas,
        port: PORTS.cluster,
    };
}

/** Pod names of a StatefulSet: `<name>-0` .. `<name>-(n-1)`. */
export function podNames(statefulSet: string, replicas: number): string[] {
    return Array.from({ length: replicas }, (_, i) => `${statefulSet}-${i}`);
}

/**
 * The pod's full DNS name, which the kubelet writes into the pod's own /etc/hosts: Tinode resolves
 * its own address at start and exits if it cannot, so the short pod name would not do.
 */
export function podAddress(pod: string, l: ClusterLayout): string {
    return `${pod}.${l.headlessService}.${l.namespace}.svc.${l.clusterDomain}:${l.port}`;
}

/** The node list, or none for a single replica (a list holding only itself is fatal to Tinode). */
export function clusterNodes(l: ClusterLayout): ClusterNode[] {
    if (!isCluster(l.replicas)) return [];
    return podNames(l.statefulSet, l.replicas).map((name) => ({ name, addr: podAddress(name, l) }));
}

export interface ClusterConfig {
    nodes: ClusterNode[];
    failover: {
        enabled: boolean;
        heartbeat: number;
        vote_after: number;
        node_fail_after: number;
    };
}

/** `cluster_config` for tinode.conf, or undefined when the node runs standalone. */
export function clusterConfig(l: ClusterLayout, failover: FailoverSettings): ClusterConfig | undefined {
    const nodes = clusterNodes(l);
    if (nodes.length === 0) return undefined;
    return {
        nodes,
        failover: {
            enabled: hasFailover(nodes.length),
            heartbeat: failover.heartbeatMs,
            vote_after: failover.voteAfter,
            node_fail_after: failover.nodeFailAfter,
        },
    };
}

/**
 * Checks a cluster config against the names the pods will pass as --cluster_self. Each rule is a way
 * Tinode fails at run time, some of them silently; returns the problems found.
 */
export function clusterConfigProblems(config: ClusterConfig | undefined, selves: string[]): string[] {
    if (config === undefined) {
        return selves.length > 1 ? [`${selves.length} pods but no cluster_config: they would run as unrelated standalone servers`] : [];
    }
    const problems: string[] = [];
    const names = config.nodes.map((n) => n.name);
    if (names.length < 2) problems.push("cluster_config.nodes must list at least 2 nodes (Tinode exits with 'invalid cluster size: 1')");
    const dupName = names.find((n, i) => names.indexOf(n) !== i);
    if (dupName !== undefined) problems.push(`cluster_config.nodes lists "${dupName}" twice`);
    const addrs = config.nodes.map((n) => n.addr);
    const dupAddr = addrs.find((a, i) => addrs.indexOf(a) !== i);
    if (dupAddr !== undefined) problems.push(`cluster_config.nodes uses the address "${dupAddr}" twice`);
    for (const node of config.nodes) {
        if (!/^[^\s:]+:\d{1,5}$/.test(node.addr))
            problems.push(`cluster_config node "${node.name}" has address "${node.addr}", not host:port`);
    }
    for (const self of selves) {
        // A self missing from the list makes Tinode listen on a random port; its peers then drop it.
        if (!names.includes(self)) problems.push(`pod "${self}" is not in cluster_config.nodes: its peers would silently drop it`);
    }
    for (const name of names) {
        if (!selves.includes(name))
            problems.push(`cluster_config.nodes lists "${name}", which no pod runs: the hash ring would place topics on it`);
    }
    const f = config.failover;
    if (f.enabled && !hasFailover(names.length)) problems.push("cluster_config.failover needs 3 or more nodes");
    if (!(f.heartbeat > 0)) problems.push("cluster_config.failover.heartbeat must be above 0 (0 crashes Tinode)");
    if (!(f.vote_after > 0) || !(f.node_fail_after > 0))
        problems.push("cluster_config.failover vote_after and node_fail_after must be above 0");
    return problems;
}

/**
 * The cluster config a TinodeCluster gives its pods; throws if it breaks any rule above. The replica
 * count itself (1 to MAX_REPLICAS) is checked once, where the user sets it (config/readSettings.ts,
 * tinode:replicas); the rules here are about the list this program generates from it.
 */
export function validatedClusterConfig(l: ClusterLayout, failover: FailoverSettings): ClusterConfig | undefined {
    const config = clusterConfig(l, failover);
    const problems = clusterConfigProblems(config, isCluster(l.replicas) ? podNames(l.statefulSet, l.replicas) : []);
    if (problems.length > 0) throw new Error(`the generated cluster config is invalid:\n  - ${problems.join("\n  - ")}`);
    return config;
}
