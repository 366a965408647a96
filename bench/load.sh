#!/usr/bin/env bash
# npm run bench:load — how much chat the deployed cluster carries. On the real cluster of npm run
# e2e:real (same tools and images), the stack with its defaults (3 Tinode pods), and k6 (go.k6.io/k6,
# from the tools cache) speaking Tinode's websocket protocol (bench/k6/chat.js) from node 1's network
# namespace through the client Service, as a client in the cluster would:
#   1. a ladder of rates (LOAD_RATES, messages a second in all; LOAD_USERS users, each in two group
#      topics and a p2p chat; LOAD_SECONDS a rung): delivery p50/p95/p99, messages in and deliveries
#      out a second, lost; the highest rate with p99 under 250 ms and nothing lost;
#   2. LOAD_SESSIONS users connected at a low rate: the Tinode pods' memory and CPU (the kubelet's
#      summary API) against the same pods idle, per 1,000 sessions;
#   3. faults under load, at half the highest sustained rate (or LOAD_FAULT_RATE): a rolling update
#      (a config change), a Tinode pod deleted, the Tinode process killed with SIGKILL, MySQL's pod
#      deleted, each LOAD_FAULT_AFTER s (20) into LOAD_FAULT_SECONDS s (90) of chat: sends resent,
#      given up, reconnections, acknowledged messages lost, deliveries only the final history read
#      found, time until every client delivered again, p99.
#   4. through the Gateway: one rung at the highest sustained rate (or LOAD_GATEWAY_RATE) through the
#      operator's Gateway (Traefik, cert-manager) from outside the cluster over wss://, next to the
#      same rung through the Service.
# LOAD_PHASES (default "ladder sessions faults gateway") picks the phases.
# The same ladder runs first against the native three-node Tinode (bench/load-native.sh); the table
# puts both side by side, and the last lines give the Kubernetes / native ratios.
# Prints a table and one JSON line (last line). Bounded by BENCH_TIMEOUT seconds (default 2400);
# cleans up after itself. CI runs a short rung of the same scenario in npm run e2e:real instead.
set -euo pipefail
source "$(dirname "$0")/../e2e/real/session.sh"
[ -x "$(tool_dir k6 "$K6_VERSION")/bin/k6" ] || { echo "SKIPPED: bench:load: no k6 in the tools cache (npm run e2e:tools k6)"; exit 0; }
RATES=${LOAD_RATES:-50 100 200 400 800 1600} USERS=${LOAD_USERS:-200} SECONDS_PER=${LOAD_SECONDS:-30} SESSIONS=${LOAD_SESSIONS:-1000}
PHASES=${LOAD_PHASES:-ladder sessions faults gateway} FAULT_SECONDS=${LOAD_FAULT_SECONDS:-90} FAULT_AFTER=${LOAD_FAULT_AFTER:-20}
phase() { [[ " $PHASES " == *" $1 "* ]]; }
if ! phase ladder; then RATES=""; fi
phase sessions || SESSIONS=0
# The native cluster first, on an idle machine, before the real cluster starts.
NATIVE_ON=1
if [ -z "$RATES" ]; then NATIVE_ON=0 native=""
elif native=$(bash "$(dirname "$0")/load-native.sh" "$RATES" "$USERS" "$SECONDS_PER" 2>"${TMPDIR:-/tmp}/bench-load-native.err"); then :; else
  echo "native cluster: $(tail -n 3 "${TMPDIR:-/tmp}/bench-load-native.err" | paste -sd ' ')"
  NATIVE_ON=0 native=""
fi
real_session tinode-real-load
harness_init 0 "$WORK/logs"
watchdog_start "${BENCH_TIMEOUT:-2400}"
source "$REAL_DIR/steps.sh"
source "$REAL_DIR/load.sh"

