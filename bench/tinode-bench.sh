#!/usr/bin/env bash
# npm run bench:tinode — figures for the Tinode cluster this program configures, measured on the
# real server in the e2e test network (e2e/tinode/cluster.sh):
#   1. failover detection: kill -9 a node BENCH_KILLS times (default 6, alternately the leader and
#      a follower); time until both survivors dropped it from their hash ring, against the bounds
#      the generated config gives (failoverBoundsMs in builders/clusterNodes.ts, from Tinode's code):
#      a follower killed, a leader killed, and a leader killed whose first election round failed;
#   2. message round trip, same node vs across nodes (BENCH_ROUNDS pings each, default 50).
# Needs the same tools as npm run e2e:tinode; prints SKIPPED without them. Bounded by
# BENCH_TIMEOUT seconds (default 600); cleans up after itself.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../e2e/tinode/lib.sh
source "$REPO_DIR/e2e/tinode/lib.sh"
if ! tool_present tinode "$TINODE_VERSION" tinode init-db || [ ! -f "$DB_READY" ]; then
  echo "SKIPPED: tinode e2e tools not present (npm run e2e:tools; npm run e2e:tinode:setup)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "the Tinode benchmark needs root (network namespaces, chroot)" >&2; exit 1; }
# shellcheck source=../e2e/tinode/cluster.sh
source "$E2E_DIR/cluster.sh"
# shellcheck source=../e2e/lib/harness.sh
source "$REPO_DIR/e2e/lib/harness.sh"
cd "$REPO_DIR"
KILLS=${BENCH_KILLS:-6}
ROUNDS=${BENCH_ROUNDS:-50}

cluster_session "${BENCH_TIMEOUT:-600}"

start=$(now_ms)
tinode_cluster_up || exit 1
FOLLOWER_MS=$(jq -r .failoverBoundsMs.followerKilled "$LAUNCH")
LEADER_MS=$(jq -r .failoverBoundsMs.leaderKilled "$LAUNCH")
LEADER_RETRY_MS=$(jq -r .failoverBoundsMs.leaderKilledRetry "$LAUNCH")
echo "tinode bench: ${#PODS[@]} nodes (Tinode $TINODE_VERSION, $(chroot "$DB_ROOT" /usr/sbin/mariadbd --version | grep -oE 'Ver [^ ]+')), cluster up in $(( $(now_ms) - start )) ms"
echo "failover bounds from the generated config (heartbeat ${HEARTBEAT_MS} ms, vote_after ${VOTE_AFTER}, node_fail_after ${NODE_FAIL_AFTER}; ticks up to 1.25 heartbeats): follower killed ${FOLLOWER_MS} ms, leader killed ${LEADER_MS} ms, ${LEADER_RETRY_MS} ms with a second election round"

# 1. Failover detection.
echo "failover detection (kill -9 -> both survivors rehashed without the node; ms):"
all=() leader_kills=() follower_kills=() over=0 retry_rounds=0
for i in $(seq 1 "$KILLS"); do
  leader=$(leader_of "${PODS[@]}")
  if [ $((i % 2)) = 1 ]; then victim=$leader; kind=leader; else
    for victim in "${PODS[@]}"; do [ "$victim" != "$leader" ] && break; done; kind=follower
  fi
  survivors=()
  for n in "${PODS[@]}"; do [ "$n" = "$victim" ] || survivors+=("$n"); done
  failover_mark "${survivors[@]}"
  t0=$(now_ms)
  node_stop "$victim" KILL
  if ! failover_watch "$victim" "$t0" $((LEADER_RETRY_MS + 10000)); then
    echo "  kill $i: $victim ($kind): not detected within $((LEADER_RETRY_MS + 10000)) ms"; exit 1
  fi
  slowest=0
  for n in "${survivors[@]}"; do [ "${FO_REHASH[$n]}" -gt "$slowest" ] && slowest=${FO_REHASH[$n]}; done
  printf '  kill %d: %-9s (%-8s) %5d   (per survivor: %s; leader %s sees 1 live peer after %d)\n' "$i" "$victim" "$kind" "$slowest" \
    "$(for n in "${survivors[@]}"; do printf '%s %s ' "$n" "${FO_REHASH[$n]}"; done)" "$FO_LEADER" "$FO_LEADER_MS"
  all+=("$slowest")
  if [ "$kind" = leader ]; then
    leader_kills+=("$slowest")
    [ "$slowest" -le "$LEADER_MS" ] || if [ "$slowest" -le "$LEADER_RETRY_MS" ]; then retry_rounds=$((retry_rounds + 1)); else over=$((over + 1)); fi
  else
    follower_kills+=("$slowest")
    [ "$slowest" -le "$FOLLOWER_MS" ] || over=$((over + 1))
  fi
  # Bring it back and wait until the cluster is whole again.
  failover_mark "${survivors[@]}"
  node_start "$victim"
  deadline=$(( $(now_ms) + 60000 ))
  until rejoined "${survivors[@]}"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "  $victim did not rejoin within 60 s"; exit 1; }
    sleep 0.1
  done
  sleep 1
done
echo "  median: $(printf '%s\n' "${all[@]}" | median) ms over $KILLS kills (leader killed: $(printf '%s\n' "${leader_kills[@]}" | median) ms, follower killed: $(printf '%s\n' "${follower_kills[@]}" | median) ms)"
echo "  bounds: ${#follower_kills[@]} follower kills within ${FOLLOWER_MS} ms, leader kills within ${LEADER_MS} ms or (a second election round) ${LEADER_RETRY_MS} ms: $retry_rounds needed the second round, $over over their bound"

# 2. Round trips.
ip netns exec "$HUB" "$REPO_DIR/node_modules/.bin/ts-node" --transpile-only "$REPO_DIR/bench/tinode-bench.ts" rtt \
  --nodes "$(nodes_json)" --api-key "$API_KEY" --rounds "$ROUNDS" 2>>"$LOGS/client.log"
echo "bench done in $(( ($(now_ms) - start) / 1000 )) s"
