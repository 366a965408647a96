#!/usr/bin/env bash
# npm run e2e:split — the ring split of issue 23 forced on the real Tinode server (three nodes in
# the e2e test network, e2e/tinode/cluster.sh), how it looks, and the recovery the README gives.
#   1. three nodes form a cluster; the official SDK delivers from every node to every node;
#   2. the split, with the timing of a roll that does not wait for the cluster to settle: a follower
#      goes (the leader drops it from the ring, the other follower follows), the leader goes, both
#      come back at once: the follower that held the smaller ring is elected and keeps it;
#   3. expvar looks healthy throughout (3 nodes, 2 live peers each, one leader) while pairs of
#      nodes no longer deliver and the followers rehash at the leader's request again and again;
#   4. restarting the leader (what the runbook says) heals it: every pair delivers again.
# Throughout, the stack's delivery canary (canary/canary.js, the file the program mounts) keeps a
# session on every node, and a real Prometheus with the rule file the program generates (with
# monitoringCanary) scrapes it: TinodeDeliveryBroken must stay quiet on the healthy cluster, fire
# during the split within its derived for:, and resolve after the heal.
# Needs the tools of npm run e2e:tinode and Prometheus; prints SKIPPED without them. Bounded by
# E2E_TIMEOUT seconds (default 600); cleans up after itself.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=lib.sh
source "$REPO_DIR/e2e/tinode/lib.sh"
missing=$(tools_missing tinode prometheus)
if [ -n "$missing" ] || [ ! -f "$DB_READY" ]; then
  echo "SKIPPED: ring split e2e: tools not built: $(echo $missing)${missing:+ }$([ -f "$DB_READY" ] || echo "(and the database: npm run e2e:tinode:setup)") (npm run e2e:tools)"
  exit 0
fi
require_root_and "ring split e2e" 7 ip jq curl
# shellcheck source=cluster.sh
source "$E2E_DIR/cluster.sh"
# shellcheck source=../lib/prometheus.sh
source "$REPO_DIR/e2e/lib/prometheus.sh"
cd "$REPO_DIR"
cluster_session "${E2E_TIMEOUT:-600}"
harness_init 7 "$LOGS"
# The canary's round interval: the program's minimum, so the alert's for: stays about a minute.
CANARY_INTERVAL_S=5
SCRAPE_S=1
CANARY_PORT=9464

STATE="$RUN/chat-state.json"
PODS_FILE="$RUN/pods.json"
sdk() { in_hub "$REPO_DIR/node_modules/.bin/ts-node" --transpile-only "$REPO_DIR/e2e/real/sdk.ts" "$@" 2>>"$LOGS/sdk.log"; }
# matrix: every node to every node through the official SDK (e2e/real/mesh.ts); prints its JSON.
matrix() { sdk matrix --state "$STATE" --api-key "$API_KEY" --pods-file "$PODS_FILE"; }
pairs_ok() { jq -r '"\(.delivered)/\(.pairs)"' <<<"$1"; }
# requests_since: the "rehashing at a request of" lines the nodes logged since mark_logs.
requests_since() {
  local n sum=0
  for n in "${!MARK[@]}"; do sum=$(( sum + $(tail -c +"$(( MARK[$n] + 1 ))" "$LOGS/$n.log" | grep -c 'rehashing at a request of') )); done
  echo "$sum"
}
mark_logs() { declare -gA MARK=(); local n; for n in "${PODS[@]}"; do MARK[$n]=$(log_size "$n"); done; }
fail() { echo "$*"; return 1; }
# wait_until_ms MS CMD...: retries CMD every 50 ms.
wait_until_ms() {
  local deadline=$(( $(now_ms) + $1 )); shift
  until "$@"; do [ "$(now_ms)" -lt "$deadline" ] || return 1; sleep 0.05; done
}
wait_formed() { wait_until_ms "$1" cluster_formed "${PODS[@]}"; }
# dropped NODE VICTIM: NODE's last rehash since MARK left VICTIM out.
dropped() { local r; r=$(rehash_nodes "$1" "${MARK[$1]}"); [ -n "$r" ] && [[ " $r " != *" $2 "* ]]; }

step_formed() {
  tinode_cluster_up || { fail "cluster did not form"; return 1; }
  jq -n --argjson ips "$(for n in "${PODS[@]}"; do jq -nc --arg n "$n" --arg u "ws://${POD_IP[$n]}:6060" '{($n): $u}'; done | jq -sc add)" '$ips' >"$PODS_FILE"
  sdk setup --url "ws://${POD_IP[${PODS[0]}]}:6060" --api-key "$API_KEY" --out "$STATE" >/dev/null || { fail "SDK setup failed"; return 1; }
  local m; m=$(matrix) || { fail "matrix client failed"; return 1; }
  [ "$(jq -r '.failed | length' <<<"$m")" = 0 ] || { fail "a healthy cluster does not deliver: $m"; return 1; }
  echo "${#PODS[@]} nodes, leader $(leader_of "${PODS[@]}"); every node delivers to every node: $(pairs_ok "$m")"
}

