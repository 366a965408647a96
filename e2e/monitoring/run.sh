#!/usr/bin/env bash
# npm run e2e:monitoring — the stack's monitoring against the real thing: three real Tinode servers
# (the npm run e2e:tinode cluster: network namespaces, MariaDB, the program's tinode.conf), Tinode's
# real exporter next to each node with the sidecar's argv, and a real Prometheus server loading the
# rule file the program generates (scripts/render-monitoring.ts). Then: every target up and no alert
# firing; every dashboard panel's query returns data; kill -9 of a follower, then of the leader,
# fires "server down" and "cluster degraded" within bounds derived from the settings, the election
# after the leader's death does not fire "no leader", and each restart resolves everything.
#
# The rule file and the exporter argv come from the same builders as the PrometheusRule and the
# StatefulSet; only the scrape interval is 1 s (the stack's default is 30 s) so the run stays short:
# every for: duration and bound below follows from it.
#
# Prints PASS/FAIL per step and "N passed, M failed"; SKIPPED (exit 0) when its tools are missing.
# Needs root. E2E_TIMEOUT (seconds, default 240) bounds the run; KEEP_LOGS=1 keeps the logs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../tinode/lib.sh
source "$HERE/../tinode/lib.sh"

missing=$(tools_missing tinode tinode-exporter prometheus)
if [ -n "$missing" ] || [ ! -f "$DB_READY" ]; then
  echo "SKIPPED: monitoring e2e needs tools not built: $(echo $missing)${missing:+ }$([ -f "$DB_READY" ] || echo "(and the database: npm run e2e:tinode:setup)") (npm run e2e:tools)"
  exit 0
fi
TOTAL=10
require_root_and "monitoring e2e" "$TOTAL" ip jq curl nsenter setpriv
# shellcheck source=../tinode/cluster.sh
source "$REPO_DIR/e2e/tinode/cluster.sh"
# shellcheck source=../lib/prometheus.sh
source "$REPO_DIR/e2e/lib/prometheus.sh"
cd "$REPO_DIR"

EXPORTER_BIN="$(tool_dir tinode-exporter "$TINODE_VERSION")/bin/exporter"
SCRAPE_S=1
declare -A EXPORTER_PID=()

# Only our own processes: cluster_cleanup stops the nodes and the database.
stop_monitoring() {
  local pid
  { for pid in "${EXPORTER_PID[@]}"; do kill -KILL "$pid" && wait "$pid"; done; } 2>/dev/null
  prom_stop
}
E2E_TIMEOUT=${E2E_TIMEOUT:-240}
cluster_session "$E2E_TIMEOUT" stop_monitoring
harness_init "$TOTAL" "$LOGS/harness"

# ----------------------------------------------------------------------------------------------
# Helpers

