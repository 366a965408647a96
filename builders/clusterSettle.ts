// How a roll of the Tinode StatefulSet waits for the cluster to settle between two pod restarts.
//
// Why (Tinode 0.25.3 server/cluster_leader.go, server/cluster.go): the leader sends every follower
// its own ring's signature with its `activeNodes`; a follower whose ring differs rebuilds it from
// that list (on the second mismatch in a row). The leader rebuilds its own ring only when a node's
// fail count reaches node_fail_after, or when a node past that limit answers again. A follower
// never updates its `activeNodes`. So while one pod is away the leader drops it and the followers
// follow; if the leader itself then goes before it has seen the pod come back (it reconnects to
// the new pod's address only after a redial: DNS TTL, 3 s dial timeouts), a follower whose ring
// was built from the smaller list is elected, keeps that ring, advertises the full list, and the
// cluster disagrees for good ("topic master node out of sync"; issue 23, docs/upstream-ring-split.md).
//
// What is sufficient: a restarted pod counts as started only once every node answers, every node
// is connected to every other (TotalClusterNodes - 1 live peers on each, the leader included, so
// the leader has reconnected to the new pod) and exactly one node leads; then the StatefulSet
// waits minReadySeconds for the leader's recovery rehash (its next heartbeat) and the followers'
// adoption of it (two more heartbeats). Only then does the controller (kube-controller-manager
// 1.34 stateful_set_control.go: it deletes the next pod only when the updated ones are available)
// take the next pod down, so no follower holds a smaller ring when the leader goes.
import * as k8s from "@pulumi/kubernetes";
import { FailoverSettings } from "../config/settings";
import { EXPVAR_PATH, LONGEST_FAILOVER_TICK, PORTS } from "../tinode/facts";
import { ClusterNode } from "./clusterNodes";

/** The leader's recovery rehash (its next tick) and the followers' two ticks to adopt it. */
const SETTLE_TICKS = 3;

/**
 * Seconds a restarted pod must stay Ready before the next one goes (StatefulSet minReadySeconds):
 * three of the longest heartbeat ticks, rounded up, plus one second for the RPCs themselves and the
 * controller's one-second resolution.
 */
export function settleSeconds(failover: FailoverSettings): number {
    return Math.ceil((SETTLE_TICKS * LONGEST_FAILOVER_TICK * failover.heartbeatMs) / 1000) + 1;
}

/**
 * How long a starting pod waits for the cluster to settle before it starts anyway. A peer that is
 * still away after this long is down for another reason (its node failed): holding this pod back
 * longer would turn one missing node into two. A healthy cluster settles within a few seconds
 * (a redial every 200 ms, a 3 s dial timeout, the cluster DNS's TTL).
 */
export const SETTLE_DEADLINE_SECONDS = 60;

/** Every startup probe attempt, and how many the server gets to open its database and listeners. */
const PROBE_PERIOD_SECONDS = 2;
const STARTUP_BUDGET_SECONDS = 120;
/** busybox nc's connect and read timeout per node. */
const NODE_TIMEOUT_SECONDS = 1;

/**
 * The probe script (POSIX sh: busybox in Tinode's Alpine image; no wget, which segfaults in
 * Debian's static busybox, and no JSON tool). It reads expvar with plain HTTP/1.0 over nc; Go's
 * expvar page puts one variable on a line (`"LiveClusterNodes": 2`). Arguments: the HTTP port, the
 * expvar path, the deadline, 1 when failover (a leader) is on, then every node's host name; the
 * pod's own name comes from POD_NAME. Exit 0 = started.
 */
export const SETTLE_SCRIPT = `port=$1 path=$2 deadline=$3 failover=$4
shift 4
stats() {
  printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' "$path" "$1" | nc -w ${NODE_TIMEOUT_SECONDS} "$1" "$port" 2>/dev/null |
    awk -F': ' '/^"TotalClusterNodes"/ {t = $2 + 0} /^"LiveClusterNodes"/ {l = $2 + 0} /^"ClusterLeader"/ {c = $2 + 0}
      END {if (t == "") exit 1; print t, l, c}'
}
own=$(stats 127.0.0.1) || { echo "not serving yet"; exit 1; }
set -- $own "$@"
total=$1 leaders=$3 answered=1 waiting=""
[ "$2" -eq $((total - 1)) ] || waiting="$POD_NAME has $2 of $((total - 1)) peers"
shift 3
for host in "$@"; do
  case "$host" in "$POD_NAME".*) continue ;; esac
  node=\${host%%.*}
  if ! s=$(stats "$host"); then waiting="$waiting; $node does not answer"; continue; fi
  set -- $s
  if [ "$1" -ne "$total" ]; then echo "$node has $1 nodes, this pod $total: a node-list change is rolling"; exit 0; fi
  answered=$((answered + 1)) leaders=$((leaders + $3))
  [ "$2" -eq $((total - 1)) ] || waiting="$waiting; $node has $2 of $((total - 1)) peers"
done
[ "$failover" = 1 ] && [ "$leaders" -ne 1 ] && waiting="$waiting; $leaders leaders"
[ -z "$waiting" ] && exit 0
age=$(awk -v up="$(cut -d' ' -f1 /proc/uptime)" '{print int(up - $22 / 100)}' /proc/1/stat)
if [ "$age" -ge "$deadline" ]; then echo "starting unsettled after \${age}s:\${waiting#;}"; exit 0; fi
echo "waiting for the cluster to settle:\${waiting#;}"
exit 1
`;

/**
 * The Tinode container's startup probe. A single node has no cluster to wait for: it only waits
 * for the expvar page (served once the database is open and the listeners are up).
 */
export function settleStartupProbe(nodes: ClusterNode[], failoverEnabled: boolean): k8s.types.input.core.v1.Probe {
    const budget = { periodSeconds: PROBE_PERIOD_SECONDS, failureThreshold: STARTUP_BUDGET_SECONDS / PROBE_PERIOD_SECONDS };
    if (nodes.length === 0) return { httpGet: { path: EXPVAR_PATH, port: "http" }, ...budget };
    const hosts = nodes.map((n) => n.addr.slice(0, n.addr.lastIndexOf(":")));
    return {
        exec: {
            command: [
                "sh",
                "-c",
                SETTLE_SCRIPT,
                "cluster-settle",
                String(PORTS.http),
                EXPVAR_PATH,
                String(SETTLE_DEADLINE_SECONDS),
                failoverEnabled ? "1" : "0",
                ...hosts,
            ],
        },
        // One connection per node, each bounded by nc's timeout.
        timeoutSeconds: NODE_TIMEOUT_SECONDS * (nodes.length + 1) + 1,
        ...budget,
    };
}