# shellcheck disable=SC2046
new_stack $STACK $(real_stack_config) >/dev/null 2>&1
P $STACK up --yes --skip-preview >"$WORK/logs/up.log" 2>&1 || { echo "FAIL: pulumi up failed: $(grep -m2 -iE 'error' "$WORK/logs/up.log" | paste -sd ' ')"; exit 1; }
wait_until 120 cluster_formed 3 || { echo "FAIL: the cluster did not form"; exit 1; }
KEY=$(api_key)
URL=$(svc_url)
idle=$(pods_usage)
echo "Tinode pods idle: $(jq -r '"\(.memMiB) MiB, \(.cpuMilli) mCPU in all (3 pods)"' <<<"$idle")"

# --- 1. the rate ladder, on Kubernetes; the native figures of the same rung next to them
RUNG_COLS='%-10s %-8s %-6s %-10s %-12s %-8s %-8s %-8s %-6s %-6s %-7s\n'
FAULT_COLS='%-12s %-7s %-7s %-7s %-7s %-10s %-6s %-9s %-11s %-8s\n'
row() { jq -r '[.rate, .users, (.acked / .seconds | floor), (.delivered / .seconds | floor), (.p50 | floor), (.p95 | floor), (.p99 | floor), .lost, .sendFailed, (.retried // 0)] | @tsv' <<<"$2" \
  | awk -F'\t' -v w="$1" -v fmt="$RUNG_COLS" '{printf fmt, w, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}'; }
# shellcheck disable=SC2059 # one column format for a table's header and rows
rung_header() { printf "$RUNG_COLS" where rate/s users acked/s deliveries/s p50_ms p95_ms p99_ms lost failed retried; }
results=()
best=null
[ -z "$RATES" ] || rung_header
for rate in $RATES; do
  r=$(k6_rung "$URL" "$KEY" "$USERS" "$rate" "$SECONDS_PER") || { echo "FAIL: k6 at $rate/s: $(tail -n 3 "$WORK/k6-$rate-$USERS.log" | paste -sd ' ')"; exit 1; }
  results+=("$r")
  row kubernetes "$r"
  n=$(grep -m1 "\"rate\":$rate," <<<"$native" || true)
  [ -z "$n" ] || row native "$n"
  if k6_held "$r"; then best=$r; else break; fi
done
native_best=$( (grep . <<<"$native" || true) | while read -r n; do if k6_held "$n"; then echo "$n"; fi; done | tail -n 1)
[ -n "$native_best" ] || native_best=null

# --- 2. memory and CPU per 1,000 sessions
sessions=null
if [ "$SESSIONS" -gt 0 ]; then
  sessions=$(k6_sessions "$URL" "$KEY" "$SESSIONS" "$idle") || { echo "FAIL: sessions run: $sessions"; exit 1; }
  echo "$(jq -r '"\(.sessions) sessions on 3 pods: +\(.memMiBPer1000) MiB and +\(.cpuMilliPer1000) mCPU per 1,000 sessions (at \(.rate) messages/s)"' <<<"$sessions")"
fi