SPLIT_LEADER=""
# delivery_broken: the pairs TinodeDeliveryBroken fires for now, "from->to" sorted, one line.
delivery_broken() {
  prom /api/v1/alerts | jq -r '[.data.alerts[] | select(.state == "firing" and .labels.alertname == "TinodeDeliveryBroken") | "\(.labels.from)->\(.labels.to)"] | sort | join(" ")'
}
# canary_pairs: the canary's last round as "delivered failed unreachable", from Prometheus.
canary_pairs() {
  local r
  r=$(prom_query 'tinode_canary_pairs or tinode_canary_pods_unreachable') || return 1
  jq -r '[(.data.result[] | select(.metric.result == "delivered") | .value[1]) // "-",
          (.data.result[] | select(.metric.result == "failed") | .value[1]) // "-",
          (.data.result[] | select(.metric.__name__ == "tinode_canary_pods_unreachable") | .value[1]) // "-"] | join(" ")' <<<"$r"
}

step_canary() {
  MON="$RUN/monitoring"
  npx ts-node --transpile-only scripts/render-monitoring.ts --out "$MON" "monitoringScrapeIntervalSeconds=$SCRAPE_S" \
    monitoringCanary=true "monitoringCanaryIntervalSeconds=$CANARY_INTERVAL_S" >&2 || return 1
  # The canary's alerts only: no exporter runs here (e2e:monitoring checks theirs), so the rules on
  # exporter series would report every node missing.
  jq '.groups[].rules |= map(select(.alert == "TinodeDeliveryBroken" or .alert == "TinodeCanaryFailing"))' "$MON/rules.yml" >"$MON/canary-rules.yml"
  # The canary as its Deployment runs it (builders/canary.ts), with Node 20's flag for the global
  # WebSocket that the image's Node 24 has built in, and the SDK from node_modules.
  (
    CANARY_PODS=$(jq -c . "$PODS_FILE")
    CANARY_LOGIN=$(jq -r .canary.login "$MON/monitoring.json")
    CANARY_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    export CANARY_PODS CANARY_LOGIN CANARY_PASSWORD TINODE_API_KEY="$API_KEY" CANARY_INTERVAL_SECONDS="$CANARY_INTERVAL_S" \
      CANARY_PORT CANARY_SDK="$REPO_DIR/node_modules/tinode-sdk/umd/tinode.prod.js"
    exec ip netns exec "$HUB" node --experimental-websocket "$REPO_DIR/canary/canary.js"
  ) >>"$LOGS/canary.log" 2>&1 &
  RUN_PIDS+=($!)
  cat >"$MON/prometheus.yml" <<EOF
global:
  scrape_interval: ${SCRAPE_S}s
  scrape_timeout: ${SCRAPE_S}s
  evaluation_interval: ${SCRAPE_S}s
rule_files: ["$MON/canary-rules.yml"]
scrape_configs:
  - job_name: $(jq -r .canary.labels.job "$MON/monitoring.json")
    static_configs:
      - targets: ["$HUB_IP:$CANARY_PORT"]
    relabel_configs:
      - { target_label: namespace, replacement: $(jq -r .canary.labels.namespace "$MON/monitoring.json") }
EOF
  prom_start "$MON/prometheus.yml" "$RUN/prometheus" "$LOGS/prometheus.log" || return 1
  RUN_PIDS+=("$PROM_PID")
  local rules f
  rules=$(loaded_rules "$MON/canary-rules.yml")
  [ "${rules%/*}" = "${rules#*/}" ] || { fail "Prometheus loaded $rules rules"; return 1; }
  wait_until_ms 60000 eval '[ "$(canary_pairs)" = "9 0 0" ]' \
    || { fail "the canary's rounds do not show 9 delivered pairs: $(canary_pairs) (delivered failed unreachable)"; tail -n 5 "$LOGS/canary.log" >&2; return 1; }
  f=$(firing)
  [ -z "$f" ] || { fail "alerts firing on a healthy cluster: $f"; return 1; }
  echo "canary: 9/9 pairs delivered, a round every ${CANARY_INTERVAL_S} s; Prometheus loaded ${rules%/*} rules (TinodeDeliveryBroken for: $(jq -r .timings.deliveryBroken "$MON/monitoring.json") s), nothing firing"
}