# metric NAME POD -> the value the pod's exporter serves now.
exporter_value() {
  in_hub curl -sf -m 3 "http://${POD_IP[$2]}:6222/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

# wait_until MS CMD... -> 0 when CMD succeeds within MS ms; WAITED_MS is the time it took.
wait_until() {
  local limit=$1 t0; shift
  t0=$(now_ms)
  until "$@"; do
    WAITED_MS=$(( $(now_ms) - t0 ))
    [ "$WAITED_MS" -lt "$limit" ] || return 1
    sleep 0.1
  done
  WAITED_MS=$(( $(now_ms) - t0 ))
}

exporter_start() {
  local n=$1 argv
  mapfile -t argv < <(jq -r --arg n "$n" '.exporters[] | select(.pod == $n) | .argv[]' "$MON/monitoring.json")
  # In the pod's own namespace and root, as its user: the sidecar shares the pod's network, so
  # localhost:6060 is its node's expvar page.
  (pod_exec "$n" "${argv[@]}") >>"$LOGS/exporter-$n.log" 2>&1 &
  EXPORTER_PID[$n]=$!
}

# ----------------------------------------------------------------------------------------------
# Steps

step_cluster() {
  tinode_cluster_up || return 1
  echo "3 Tinode nodes formed a cluster on MariaDB ($(printf '%s ' "${PODS[@]}"))"
}

step_exporters() {
  MON="$RUN/monitoring"
  npx ts-node --transpile-only scripts/render-monitoring.ts --out "$MON" "monitoringScrapeIntervalSeconds=$SCRAPE_S" >&2 || return 1
  local n up=""
  for n in "${PODS[@]}"; do
    install -m 0755 "$EXPORTER_BIN" "$RUN/pods/$n/rootfs/opt/tinode/exporter"
    exporter_start "$n"
  done
  for n in "${PODS[@]}"; do
    wait_until 10000 eval '[ "$(exporter_value tinode_up "$n")" = 1 ]' || { echo "$n: exporter does not serve tinode_up 1"; tail -n 5 "$LOGS/exporter-$n.log" >&2; return 1; }
    up="$up $n:$(exporter_value tinode_cluster_nodes_live "$n")/$(exporter_value tinode_cluster_size "$n")/$(exporter_value tinode_cluster_leader "$n")"
  done
  echo "argv: $(jq -r '.exporters[0].argv | join(" ")' "$MON/monitoring.json"); live/size/leader:$up"
}

step_prometheus() {
  local n targets="" rules
  for n in "${PODS[@]}"; do
    targets+="      - targets: [\"${POD_IP[$n]}:6222\"]
        labels: { pod: \"$n\" }
"
  done
  # job and namespace: the labels a PodMonitor gives the series (builders/monitors.ts).
  cat >"$MON/prometheus.yml" <<EOF
global:
  scrape_interval: ${SCRAPE_S}s
  scrape_timeout: ${SCRAPE_S}s
  evaluation_interval: ${SCRAPE_S}s
rule_files: ["$MON/rules.yml"]
scrape_configs:
  - job_name: $(jq -r .labels.job "$MON/monitoring.json")
    static_configs:
$targets    relabel_configs:
      - { target_label: namespace, replacement: $(jq -r .labels.namespace "$MON/monitoring.json") }
EOF
  prom_start "$MON/prometheus.yml" "$RUN/prometheus" "$LOGS/prometheus.log" || return 1
  rules=$(loaded_rules "$MON/rules.yml")
  [ "${rules%/*}" = "${rules#*/}" ] || { echo "Prometheus loaded $rules rules"; return 1; }
  rules=${rules%/*}
  wait_until 20000 eval '[ "$(prom_query "count(up{$(jq -r .selector "$MON/monitoring.json")} == 1)" | jq -r ".data.result[0].value[1]")" = 3 ]' \
    || { echo "not all 3 targets up"; prom /api/v1/targets | jq -c '.data.activeTargets[] | [.labels.pod, .health, .lastError]' >&2; return 1; }
  # Past the longest for: of the cluster alerts, so a wrong rule would be firing by now.
  sleep "$(jq -r '.timings.leader' "$MON/monitoring.json")"
  local f; f=$(firing)
  [ -z "$f" ] || { echo "alerts firing on a healthy cluster: $f"; return 1; }
  T_HEALTHY=$(date +%s)
  echo "Prometheus $("$PROM_BIN" --version 2>&1 | head -n 1 | awk '{print $3}'): 3/3 targets up, $rules rules loaded, no alert firing"
}

step_dashboard() {
  # Some client traffic first, so rates and the latency histogram have something to show: a long-
  # polling session on each node, {hi} then {sub me} before logging in (401), each answer read by a
  # poll. Tinode samples RequestLatency only for replies that carry the request's id in the server
  # message (session.go queueOut), which the {hi} reply does not, hence the {sub}.
  local n sid key msg lp; key=$(jq -r .apiKey "$RUN/render/launch.json")
  for n in "${PODS[@]}"; do
    lp="http://${POD_IP[$n]}:6060/v0/channels/lp?apikey=$key"
    sid=$(in_hub curl -s -m 3 "$lp" | jq -r '.ctrl.params.sid')
    for msg in '{"hi":{"id":"1","ver":"0.25.3"}}' '{"sub":{"id":"2","topic":"me"}}' '{"sub":{"id":"3","topic":"me"}}'; do
      # Not form-encoded: Tinode reads the raw body, which a form parse would have consumed.
      in_hub curl -s -m 3 -H 'Content-Type: application/json' -d "$msg" "$lp&sid=$sid" >/dev/null
      in_hub curl -s -m 3 "$lp&sid=$sid" >&2 || true
    done
  done
  sleep 3
  local total=0 empty=0 nan=0 expr panel result
  while IFS=$'\t' read -r panel expr; do
    total=$((total + 1))
    # Grafana's $__rate_interval: at least four scrape intervals.
    result=$(prom_query "${expr//\$__rate_interval/30s}" | jq -c '[.data.result[].value[1]]')
    if [ "$result" = "[]" ] || [ -z "$result" ]; then
      empty=$((empty + 1)); echo "EMPTY: $panel: $expr" >&2
    else
      echo "$panel: $result" >&2
      [[ "$result" != *NaN* ]] || nan=$((nan + 1))
    fi
  done < <(jq -r '.queries[] | [.panel, .expr] | @tsv' "$MON/monitoring.json")
  [ "$empty" = 0 ] || { echo "$empty of $total dashboard queries returned nothing"; return 1; }
  [ "$nan" = 0 ] || { echo "$nan of $total dashboard queries returned NaN"; return 1; }
  echo "$total queries of $(jq '[.queries[].panel] | unique | length' "$MON/monitoring.json") panels, each returned data (no NaN)"
}

# kill_and_watch ROLE: kill -9 the leader or a follower, then wait for TinodeServerDown on it and
# TinodeClusterDegraded on a survivor, each within its bound:
#   until the next scrape (S), the next evaluation (E), for:, then the evaluation that turns pending
#   into firing (E), plus 1 s for the process and the API polling. Degraded first needs a survivor
#   to notice: a follower's death is seen by the leader at its next heartbeat, within the failover
#   window heartbeatMs x (voteAfter + nodeFailAfter); a leader's death first needs an election,
#   which can repeat: twice the window (the bound the leader alerts' for: uses too).
kill_and_watch() {
  local role=$1 leader n t0
  leader=$(leader_of "${PODS[@]}")
  [ -n "$leader" ] || { echo "no leader"; return 1; }
  if [ "$role" = leader ]; then VICTIM=$leader; else for n in "${PODS[@]}"; do [ "$n" = "$leader" ] || VICTIM=$n; done; fi
  local t=$MON/monitoring.json S E down_for deg_for window_ms notice_ms
  S=$(jq -r .timings.scrapeIntervalSeconds "$t"); E=$S
  down_for=$(jq -r .timings.serverDown "$t"); deg_for=$(jq -r .timings.clusterDegraded "$t")
  window_ms=$(jq -r .timings.failoverWindowMs "$t")
  notice_ms=$window_ms
  [ "$role" != leader ] || notice_ms=$((2 * window_ms))
  DOWN_BOUND_MS=$(( (S + E + down_for + E + 1) * 1000 ))
  DEG_BOUND_MS=$(( notice_ms + (S + E + deg_for + E + 1) * 1000 ))
  T_KILL=$(date +%s)
  t0=$(now_ms)
  node_stop "$VICTIM" KILL
  local down_ms="" deg_ms="" now f
  while :; do
    now=$(( $(now_ms) - t0 ))
    f=$(firing)
    [ -n "$down_ms" ] || { grep -qx "TinodeServerDown $VICTIM" <<<"$f" && down_ms=$now; }
    [ -n "$deg_ms" ] || { grep -q "^TinodeClusterDegraded " <<<"$f" && deg_ms=$now && DEG_POD=$(grep "^TinodeClusterDegraded " <<<"$f" | head -n 1 | cut -d' ' -f2); }
    [ -n "$down_ms" ] && [ -n "$deg_ms" ] && break
    [ "$now" -lt $((DEG_BOUND_MS + 10000)) ] || break
    sleep 0.1
  done
  echo "firing: $(firing | tr '\n' ',' | sed 's/,$//')" >&2
  [ -n "$down_ms" ] || { echo "TinodeServerDown for $VICTIM never fired"; return 1; }
  [ -n "$deg_ms" ] || { echo "TinodeClusterDegraded never fired"; return 1; }
  local ok=0
  [ "$down_ms" -le "$DOWN_BOUND_MS" ] || ok=1
  [ "$deg_ms" -le "$DEG_BOUND_MS" ] || ok=1
  local notice="failover window $window_ms ms"
  [ "$role" != leader ] || notice="2 x failover window $window_ms ms"
  echo "kill -9 $VICTIM ($role): TinodeServerDown[$VICTIM] firing after $down_ms ms (bound scrape $S + eval $E + for $down_for + eval $E + 1 s = $DOWN_BOUND_MS ms), TinodeClusterDegraded[$DEG_POD] after $deg_ms ms (bound $notice + $S + $E + for $deg_for + $E + 1 s = $DEG_BOUND_MS ms)"
  return $ok
}
step_kill() { kill_and_watch follower; }
step_kill_leader() { kill_and_watch leader; }

step_restart() {
  local t0 rejoined_ms
  t0=$(now_ms)
  node_start "$VICTIM"
  wait_until 30000 cluster_formed "${PODS[@]}" || { echo "$VICTIM did not rejoin within 30 s"; return 1; }
  rejoined_ms=$WAITED_MS
  # Resolved: nothing firing any more (alerts leave the list when they resolve).
  wait_until 30000 eval '[ -z "$(firing)" ]' || { echo "still firing 30 s after the rejoin: $(firing | tr '\n' ',')"; return 1; }
  echo "$VICTIM restarted: cluster formed after $rejoined_ms ms, every alert resolved $(( $(now_ms) - t0 )) ms after the restart"
}

step_no_false_alarm() {
  # The leader survived, so neither leader alert may fire at any time, nor even be pending once the
  # cluster was healthy and scraped (at Prometheus' start, before every target's first scrape, a
  # sum can briefly miss the leader: that is what for: is for).
  local since=$(( $(date +%s) - T_HEALTHY + 1 )) fired pending missing
  fired=$(prom_query 'count by (alertname) (count_over_time(ALERTS{alertname=~"TinodeNoLeader|TinodeSplitBrain",alertstate="firing"}[10m]))' | jq -r '.data.result[] | .metric.alertname' | tr '\n' ' ')
  pending=$(prom_query "count by (alertname) (count_over_time(ALERTS{alertname=~\"TinodeNoLeader|TinodeSplitBrain\"}[${since}s]))" | jq -r '.data.result[] | "\(.metric.alertname) for \(.value[1]) evaluations"' | tr '\n' ' ')
  missing=$(prom_query "count_over_time(ALERTS{alertname=\"TinodeServersMissing\",alertstate=\"firing\"}[${since}s])" | jq -r '.data.result[0].value[1] // 0')
  [ -z "$fired" ] || { echo "leader alerts fired: $fired"; return 1; }
  [ -z "$pending" ] || { echo "leader alerts active after the cluster was healthy: $pending"; return 1; }
  [ "$missing" -gt 0 ] || { echo "TinodeServersMissing never fired while $VICTIM was down"; return 1; }
  echo "no leader alert fired, none pending in the last ${since} s; TinodeServersMissing fired for $missing evaluations while $VICTIM was down"
}

step_leader_elected() {
  # After the leader's death the survivors elect a new one within the failover window (measured up
  # to about twice it): TinodeNoLeader may be pending meanwhile, but its for: (at least twice the
  # window) must keep it from firing.
  local since=$(( $(date +%s) - T_KILL + 1 )) fired pending
  fired=$(prom_query "count_over_time(ALERTS{alertname=\"TinodeNoLeader\",alertstate=\"firing\"}[${since}s])" | jq -r '.data.result[0].value[1] // 0')
  pending=$(prom_query "count_over_time(ALERTS{alertname=\"TinodeNoLeader\",alertstate=\"pending\"}[${since}s])" | jq -r '.data.result[0].value[1] // 0')
  [ "$fired" = 0 ] || { echo "TinodeNoLeader fired during an ordinary election ($fired evaluations)"; return 1; }
  echo "new leader $(leader_of "${PODS[@]}"); TinodeNoLeader pending for $pending evaluation(s) of ${SCRAPE_S} s during the election, never firing (for: $(jq -r .timings.leader "$MON/monitoring.json") s)"
}

run_step "three real Tinode nodes with MariaDB" step_cluster critical
run_step "Tinode's exporter next to each node, with the sidecar's argv" step_exporters critical
run_step "a real Prometheus with the generated rules: all targets up, no alert firing" step_prometheus critical
run_step "every dashboard panel's query returns data from that Prometheus" step_dashboard
run_step "kill -9 of a node: server down and cluster degraded fire within the derived bounds" step_kill critical
run_step "restart: the node rejoins and every alert resolves" step_restart
run_step "no false alarm: no leader alert during a follower's death" step_no_false_alarm
run_step "kill -9 of the leader: server down and cluster degraded fire within the derived bounds" step_kill_leader critical
run_step "the survivors elect a leader before TinodeNoLeader can fire" step_leader_elected
run_step "restart: the old leader rejoins and every alert resolves" step_restart
