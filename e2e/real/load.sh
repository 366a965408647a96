#!/usr/bin/env bash
# Sourced by bench/load.sh and e2e/real/run.sh (after steps.sh): chat load with k6 (bench/k6/chat.js)
# from node 1's network namespace, and what the Tinode pods use meanwhile.

# k6_rung URLS KEY USERS RATE SECONDS -> chat.js's result as one JSON line, plus lost: deliveries
# due for acknowledged messages that no receiver saw. URLS: one ws:// URL, or several separated by
# commas (user i connects to the i-th modulo their count). k6 runs where K6_AT says (node 1's network
# namespace by default) and writes k6-RATE-USERS.json/.log (or k6-K6_TAG.*) into K6_DIR (default WORK);
# K6_RESOLVE=host=ip maps a URL's host name (chat.js RESOLVE).
# The clients reconnect, resubscribe and resend through faults (chat.js): resent and reconnects count
# that, caughtUp the deliveries only the last history read found.
k6_rung() {
  local dir=${K6_DIR:-$WORK} groups=$(($3 / 10 > 2 ? $3 / 10 : 2)) at=(in_node 1)
  [ -z "${K6_AT:-}" ] || read -ra at <<<"$K6_AT"
  local out="$dir/k6-${K6_TAG:-$4-$3}.json"
  "${at[@]}" "$(tool_dir k6 "$K6_VERSION")/bin/k6" run --quiet --no-usage-report --address "" \
    -e URL="$1" -e API_KEY="$2" -e USERS="$3" -e GROUPS="$groups" -e RATE="$4" -e SECONDS="$5" \
    -e PREFIX="k${4}u${3}r$RANDOM" -e SUMMARY="$out" -e RESOLVE="${K6_RESOLVE:-}" "$ROOT/bench/k6/chat.js" >"$dir/k6-${K6_TAG:-$4-$3}.log" 2>&1 || return 1
  jq -c --argjson lost "$(k6_lost "$dir/k6-${K6_TAG:-$4-$3}.log" "$3" "$groups")" '. + {lost: $lost}' "$out"
}