step_split() {
  local attempt leader gone other m
  # About one attempt in three ends with another node elected (no split); three attempts missed in
  # about 4% of CI runs, five should in well under 1%, and each costs about 15 s only when needed.
  for attempt in 1 2 3 4 5; do
    leader=$(leader_of "${PODS[@]}")
    [ -n "$leader" ] || { fail "no leader"; return 1; }
    gone="" other=""
    for n in "${PODS[@]}"; do [ "$n" = "$leader" ] && continue; if [ -z "$gone" ]; then gone=$n; else other=$n; fi; done
    echo "attempt $attempt: leader $leader; $gone stops"
    mark_logs
    node_stop "$gone" TERM
    # The leader drops it after node_fail_after heartbeats; the other follower follows.
    wait_until_ms 10000 dropped "$leader" "$gone" && wait_until_ms 10000 dropped "$other" "$gone" \
      || { fail "the survivors did not drop $gone"; return 1; }
    echo "$leader and $other rehashed without $gone; $leader is killed, both come back"
    node_stop "$leader" KILL
    node_start "$gone"
    sleep 0.3
    node_start "$leader"
    wait_formed 30000 || { fail "cluster did not form again"; return 1; }
    SPLIT_LEADER=$(leader_of "${PODS[@]}")
    mark_logs
    sleep 3
    m=$(matrix) || m='{"failed":["client failed"],"delivered":0,"pairs":9}'
    echo "leader now $SPLIT_LEADER; followers' rehash requests in 3 s: $(requests_since); pairs delivering: $(pairs_ok "$m")"
    if [ "$(jq -r '.failed | length' <<<"$m")" -gt 0 ]; then
      echo "split after $attempt attempt(s): leader $SPLIT_LEADER (was a follower with the smaller ring); pairs that do not deliver: $(jq -r '.failed | join(" ")' <<<"$m")"
      return 0
    fi
    echo "no split this time (another node won the election); again"
  done
  fail "no split in 5 attempts"
}

step_healthy_metrics() {
  local n live all leader line="" requests
  for n in "${PODS[@]}"; do
    read -r live all leader <<<"$(cluster_vars "$n")"
    [ "$all" = 3 ] && [ "$live" = 2 ] || { fail "$n: expvar total=$all live=$live"; return 1; }
    line+="$n total=$all live=$live leader=$leader; "
  done
  SPLIT_LEADER=$(leader_of "${PODS[@]}")
  [ "$(wc -w <<<"$SPLIT_LEADER")" = 1 ] || { fail "leaders: '$SPLIT_LEADER'"; return 1; }
  mark_logs
  sleep 3
  requests=$(requests_since)
  [ "$requests" -ge 5 ] || { fail "followers rehashed only $requests times in 3 s"; return 1; }
  echo "expvar: $line- the followers logged 'rehashing at a request of $SPLIT_LEADER' $requests times in 3 s"
}

step_alert() {
  local t0 want got bound for_s p
  t0=$(now_ms)
  for_s=$(jq -r .timings.deliveryBroken "$MON/monitoring.json")
  # for: after the first failing round, plus a round, a scrape and an evaluation on each side.
  bound=$(( (for_s + 2 * CANARY_INTERVAL_S + 4 * SCRAPE_S + 10) * 1000 ))
  wait_until_ms "$bound" eval '[ -n "$(delivery_broken)" ]' || { fail "TinodeDeliveryBroken did not fire within $((bound / 1000)) s; canary: $(canary_pairs)"; return 1; }
  got=$(delivery_broken)
  # The pairs the alert names are pairs the canary's last round failed.
  want=$(prom_query 'tinode_canary_pair_delivered == 0' | jq -r '[.data.result[].metric | "\(.from)->\(.to)"] | sort | join(" ")')
  for p in $got; do [[ " $want " == *" $p "* ]] || { fail "alert for $p, which the canary's last round delivered ($want)"; return 1; }; done
  echo "TinodeDeliveryBroken firing $(( ($(now_ms) - t0) / 1000 )) s after the split was seen (for: $for_s s) for $got; canary (delivered failed unreachable): $(canary_pairs)"
}

step_resolved() {
  local t0; t0=$(now_ms)
  wait_until_ms 60000 eval '[ "$(canary_pairs)" = "9 0 0" ] && [ -z "$(delivery_broken)" ]' \
    || { fail "after the heal: canary $(canary_pairs) (delivered failed unreachable), still firing for: $(delivery_broken)"; return 1; }
  echo "the canary's round delivers 9/9 again and TinodeDeliveryBroken resolved $(( ($(now_ms) - t0) / 1000 )) s after the heal"
}

