// Tinode's cluster membership: one node per StatefulSet pod, named after the pod (nodeName) and
// reached at the pod's own DNS name through the headless Service. Every pod gets the same list;
// each learns its own name from --cluster_self.
import { hasFailover, isCluster, LONGEST_FAILOVER_TICK, PORTS } from "../tinode/facts";
import { FailoverSettings, TinodeSettings } from "../config/settings";
import { FoundChange } from "../config/dataGuard";
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

export function clusterLayout(names: ObjectNames, s: Pick<TinodeSettings, "clusterDomain" | "namespace" | "replicas">): ClusterLayout {
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

/** Ordinals 0-9 have one digit: their node names are the pod names, as they always were. */
const ONE_DIGIT_ORDINALS = 10;

/**
 * A pod's node name in cluster_config. Tinode's snowflake worker id, which every new user and topic
 * id carries, is the node's position in the *lexically* sorted node names plus one
 * (server/cluster.go clusterInit: sort.Strings, SearchStrings + 1). Pod names sort out of ordinal
 * order from ten pods on (tinode-10 < tinode-2): growing past ten would give a new pod the worker id
 * of an old one still running during the roll, and both would mint the same ids. So ordinals of two
 * or more digits get a letter for their digit count (tinode-a10 .. tinode-a99, tinode-b100 ..,
 * tinode-c1000 ..), which sorts after every digit: the names sort in ordinal order and the worker id
 * is the ordinal plus one whatever the replica count. Ordinals 0-9 keep the pod's name, so a stack
 * of up to ten pods gets the same node list as before.
 */
export function nodeName(pod: string): string {
    const m = /^(.*)-(\d+)$/.exec(pod);
    if (!m) throw new Error(`${pod} is not a StatefulSet pod name`);
    const [, base, ordinal] = m;
    return ordinal.length === 1 ? pod : `${base}-${String.fromCharCode("a".charCodeAt(0) + ordinal.length - 2)}${ordinal}`;
}

/** Whether some pod's node name is not its pod name: then the pod computes its own (NODE_SELF_SCRIPT). */
export function nodeNamesDifferFromPods(replicas: number): boolean {
    return replicas > ONE_DIGIT_ORDINALS;
}

/**
 * nodeName in POSIX sh (busybox in Tinode's Alpine image): the pod's own node name from POD_NAME,
 * then exec the server ($0) with its arguments and --cluster_self, so SIGTERM reaches the server.
 */
export const NODE_SELF_SCRIPT = `i=\${POD_NAME##*-} base=\${POD_NAME%-*}
case \${#i} in 1) self=$POD_NAME ;; 2) self=$base-a$i ;; 3) self=$base-b$i ;; *) self=$base-c$i ;; esac
exec "$0" "$@" --cluster_self="$self"`;

/**
 * Tinode's worker ids of a node list (names in pod order): a node's position in the byte-wise
 * sorted list plus one (server/cluster.go); a single node runs standalone with id 1.
 */
export function workerIds(nodes: readonly string[]): number[] {
    const sorted = [...nodes].sort();
    return nodes.map((n) => sorted.indexOf(n) + 1);
}

/**
 * Running pods whose worker id a new node list (both in pod order) would give to another pod while
 * the StatefulSet rolls: old and new pods run side by side, and two pods with one id mint the same
 * user and topic ids. Only a node list of more than ten pods from before nodeName existed does this.
 */
export function workerIdHandovers(before: readonly string[], after: readonly string[]): string[] {
    const [was, now] = [workerIds(before), workerIds(after)];
    const pod = (i: number) => after[i] ?? before[i];
    return was.flatMap((id, i) => {
        const j = now.indexOf(id);
        return j >= 0 && j !== i ? [`${before[i]} holds worker id ${id}, which ${pod(j)} would get`] : [];
    });
}

/**
 * The data guard's refusal (config/dataGuard.ts) of a run whose roll would hand worker ids over,
 * given the previous deployment's `nodeNames` output (anything else: nothing to compare).
 */
export function workerIdChanges(previousNodes: unknown, l: ClusterLayout): FoundChange[] {
    if (!Array.isArray(previousNodes) || !previousNodes.every((n) => typeof n === "string")) return [];
    const handovers = workerIdHandovers(previousNodes, nodeNames(l));
    if (handovers.length === 0) return [];
    return [
        {
            key: "replicas",
            what: `(${l.replicas}) renames the nodes so that, while the pods roll, old and new pods would share Tinode worker ids and mint the same user and topic ids (${handovers[0]}; ${handovers.length} in all). Stop the servers first: kubectl -n ${l.namespace} scale statefulset ${l.statefulSet} --replicas=0`,
        },
    ];
}

/**
 * The pod's full DNS name, which the kubelet writes into the pod's own /etc/hosts: Tinode resolves
 * its own address at start and exits if it cannot, so the short pod name would not do.
 */
export function podAddress(pod: string, l: ClusterLayout): string {
    return `${pod}.${l.headlessService}.${l.namespace}.svc.${l.clusterDomain}:${l.port}`;
}

/** The node names in pod order (one replica: its pod's name, though it runs standalone). */
export function nodeNames(l: ClusterLayout): string[] {
    return podNames(l.statefulSet, l.replicas).map(nodeName);
}

/** The node list, or none for a single replica (a list holding only itself is fatal to Tinode). */
export function clusterNodes(l: ClusterLayout): ClusterNode[] {
    if (!isCluster(l.replicas)) return [];
    return podNames(l.statefulSet, l.replicas).map((pod) => ({ name: nodeName(pod), addr: podAddress(pod, l) }));
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

/**
 * The longest Tinode's failover takes, in ms, from a node's death until both survivors have dropped
 * it from their hash rings, worked out from server/cluster_leader.go (v0.25.3):
 * - each node ticks every 0.75-1.25 heartbeats, a period it draws once at start (LONGEST_FAILOVER_TICK);
 * - the leader health-checks every node each tick and drops one at its nodeFailAfter-th failure in a
 *   row (164-193); a follower adopts the new ring at the second health check that carries it (313-325);
 * - a follower that missed voteAfter ticks of health checks starts an election (276-283). A round
 *   fails when a vote goes over a link still broken from an earlier restart (a follower only
 *   redials a peer after calling it fails) or the votes split; the next round is voteAfter ticks later.
 * `npm run bench:tinode` measures each case against these (README, Benchmarks).
 */
export function failoverBoundsMs(f: FailoverSettings): { followerKilled: number; leaderKilled: number; leaderKilledRetry: number } {
    const tick = LONGEST_FAILOVER_TICK * f.heartbeatMs;
    return {
        followerKilled: Math.ceil(tick * (f.nodeFailAfter + 2)),
        leaderKilled: Math.ceil(tick * (f.voteAfter + f.nodeFailAfter + 2)),
        leaderKilledRetry: Math.ceil(tick * (2 * f.voteAfter + f.nodeFailAfter + 2)),
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
    // Tinode's worker id is the position in the byte-wise sorted names (Go's sort.Strings) plus one:
    // unless the list sorts in pod order, a count change moves ids between running pods.
    if (workerIds(names).some((id, i) => id !== i + 1))
        problems.push("cluster_config.nodes do not sort in pod order: a new replica count would move worker ids between running pods");
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
    const problems = clusterConfigProblems(config, isCluster(l.replicas) ? podNames(l.statefulSet, l.replicas).map(nodeName) : []);
    if (problems.length > 0) throw new Error(`the generated cluster config is invalid:\n  - ${problems.join("\n  - ")}`);
    return config;
}