# k6_lost LOG USERS GROUPS -> how many deliveries of acknowledged messages no receiver got: from
# each user's line in k6's log (what it had acknowledged, what it received), with chat.js's topics:
# user i is in groups i and i+1 (modulo GROUPS) and chats with user i^1.
k6_lost() {
  grep -o 'k6-vu [A-Za-z0-9+/=]*' "$1" | cut -d' ' -f2 | while read -r line; do base64 -d <<<"$line"; echo; done \
    | jq -s --argjson users "$2" --argjson groups "$3" '
      (map({key: (.i | tostring), value: (.got | with_entries(.value |= (map({key: tostring, value: true}) | from_entries)))}) | from_entries) as $got
      | ([range(0; $groups)] | map(. as $g | [range(0; $users) | select(. % $groups == $g or (. + 1) % $groups == $g)])) as $members
      | [.[] | .i as $i | .acked[] | .[0] as $g | .[1] as $n
          | (if $g < 0 then [if $i % 2 == 0 then $i + 1 else $i - 1 end] else $members[$g] - [$i] end)[]
          | select((($got[tostring] // {})[$i | tostring] // {})[$n | tostring] | not)] | length'
}

# k6_held RESULT: the rung held the goal: p99 delivery under LOAD_P99_GOAL ms, nothing lost, failed
# or sent twice, no connection lost.
LOAD_P99_GOAL=250
k6_held() { jq -e --argjson goal $LOAD_P99_GOAL '.p99 < $goal and .lost == 0 and .sendFailed == 0 and .resent == 0 and .reconnects == 0 and .lateJoin == 0' <<<"$1" >/dev/null; }

# k6_fault NAME URLS KEY USERS RATE SECONDS AFTER ACTION...: the chat load for SECONDS s, and
# AFTER s into its sends the fault: ACTION (a command; its output goes to fault-NAME.log). Prints
# the rung's result plus the fault: when it happened, how long ACTION ran, and recoveryS, the time
# from the fault until the last client had recovered: its last delivery later than 1 s, or its first
# acknowledged send after a resend or a lost connection (0: nobody noticed).
k6_fault() {
  local name=$1 urls=$2 key=$3 users=$4 rate=$5 seconds=$6 after=$7 dir=${K6_DIR:-$WORK} pid start="" at took
  shift 7
  K6_TAG=fault-$name k6_rung "$urls" "$key" "$users" "$rate" "$seconds" >"$dir/fault-$name.json" &
  pid=$!
  until [ -n "$start" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "k6 ended before its sends began: $(tail -n 3 "$dir/k6-fault-$name.log" | paste -sd ' ')"; return 1; }
    sleep 1
    start=$(grep -om1 'k6-start-at [0-9]*' "$dir/k6-fault-$name.log" 2>/dev/null | cut -d' ' -f2 || true)
  done
  at=$((start + after * 1000))
  while [ "$(date +%s%3N)" -lt "$at" ]; do sleep 0.2; done
  at=$(date +%s%3N)
  "$@" >"$dir/fault-$name.log" 2>&1 || { wait "$pid"; echo "the fault's command failed: $(tail -n 3 "$dir/fault-$name.log" | paste -sd ' ')"; return 1; }
  took=$(($(date +%s%3N) - at))
  wait "$pid" || { echo "k6 failed: $(tail -n 3 "$dir/k6-fault-$name.log" | paste -sd ' ')"; return 1; }
  jq -c --arg name "$name" --argjson at "$at" --argjson took "$took" --argjson after "$after" '. + {fault: $name, faultAfterS: $after, faultTookS: ($took / 1000),
      recoveryS: (if .slowLast == null or .slowLast < $at then 0 else ((.slowLast - $at) / 100 | round) / 10 end)}' "$dir/fault-$name.json"
}

# pods_usage -> {"memMiB", "cpuMilli", "sessions"}: the Tinode containers' working set (at the end)
# and CPU (their cumulative CPU time over USAGE_SECONDS, default 20) in all, from each node's kubelet
# (summary API, through the API server), and their live sessions (expvar).
pods_usage() {
  local n p ev sessions=0 a b
  snapshot() {
    for n in $(seq 1 "$REAL_NODE_COUNT"); do kc get --raw "/api/v1/nodes/$(real_node_name "$n")/proxy/stats/summary"; done \
      | jq -sc --arg ns "$NS" '[.[].pods[] | select(.podRef.namespace == $ns and (.podRef.name | test("^tinode-[0-9]+$")))
          | {pod: .podRef.name} + (.containers[] | select(.name == "tinode") | {mem: .memory.workingSetBytes, cpu: .cpu.usageCoreNanoSeconds})]'
  }
  a=$(snapshot); sleep "${USAGE_SECONDS:-20}"; b=$(snapshot)
  for p in $(server_pods | jq -r '.items[].metadata.name'); do
    ev=$(expvar "$p") && sessions=$((sessions + $(jq -r '.LiveSessions // 0' <<<"$ev")))
  done
  jq -nc --argjson a "$a" --argjson b "$b" --argjson s "${USAGE_SECONDS:-20}" --argjson sessions "$sessions" '
    {memMiB: (($b | map(.mem) | add) / 1048576 | floor),
     cpuMilli: ([$b[] | . as $x | ($a[] | select(.pod == $x.pod) | $x.cpu - .cpu)] | add / ($s * 1000000) | floor),
     sessions: $sessions}'
}

# k6_sessions URL KEY N IDLE -> what N connected users at one message each per 20 s add to the
# Tinode pods (IDLE: pods_usage without them), per 1,000 sessions, sampled once all are connected.
k6_sessions() {
  local n=$3 rate=$(($3 / 20)) pid busy end
  k6_rung "$1" "$2" "$n" "$rate" 60 >"$WORK/sessions.json" &
  pid=$!
  end=$(($(date +%s) + 600))
  until busy=$(USAGE_SECONDS=1 pods_usage) && [ "$(jq .sessions <<<"$busy")" -ge "$n" ]; do
    [ "$(date +%s)" -lt "$end" ] && kill -0 "$pid" 2>/dev/null || { echo "not all $n sessions connected: $busy"; return 1; }
    sleep 2
  done
  busy=$(pods_usage)
  wait "$pid" || { echo "k6 failed: $(tail -n 3 "$WORK/k6-$rate-$n.log" | paste -sd ' ')"; return 1; }
  jq -c --argjson idle "$4" --argjson n "$n" --argjson rate "$rate" '{sessions: .sessions, rate: $rate, memMiB: .memMiB, cpuMilli: .cpuMilli,
      memMiBPer1000: (((.memMiB - $idle.memMiB) * 1000 / $n) | floor), cpuMilliPer1000: (((.cpuMilli - $idle.cpuMilli) * 1000 / $n) | floor)}' <<<"$busy"
}

# The scenario of npm run bench:load, short: 20 users (two groups, p2p pairs) at 20 messages a
# second for 15 s through the Service; every acknowledged message delivered to every subscriber.
step_load_smoke() {
  local r
  r=$(k6_rung "$(svc_url)" "$(api_key)" 20 20 15) || { fail "k6 failed: $(tail -n 3 "$WORK/k6-20-20.log" | paste -sd ' ')"; return 1; }
  jq -e '.acked > 0 and .lost == 0 and .sendFailed == 0 and .lateJoin == 0' <<<"$r" >/dev/null || { fail "k6: $r"; return 1; }
  echo "k6 $K6_VERSION speaking Tinode's websocket protocol (bench/k6/chat.js): $(jq -r '"\(.users) users, \(.rate) messages/s for \(.seconds) s: \(.acked) acknowledged, \(.delivered) of \(.expected) deliveries, \(.lost) lost, \(.resent) resent, \(.reconnects) reconnections; delivery p50 \(.p50 | floor) ms, p95 \(.p95 | floor) ms, p99 \(.p99 | floor) ms"' <<<"$r")"
}

# The faults of npm run bench:load (phase 3), each a command for k6_fault; each returns once done.
# A rolling update: a config change (the message size limit) rolls every Tinode pod.
fault_roll() {
  local kb
  kb=$(P $STACK config get tinode:maxMessageKb 2>/dev/null || echo 4096)
  P $STACK config set tinode:maxMessageKb $((kb == 4096 ? 4095 : 4096)) && P $STACK up --yes --skip-preview
}
fault_delete_pod() { k delete pod "$1"; }
fault_sigkill() { kill_server "$1"; }
fault_delete_mysql() { k delete pod tinode-mysql-0; }
# fault_settled N: the cluster of N pods formed again and MySQL Ready, before the next fault.
fault_settled() {
  wait_until 300 sts_ready tinode "$1" && wait_until 300 sts_ready tinode-mysql 1 && wait_until 120 cluster_formed "$1"
}