# healer_verdict: "NODE TOPIC FAILURES" when a node's log since then shows a topic refusing
# messages for a stale sequence id as often as the self-healer's threshold (builders/healer.ts), judged
# by the self-healer's own code; nothing otherwise. (Go's log lines carry no RFC 3339 time: every
# line counts as recent, the log being read from the heal step's start only.)
healer_verdict() {
  local n files=()
  for n in "${PODS[@]}"; do files+=("$n=$LOGS/$n.log:${HEAL_MARK[$n]}"); done
  (cd "$REPO_DIR" && npx ts-node --transpile-only -e '
    const { verdict } = require("./healer/healer.js");
    const { HEAL_TIMING } = require("./builders/healer");
    const fs = require("fs");
    const logs = new Map(process.argv.slice(1).map((a) => {
      const [pod, rest] = a.split("="); const at = rest.lastIndexOf(":");
      return [pod, fs.readFileSync(rest.slice(0, at)).subarray(Number(rest.slice(at + 1))).toString()];
    }));
    const v = verdict(logs, HEAL_TIMING.threshold, 0);
    if (v) console.log(`${v.pod} ${v.topic} ${v.failures}`);' "${files[@]}")
}

step_heal() {
  local m t0 requests try
  HEALED=""
  declare -gA HEAL_MARK=()
  local n; for n in "${PODS[@]}"; do HEAL_MARK[$n]=$(log_size "$n"); done
  # The leader as it is now (an election may have followed the split's).
  SPLIT_LEADER=$(leader_of "${PODS[@]}")
  [ "$(wc -w <<<"$SPLIT_LEADER")" = 1 ] || { fail "leaders: '$SPLIT_LEADER'"; return 1; }
  t0=$(now_ms)
  node_stop "$SPLIT_LEADER" TERM
  node_start "$SPLIT_LEADER"
  wait_formed 30000 || { fail "cluster did not form after the leader's restart"; return 1; }
  # The new leader's rehash ends the old subscriptions ({pres term}): clients join again, as apps do.
  # The election that follows the restart takes a few heartbeats, longer on a loaded machine (a CI
  # run saw every pair fail for 10 s after the cluster looked formed): retry for up to 60 s.
  local deadline=$(( $(now_ms) + 60000 ))
  try=0
  while :; do
    try=$((try + 1))
    sleep 2
    mark_logs
    m=$(matrix) || m='{"failed":["client failed"],"delivered":0,"pairs":9}'
    [ "$(jq -r '.failed | length' <<<"$m")" = 0 ] && break
    echo "try $try: $(jq -r '.failed | join(" ")' <<<"$m") did not deliver yet; leader: $(leader_of "${PODS[@]}" | xargs)"
    # A topic loaded during the split may keep a stale sequence id and refuse every message (Tinode's
    # duplicate-key bug, README "A split ring"): the deployment's self-healer restarts its node. Its
    # own verdict (healer/healer.js) over the nodes' logs since the restart does the same here.
    local stale n
    stale=$(healer_verdict) || true
    if [ -n "$stale" ]; then
      echo "self-healer's verdict: $stale; restarting it"
      node_stop "${stale%% *}" TERM
      node_start "${stale%% *}"
      HEALED="$HEALED ${stale%% *}"
      # From now on only new refusals count (the restarted node's log keeps the old lines).
      for n in "${PODS[@]}"; do HEAL_MARK[$n]=$(log_size "$n"); done
      wait_formed 30000 || true
    fi
    [ "$(now_ms)" -lt "$deadline" ] || break
    wait_formed 10000 || true
  done
  requests=$(requests_since)
  [ "$(jq -r '.failed | length' <<<"$m")" = 0 ] || { fail "still split after the leader's restart: $(jq -r '.failed | join(" ")' <<<"$m")"; return 1; }
  [ "$requests" = 0 ] || { fail "followers still rehash at the leader's request ($requests)"; return 1; }
  echo "$SPLIT_LEADER restarted (SIGTERM, start): new leader $(leader_of "${PODS[@]}"), every pair delivers again ($(pairs_ok "$m"), try $try)${HEALED:+, self-healer restarted$HEALED (stale sequence id)}, no rehash requests since; $(( ($(now_ms) - t0) / 1000 )) s"
}

run_step "three nodes form a cluster and deliver between every pair" step_formed critical
run_step "the delivery canary sees every pair deliver; Prometheus with the generated rules: nothing firing" step_canary critical
run_step "the split: a follower with the smaller ring elected after the leader went mid-rehash" step_split critical
run_step "expvar stays healthy during the split; the followers rehash again and again" step_healthy_metrics
run_step "TinodeDeliveryBroken fires for the pairs that do not deliver" step_alert
run_step "restarting the leader heals the split" step_heal
run_step "the canary sees every pair deliver again; TinodeDeliveryBroken resolves" step_resolved
