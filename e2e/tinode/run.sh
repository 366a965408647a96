#!/usr/bin/env bash
# npm run e2e:tinode — the config this program generates, run by the real Tinode server: three
# nodes form a cluster, relay messages across nodes, fail over, rejoin and stop cleanly; and a node
# list that omits a pod, which real Tinode runs with, is caught by the program's validation.
# See README.md.
#
# Prints one PASS/FAIL line per step (details indented under it) and "N passed, M failed"; exits
# non-zero on any failure. Everything runs in network namespaces it creates and deletes again.
# Needs root. E2E_TIMEOUT (seconds, default 600) bounds the whole run; KEEP_LOGS=1 keeps the
# servers' logs (always kept when a step fails).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

if ! tool_present tinode "$TINODE_VERSION" tinode init-db || [ ! -f "$DB_READY" ]; then
  echo "SKIPPED: tinode e2e tools not present (npm run e2e:tools; npm run e2e:tinode:setup)"
  exit 0
fi
require_root_and "Tinode e2e" 6 ip jq curl nsenter ss
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"
cd "$REPO_DIR"
TS_NODE="$REPO_DIR/node_modules/.bin/ts-node"

# ----------------------------------------------------------------------------------------------
# Bookkeeping: the harness's steps (e2e/lib/harness.sh), the session's cleanup and deadline

CLIENT_JOB=""
stop_client() { { [ -n "$CLIENT_JOB" ] && kill "$CLIENT_JOB" && wait "$CLIENT_JOB"; } 2>/dev/null; }
E2E_TIMEOUT=${E2E_TIMEOUT:-600}
cluster_session "$E2E_TIMEOUT" stop_client
harness_init 6 "$LOGS" stream

client_read() { # client_read TIMEOUT -> LINE
  local line
  if ! read -r -t "$1" line <&"$CLIENT_OUT"; then
    echo "  client: no answer within $1 s; its log ends with:"; tail -n 5 "$LOGS/client.log" | sed 's/^/    /'
    return 1
  fi
  echo "$line"
}
client_say() { echo "$1" >&"$CLIENT_IN"; }

# client_result STEP LINE: checks "STEPn PASS {json}" and prints the JSON's fields as details.
client_result() {
  local want=$1 line=$2
  case "$line" in
    "STEP$want PASS "*) jq -r 'to_entries[] | "  client: \(.key)=\(.value | tostring)"' <<<"${line#"STEP$want PASS "}"; return 0 ;;
    "STEP$want FAIL "*) jq -r 'to_entries[] | "  client: \(.key)=\(.value | tostring)"' <<<"${line#"STEP$want FAIL "}"; return 1 ;;
    *) info "client: $line"; tail -n 5 "$LOGS/client.log" | sed 's/^/    /'; return 1 ;;
  esac
}

# ----------------------------------------------------------------------------------------------
# Steps

