#!/usr/bin/env bash
# bench/load-native.sh "RATES" USERS SECONDS — bench:load's chat load (bench/k6/chat.js) against the
# native three-node Tinode of npm run e2e:tinode (the same binaries and config, its pods as processes
# in network namespaces, MariaDB; no Kubernetes), users spread over the three nodes, k6 in the test
# network's hub. The same ladder as bench/load.sh, stopping at the first rung that misses the goal:
# one JSON line per rung. Run by bench/load.sh; needs what npm run e2e:tinode needs.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO_DIR/e2e/tinode/lib.sh"
source "$E2E_DIR/cluster.sh"
source "$REPO_DIR/e2e/lib/harness.sh"
cd "$REPO_DIR"
ROOT=$REPO_DIR
source "$REPO_DIR/e2e/real/load.sh"
cluster_session "${BENCH_TIMEOUT:-1500}"
tinode_cluster_up >&2 || exit 1
urls=$(for n in "${PODS[@]}"; do echo "ws://${POD_IP[$n]}:6060"; done | paste -sd ,)
export K6_AT="ip netns exec $HUB" K6_DIR=$LOGS
for rate in $1; do
  r=$(k6_rung "$urls" "$API_KEY" "$2" "$rate" "$3") || { echo "k6 at $rate/s failed: $(tail -n 3 "$LOGS/k6-$rate-$2.log" | paste -sd ' ')" >&2; exit 1; }
  echo "$r"
  k6_held "$r" || break
done
