#!/usr/bin/env bash
# Sourced by e2e/real/run.sh and bench/real-bench.sh: skips (exit 0, "SKIPPED: ...") when the
# real cluster cannot run here, else makes a private work folder, the Pulumi CLI on a file backend
# with a copy of the project, and the real cluster, all removed again on exit (also on failure).
# Sets ROOT, WORK, PROJECT, KUBECONFIG; defines sdk (the official-SDK client on node 1).
# Usage: real_session NAME
REAL_SESSION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$REAL_SESSION_DIR/../.." && pwd)"
# shellcheck source=lib.sh
source "$REAL_SESSION_DIR/lib.sh"
# shellcheck source=cluster.sh
source "$REAL_SESSION_DIR/cluster.sh"
# shellcheck source=../pulumi.sh
source "$ROOT/e2e/pulumi.sh"
# shellcheck source=../lib/harness.sh
source "$ROOT/e2e/lib/harness.sh"

real_session() {
  cd "$ROOT"
  local missing
  missing=$(real_missing)
  if [ -n "$missing" ]; then
    echo "SKIPPED: real-pod e2e: missing $(echo "$missing" | paste -sd ';' | sed 's/;/; /g')"
    exit 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: real-pod e2e: needs root (network namespaces, containerd, kubelet)"
    exit 0
  fi
  real_session_claim
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  mkdir -p "$WORK/logs"
  PROJECT="$WORK/project"
  trap real_session_end EXIT
  trap 'echo "FAIL: interrupted or timed out"; exit 1' INT TERM
  pulumi_env "$WORK"
  [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
  project_copy "$ROOT" "$PROJECT"
  real_cluster_init "$WORK/cluster"
  echo "$$ $RC" >"$REAL_OWNER_FILE"
  local start
  start=$(date +%s)
  echo "starting a real cluster: control plane + $REAL_NODE_COUNT nodes (containerd, kubelet, kube-proxy), CoreDNS, local volumes"
  if ! real_cluster_up 2>>"$WORK/logs/cluster-up.err"; then
    echo "FAIL: the real cluster did not come up: $(tail -n 3 "$WORK/logs/cluster-up.err" | paste -sd ' ')"
    tail -n 20 "$RC/logs/timeline.txt" | sed 's/^/    | /'
    exit 1
  fi
  echo "cluster ready in $(( $(date +%s) - start ))s: $(kc get nodes --no-headers | awk '{print $1"="$2}' | paste -sd ' ')"
}

# real_session_claim: makes this run the owner of the machine's one real cluster (one bridge, one
# address plan). A live owner is waited for (REAL_WAIT_SECONDS, 30 minutes by default: another
# e2e:real or bench on this machine); what a killed run left behind is removed first.
real_session_claim() {
  local owner waited="" end=$(( $(date +%s) + ${REAL_WAIT_SECONDS:-1800} ))
  while ip link show "$REAL_BRIDGE" >/dev/null 2>&1 || ip link show tkveth1 >/dev/null 2>&1 || ip netns pids "$(real_node_name 1)" >/dev/null 2>&1; do
    owner=$(awk '{print $1}' "$REAL_OWNER_FILE" 2>/dev/null || true)
    if [ -n "$owner" ] && alive "$owner"; then
      if [ "$(date +%s)" -ge "$end" ]; then
        echo "FAIL: another real cluster is running here (run $owner, $(awk '{print $2}' "$REAL_OWNER_FILE")); stop it first"
        exit 1
      fi
      [ -n "$waited" ] || echo "waiting for the real cluster of run $owner to finish (up to ${REAL_WAIT_SECONDS:-1800} s)"
      waited=1
      sleep 10
    else
      echo "removing a real cluster left behind by a run that was killed (${owner:-no owner recorded})"
      real_cluster_reclaim || { echo "FAIL: could not remove the real cluster left behind (interface $REAL_BRIDGE)"; exit 1; }
    fi
  done
}

real_session_end() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  watchdog_stop
  [ -n "${SDK_JOB:-}" ] && kill "$SDK_JOB" 2>/dev/null
  real_cluster_down
  [ "$(awk '{print $1}' "$REAL_OWNER_FILE" 2>/dev/null)" != $$ ] || rm -f "$REAL_OWNER_FILE"
  if [ "${KEEP_E2E_WORK:-}" = 1 ] || [ "$rc" != 0 ]; then
    # Logs of a failed run are kept; the cluster's data and state are not worth the space.
    rm -rf "$RC/pv" "$RC/etcd" "$RC"/tknode*/containerd "$WORK/state" 2>/dev/null
    echo "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}

# sdk ARGS...: the official-SDK client (e2e/real/sdk.ts) from node 1's network namespace, where
# ClusterIPs work through kube-proxy as they do for a process on any node; with SDK_AT=client, from
# the client namespace outside the cluster (steps.sh at_edge).
sdk() {
  local at=(in_node 1)
  [ "${SDK_AT:-}" != client ] || at=(in_client)
  "${at[@]}" "$ROOT/node_modules/.bin/ts-node" --transpile-only "$ROOT/e2e/real/sdk.ts" "$@"
}