step1() {
  net_up || return 1
  db_start "e2e$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" || return 1
  info "database: $(chroot "$DB_ROOT" /usr/sbin/mariadbd --version | grep -oE 'Ver [^ ]+'), at $HUB_IP:$DB_PORT"
  if db_sql "CREATE DATABASE e2e_other" >/dev/null 2>&1; then
    info "the tinode user could create another database"; return 1
  fi
  info "user tinode may create database tinode only (CREATE DATABASE e2e_other: denied)"
  render_config >>"$LOGS/render.log" 2>&1 || { cat "$LOGS/render.log"; return 1; }
  local n i
  for n in "${PODS[@]}" job; do pod_net "$n" "${POD_IP[$n]}" || return 1; pod_root "$n" "$CONF" || return 1; done

  # The schema Job's probe (init-db --no_init): not current while the database is missing.
  local probe out
  mapfile -t probe < <(jq -r '.schemaProbe[]' "$LAUNCH")
  if out=$( (pod_exec job "${probe[@]}") 2>&1 ); then info "probe said current for a missing database: $out"; return 1; fi
  grep -q "Database not found" <<<"$out" || { info "probe on a missing database: $out"; return 1; }
  db_sql "SHOW DATABASES LIKE 'tinode'" | grep -q . && { info "the probe created the database"; return 1; }

  # init-db, as the Job runs it, twice: creates, then finds the database current and changes nothing.
  local initdb out before after
  mapfile -t initdb < <(jq -r '.initDb[]' "$LAUNCH")
  for i in 1 2; do
    if ! out=$( (pod_exec job "${initdb[@]}") 2>&1 ); then info "init-db run $i failed:"; echo "$out" | sed 's/^/    /'; return 1; fi
    echo "$out" >>"$LOGS/init-db.log"
    if [ "$i" = 1 ]; then
      grep -q "Database successfully created" <<<"$out" || { info "init-db run 1: $out"; return 1; }
      before=$(db_dump | sha256sum)
      info "init-db run 1 (${initdb[*]}): $(grep -o 'Database successfully created.' <<<"$out")"
    else
      grep -q "Database exists, version is correct" <<<"$out" || { info "init-db run 2: $out"; return 1; }
      after=$(db_dump | sha256sum)
      [ "$before" = "$after" ] || { info "init-db run 2 changed the database"; return 1; }
      info "init-db run 2: $(grep -o 'Database exists, version is correct.' <<<"$out") (dump unchanged; schema version $(db_sql "SELECT value FROM tinode.kvmeta WHERE \`key\`='version'"))"
    fi
  done

  # The probe: current now (no dump); not current once the version differs (the Job would dump), and
  # it changes nothing either way.
  (pod_exec job "${probe[@]}") >"$LOGS/probe.log" 2>&1 || { info "probe on a current database failed: $(cat "$LOGS/probe.log")"; return 1; }
  db_sql "UPDATE tinode.kvmeta SET value=value-1 WHERE \`key\`='version'" || return 1
  if out=$( (pod_exec job "${probe[@]}") 2>&1 ); then info "probe said current for an older schema"; return 1; fi
  grep -q "Wrong DB version" <<<"$out" || { info "probe on an older schema: $out"; return 1; }
  db_sql "UPDATE tinode.kvmeta SET value=value+1 WHERE \`key\`='version'" || return 1
  [ "$(db_dump | sha256sum)" = "$before" ] || { info "the probe changed the database"; return 1; }
  info "schema probe (${probe[*]}): missing -> not current, current -> current, one version older -> not current ($(grep -o 'Wrong DB version[^.]*' <<<"$out")); database unchanged"

  for n in "${PODS[@]}"; do node_start "$n"; done
  local deadline=$(( $(now_ms) + 60000 ))
  until cluster_formed "${PODS[@]}"; do
    for n in "${PODS[@]}"; do node_died "$n" && return 1; done
    [ "$(now_ms)" -lt "$deadline" ] || { info "no cluster within 60 s:"; show_vars "${PODS[@]}"; return 1; }
    sleep 0.2
  done
  for n in "${PODS[@]}"; do
    info "$n: $(grep -oE "Cluster of [0-9]+ nodes initialized, node .* is listening on \[[^]]*\]" "$LOGS/$n.log" | tail -n 1)"
  done
  show_vars "${PODS[@]}"
  info "(Tinode's LiveClusterNodes counts the peers a node is connected to, itself excluded: 2 = all)"
}

step2() {
  local endpoints line
  # The topic goes on a follower: step 3 then tests the ring failover the bound is about. (A dead
  # leader first needs an election, vote_after heartbeats more; the benchmark measures that case.)
  local leader order=() n
  leader=$(leader_of "${PODS[@]}")
  [ -n "$leader" ] || { info "no leader"; return 1; }
  for n in "${PODS[@]}"; do [ "$n" = "$leader" ] || order+=("$n"); done
  order+=("$leader")
  endpoints=$(nodes_json "${order[@]}")
  # Tinode's worst case for a follower's death (failoverBoundsMs, builders/clusterNodes.ts), plus
  # what watching the logs and the expvar pages adds (a poll every 20 ms, each a few processes).
  WATCH_SLACK_MS=250
  BOUND_MS=$(( $(jq -r .failoverBoundsMs.followerKilled "$LAUNCH") + WATCH_SLACK_MS ))
  coproc CLIENT { exec ip netns exec "$HUB" "$TS_NODE" --transpile-only "$HERE/client.ts" relay-failover \
      --nodes "$endpoints" --api-key "$API_KEY" --bound-ms "$BOUND_MS" 2>>"$LOGS/client.log"; }
  CLIENT_JOB=$CLIENT_PID CLIENT_OUT=${CLIENT[0]} CLIENT_IN=${CLIENT[1]}
  info "clients: Tinode JSON protocol over ws://<node>:6060/v0/channels?apikey=<launch.json apiKey>"
  line=$(client_read 120) || { echo "$line"; return 1; }
  client_result 2 "$line"
}

step3() {
  local line victim t0 n
  line=$(client_read 30) || { echo "$line"; return 1; }
  [[ "$line" == KILL\ * ]] || { info "client: $line"; return 1; }
  victim=${line#KILL }
  SURVIVORS=()
  for n in "${PODS[@]}"; do [ "$n" = "$victim" ] || SURVIVORS+=("$n"); done
  failover_mark "${SURVIVORS[@]}"
  info "failover bound for a follower's death: 1.25 x heartbeat ${HEARTBEAT_MS} ms x (node_fail_after ${NODE_FAIL_AFTER} + 2) + ${WATCH_SLACK_MS} ms for the watching = ${BOUND_MS} ms"

  local was_leader=""
  if [ "$(cluster_vars "$victim" | cut -d" " -f3)" = 1 ]; then was_leader=", the leader"; else was_leader=""; fi
  t0=$(now_ms)
  client_say "KILLED $t0"
  node_stop "$victim" KILL
  info "kill -9 $victim (hosts the topic$was_leader; pid ${NODE_PID[$victim]}, exit status $NODE_STATUS)"
  if [ -n "$was_leader" ]; then
    BOUND_MS=$(( $(jq -r .failoverBoundsMs.leaderKilledRetry "$LAUNCH") + WATCH_SLACK_MS ))
    info "note: the leader was killed, so the bound includes an election (and one failed round): ${BOUND_MS} ms"
  fi
  KILLED=$victim

  local ok=1
  failover_watch "$victim" "$t0" $((BOUND_MS + 5000)) || ok=0
  for n in "${SURVIVORS[@]}"; do
    if [ -n "${FO_REHASH[$n]:-}" ]; then
      info "$n rehashed its ring to [$(rehash_nodes "$n" "${FO_OFF[$n]}")] after ${FO_REHASH[$n]} ms"
      [ "${FO_REHASH[$n]}" -le "$BOUND_MS" ] || ok=0
    else
      info "$n did not drop $victim from its ring within $((BOUND_MS + 5000)) ms"
    fi
  done
  if [ -n "$FO_LEADER_MS" ]; then
    info "leader $FO_LEADER reports LiveClusterNodes=1 after $FO_LEADER_MS ms"
    [ "$FO_LEADER_MS" -le "$BOUND_MS" ] || ok=0
  else
    info "no survivor became a leader reporting one live peer"
  fi
  show_vars "${SURVIVORS[@]}"
  info "(LiveClusterNodes counts connected peers; a follower notices a dead peer only when it next calls it)"
  line=$(client_read 60) || { echo "$line"; return 1; }
  client_result 3 "$line" || ok=0
  [ "$ok" = 1 ]
}

step4() {
  local line t0 deadline n
  failover_mark "${SURVIVORS[@]}"
  line=$(client_read 30) || { echo "$line"; return 1; }
  [ "$line" = RESTART ] || { info "client: $line"; return 1; }
  t0=$(now_ms)
  node_start "$KILLED"
  info "restarted $KILLED with the same argv: $(node_argv "$KILLED" | tr '\n' ' ')"
  deadline=$(( t0 + 60000 ))
  until rejoined "${SURVIVORS[@]}"; do
    node_died "$KILLED" && return 1
    [ "$(now_ms)" -lt "$deadline" ] || { info "not rejoined within 60 s"; show_vars "${PODS[@]}"; return 1; }
    sleep 0.05
  done
  info "rejoined after $(( $(now_ms) - t0 )) ms (process start included)"
  for n in "${SURVIVORS[@]}"; do info "$n rehashed its ring to [$(rehash_nodes "$n" "${FO_OFF[$n]}")]"; done
  show_vars "${PODS[@]}"
  client_say RESTARTED
  line=$(client_read 60) || { echo "$line"; return 1; }
  client_result 4 "$line"
}

step5() {
  local victim t0 status=0 elapsed
  { kill "$CLIENT_JOB"; wait "$CLIENT_JOB"; } 2>/dev/null || true
  CLIENT_JOB=""
  victim=$(leader_of "${PODS[@]}")
  [ -n "$victim" ] || { info "no leader to stop"; return 1; }
  t0=$(now_ms)
  kill -TERM "${NODE_PID[$victim]}"
  while kill -0 "${NODE_PID[$victim]}" 2>/dev/null; do
    if [ "$(( $(now_ms) - t0 ))" -gt "$(( GRACE_S * 1000 ))" ]; then
      info "$victim still running after terminationGracePeriodSeconds=$GRACE_S"; return 1
    fi
    sleep 0.02
  done
  elapsed=$(( $(now_ms) - t0 ))
  { wait "${NODE_PID[$victim]}" || status=$?; } 2>/dev/null
  info "SIGTERM to $victim (the leader): exited with status $status after $elapsed ms (terminationGracePeriodSeconds=$GRACE_S)"
  grep -E "Signal received|Hub shutdown completed|Cluster shut down|HTTP server: stopped" "$LOGS/$victim.log" | tail -n 4 | sed 's/^/    /'
  [ "$status" = 0 ]
}

step6() {
  local bad="$RUN/render/omit-self.conf" drop="${PODS[$(( ${#PODS[@]} - 1 ))]}" n out deadline port
  if ! out=$("$TS_NODE" --transpile-only "$HERE/program.ts" omit-self --in "$CONF" --drop "$drop" --out "$bad" 2>&1); then
    echo "$out" | sed 's/^/  /'; return 1
  fi
  echo "$out" | sed 's/^/  program: /'
  # What real Tinode does with that list: every pod gets it, as they would from one Secret.
  for n in "${PODS[@]}"; do
    if [ -n "${NODE_PID[$n]:-}" ] && kill -0 "${NODE_PID[$n]}" 2>/dev/null; then node_stop "$n" KILL; fi
  done
  declare -A off=()
  for n in "${PODS[@]}"; do off[$n]=$(log_size "$n"); pod_root "$n" "$bad" && node_start "$n"; done
  deadline=$(( $(now_ms) + 30000 ))
  until [ -n "$(expvar "$drop")" ]; do
    node_died "$drop" && { info "Tinode refused the config (not silent)"; return 1; }
    [ "$(now_ms)" -lt "$deadline" ] || { info "$drop did not come up within 30 s"; return 1; }
    sleep 0.2
  done
  sleep 3
  node_died "$drop" && return 1
  info "real Tinode, every pod given that list: $drop keeps running and answers HTTP; its log says:"
  tail -c +"$(( ${off[$drop]} + 1 ))" "$LOGS/$drop.log" | grep -E "Cluster of [0-9]+ nodes initialized" | sed 's/^/    /'
  port=$(ip netns exec "$NS_PREFIX-$drop" ss -Hltnp | grep "pid=${NODE_PID[$drop]}," | awk '{print $4}' | grep -vE ':(6060|16060)$' | tr '\n' ' ' || true)
  info "$drop's cluster listener: ${port:-none}(its address in the list has port 12000)"
  show_vars "$drop"
  local status log
  for n in "${PODS[@]}"; do
    [ "$n" = "$drop" ] && continue
    log=$(tail -c +"$(( ${off[$n]} + 1 ))" "$LOGS/$n.log")
    if kill -0 "${NODE_PID[$n]}" 2>/dev/null; then
      info "$n: running; $(grep -c "Ping from unknown node $drop" <<<"$log") pings from $drop dropped as 'unknown node'"
    else
      status=0; { wait "${NODE_PID[$n]}" || status=$?; } 2>/dev/null
      info "$n: crashed (exit status $status) after $drop asked it to vote: $(grep -m1 '^panic:' <<<"$log") at $(grep -m1 -oE 'main\.\(\*Cluster\)\.[A-Za-z]+' <<<"$log")"
      grep -m1 -E "failover disabled" <<<"$log" | sed 's/^/    /'
    fi
  done
  [ -n "$port" ] && [[ " $port" != *":12000 "* ]]
}

run_step "three nodes start and form a cluster (init-db created the database, second run changed nothing)" step1 critical
run_step "two websocket clients on different nodes relay each other's messages" step2 critical
run_step "kill -9 of the topic's node: survivors fail over within the bound, clients resubscribe and relay" step3 critical
run_step "the killed node restarts with the same command and rejoins" step4 critical
run_step "SIGTERM stops a node cleanly within terminationGracePeriodSeconds" step5 critical
run_step "a node list that omits self is rejected by the program's validation (real Tinode runs with it)" step6 critical