# --- 3. faults under load: at half the highest sustained rate (LOAD_FAULT_RATE), each fault
# FAULT_AFTER s into FAULT_SECONDS s of chat; the cluster settles before the next one.
faults=()
if phase faults; then
  frate=${LOAD_FAULT_RATE:-$(jq -r 'if . == null then 100 else (.rate / 2 | floor) end' <<<"$best")}
  # shellcheck disable=SC2059
  printf "$FAULT_COLS" fault took_s acked resent failed reconnects lost caughtUp recovery_s p99_ms
  for f in "roll:fault_roll" "delete-pod:fault_delete_pod tinode-1" "sigkill:fault_sigkill tinode-2" "delete-mysql:fault_delete_mysql"; do
    # shellcheck disable=SC2086
    r=$(k6_fault "${f%%:*}" "$URL" "$KEY" "$USERS" "$frate" "$FAULT_SECONDS" "$FAULT_AFTER" ${f#*:}) || { echo "FAIL: fault ${f%%:*}: $r"; exit 1; }
    faults+=("$r")
    jq -r '[.fault, .faultTookS, .acked, .resent, .sendFailed, .reconnects, .lost, .caughtUp, .recoveryS, (.p99 | floor)] | @tsv' <<<"$r" \
      | awk -F'\t' -v fmt="$FAULT_COLS" '{printf fmt, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}'
    fault_settled 3 || { echo "FAIL: the cluster did not settle after the fault ${f%%:*}"; exit 1; }
  done
  echo "faults at $frate messages/s ($USERS users, fault $FAULT_AFTER s into $FAULT_SECONDS s of chat): acknowledged messages lost $(printf '%s\n' "${faults[@]}" | jq -s 'map(.lost) | add')"
fi

# --- 4. through the Gateway: the operator's Gateway (Traefik, cert-manager's certificate: npm run
# e2e:real's edge step) with the stack's routes, k6 outside the cluster in the client namespace over
# wss:// (the CA verified), against the Service from node 1, at the same rate one after the other.
gateway=null
if phase gateway; then
  grate=${LOAD_GATEWAY_RATE:-$(jq -r 'if . == null then 100 else .rate end' <<<"$best")}
  edge=$(step_edge 2>>"$WORK/logs/edge.err") || { echo "FAIL: the Gateway: $edge"; exit 1; }
  via_svc=$(K6_TAG=service-$grate k6_rung "$URL" "$KEY" "$USERS" "$grate" "$SECONDS_PER") || { echo "FAIL: k6 through the Service: $(tail -n 3 "$WORK/k6-service-$grate.log" | paste -sd ' ')"; exit 1; }
  via_gw=$(K6_TAG=gateway-$grate K6_AT=in_client K6_RESOLVE="$EDGE_HOST=$(real_node_ip 2)" SSL_CERT_FILE="$WORK/edge/ca.crt" \
    k6_rung "wss://$EDGE_HOST:$EDGE_PORT" "$KEY" "$USERS" "$grate" "$SECONDS_PER") || { echo "FAIL: k6 through the Gateway: $(tail -n 3 "$WORK/k6-gateway-$grate.log" | paste -sd ' ')"; exit 1; }
  rung_header
  row service "$via_svc"
  row gateway "$via_gw"
  gateway=$(jq -nc --argjson s "$via_svc" --argjson g "$via_gw" '{service: $s, gateway: $g}')
fi

# Kubernetes / native: the highest sustained rates, and p99 at the highest rate both sustained.
ratio=$(jq -nc --argjson k "$best" --argjson n "$native_best" --argjson kall "[$(IFS=,; echo "${results[*]}")]" \
  --argjson nall "[$(grep . <<<"${native:-}" | paste -sd ,)]" '
  if $k == null or $n == null then null else
    ([$k.rate, $n.rate] | min) as $r
    | {throughput: ($k.rate / $n.rate), atRate: $r,
       p99: (($kall | map(select(.rate == $r)) | .[0].p99) / ($nall | map(select(.rate == $r)) | .[0].p99))} end')
summary=$(jq -nc --argjson best "$best" --argjson nbest "$native_best" --argjson ratio "$ratio" --argjson sessions "$sessions" \
  --argjson idle "$idle" --argjson goal $LOAD_P99_GOAL \
  --argjson faults "[$(IFS=,; echo "${faults[*]:-}")]" \
  --argjson gateway "$gateway" \
  '{p99GoalMs: $goal, sustained: $best, nativeSustained: $nbest, kubernetesOverNative: $ratio, idle: $idle, sessions: $sessions, faults: $faults, gateway: $gateway, rungs: $ARGS.positional}' \
  --jsonargs "${results[@]}")
[ "$NATIVE_ON" = 1 ] || echo "no native comparison (see above)"
[ "$ratio" = null ] || echo "Kubernetes / native: sustained rate $(jq -r '.throughput * 100 | round / 100' <<<"$ratio")x, p99 at $(jq -r .atRate <<<"$ratio") messages/s $(jq -r '.p99 * 100 | round / 100' <<<"$ratio")x"
if [ "$best" = null ]; then
  echo "no rate held p99 under $LOAD_P99_GOAL ms with nothing lost"
else
  echo "highest sustained rate: $(jq -r '"\(.rate) messages/s (\(.users) users): p99 \(.p99 | floor) ms, \(.delivered / .seconds | floor) deliveries/s, 0 lost"' <<<"$best")"
fi
echo "$summary"
