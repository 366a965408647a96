#!/usr/bin/env bash
# npm run bench:rolls — rolling changes of every kind during a chat whose clients sit on every pod,
# on the real cluster of npm run e2e:real (same tools and images). Each roll is one `pulumi up`:
#   config     tinode:heartbeatMs 100 <-> 120 (the change that split the cluster, issue 23)
#   image      tinode:image <tag> <-> <tag>-next (a new schema Job, then the roll)
#   resources  tinode:resources.tinode.limits.memory 512Mi <-> 640Mi
#   scale      tinode:replicas 3 <-> 4 (a new node list: every pod restarts with it)
#   limits     tinode:maxMessageKb 4096 <-> 8192
# Every ROLLS_KILL_EVERY-th roll also kills the leader's server (kill -9) while another pod is down.
# During each roll, clients on every pod chat (e2e/real/mesh.ts mesh); after it, every pod must
# deliver to every pod (mesh.ts matrix): a pair that still fails HEAL_WAIT_S later (time for the
# stack's self-healer, builders/healer.ts, to restart a pod whose topic refuses every message) is a
# stuck roll.
# The stack's delivery canary runs throughout (a round every 5 s): each roll also reports the longest
# time one pair of pods failed in its rounds, against TinodeDeliveryBroken's for: (a roll that went
# past it would have paged). One PASS/FAIL line per roll with its figures, then a summary and
# "N passed, M failed".
# ROLLS (default 20), ROLLS_KILL_EVERY (default 4: 5 kills in 20 rolls), BENCH_TIMEOUT (default 3000 s),
# HEAL_WAIT_S (default 240), ROLLS_RATE (messages a second on the chat's topic, default 6).
set -euo pipefail
source "$(dirname "$0")/../e2e/real/session.sh"
ROLLS=${ROLLS:-20}
# Messages a second on the mesh's one group topic, all senders together.
RATE=${ROLLS_RATE:-6}
KILL_EVERY=${ROLLS_KILL_EVERY:-4}
real_session tinode-real-rolls
harness_init "$ROLLS" "$WORK/logs"
watchdog_start "${BENCH_TIMEOUT:-3000}"
source "$REAL_DIR/steps.sh"

PODS_FILE="$WORK/pods.json"
FIGURES="$WORK/rolls.jsonl"
: >"$FIGURES"

# The pods' current addresses for the clients, kept current while pods restart. The loop below and
# the roll both write it: each through a file of its own, so a client never reads a half-written one.
# Only Ready pods, as a Service or an Ingress routes: a client of a pod that restarts waits until it
# is Ready again (connected, it stays). A client that reached a new pod before it was Ready would
# have that pod load its topics from the database while the cluster still routes them to another
# node, which gives them a stale sequence id (docs/upstream-stale-topic-seq.md) - seen in every
# roll where the self-healer restarted a pod for it, when this list held pods that were not Ready.
pods_file_once() {
  local tmp="$PODS_FILE.$BASHPID.new"
  server_pods | jq -c '[.items[] | select(.status.podIP != null and .metadata.deletionTimestamp == null
      and ([.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length) > 0)
    | {key: .metadata.name, value: "ws://\(.status.podIP):6060"}] | from_entries' >"$tmp" && mv "$tmp" "$PODS_FILE"
}
# Ends by itself with this script.
pods_file_loop() { while kill -0 $$ 2>/dev/null; do pods_file_once 2>/dev/null || true; sleep 0.5; done; }

# A pod that is being replaced: terminating, or not Ready.
pod_down() {
  server_pods | jq -e '[.items[] | select(.metadata.deletionTimestamp != null
    or ([.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length) == 0)] | length > 0' >/dev/null
}
# kill_leader_mid_roll OUT: once a pod is down, kills the leader's server; writes
# "<pod> <pod uid> <pid>" to OUT, or "- <why not>".
kill_leader_mid_roll() {
  local end=$(( $(date +%s) + 120 )) leader uid pid
  until pod_down 2>/dev/null; do [ "$(date +%s)" -lt "$end" ] || { echo "- no pod went down" >"$1"; return; }; sleep 0.2; done
  sleep 1
  leader=$(leader_pod) || { echo "- no leader found" >"$1"; return; }
  uid=$(k get pod "$leader" -o jsonpath='{.metadata.uid}')
  pid=$(kill_server "$leader") || { echo "- kill failed: $pid" >"$1"; return; }
  echo "$leader $uid $pid" >"$1"
}

# canary_streak SECONDS: the longest time (s) one pair failed in the canary's rounds of the last
# SECONDS: from its first failing round to the round that delivered again (or the last round, plus
# one interval). The rounds are its log lines ("<ISO time> round N: ...; failed: a->b c->d").
canary_streak() {
  k logs deploy/tinode-canary --since="${1}s" 2>/dev/null | awk -v interval="$CANARY_INTERVAL_S" '
    function t(iso,   d) { d = iso; gsub(/[-T:Z]/, " ", d); split(d, p, " "); return mktime(p[1] " " p[2] " " p[3] " " p[4] " " p[5] " " int(p[6])) + (p[6] - int(p[6])) }
    / round [0-9]+: / {
      now = t($1); delete failing
      if (index($0, "; failed: ")) { n = split(substr($0, index($0, "; failed: ") + 10), f, " "); for (j = 1; j <= n; j++) failing[f[j]] = 1 }
      for (pair in start) if (!(pair in failing)) { if (now - start[pair] > best) best = now - start[pair]; delete start[pair] }
      for (pair in failing) if (!(pair in start)) start[pair] = now
      last = now
    }
    END { for (pair in start) if (last - start[pair] + interval > best) best = last - start[pair] + interval; printf "%d\n", best + 0.5 }'
}
CANARY_INTERVAL_S=5

# roll_change I: makes the stack change of roll I; sets WHAT (and REPLICAS for a scale change).
# Not in $(...): REPLICAS must change in this shell.
REPLICAS=3
roll_change() {
  local i=$1 flip=$(( (($1 - 1) / 5) % 2 )) v
  case $(( i % 5 )) in
    1) v=$([ $flip = 0 ] && echo 120 || echo 100); P $STACK config set tinode:heartbeatMs "$v" && WHAT="config heartbeatMs=$v" ;;
    2) v=$([ $flip = 0 ] && echo "$IMAGE_TINODE_NEXT" || echo "$IMAGE_TINODE"); P $STACK config set tinode:image "$v" && WHAT="image ${v##*:}" ;;
    3) v=$([ $flip = 0 ] && echo 640Mi || echo 512Mi); P $STACK config set --path tinode:resources.tinode.limits.memory "$v" && WHAT="resources memory=$v" ;;
    4) REPLICAS=$([ "$REPLICAS" = 3 ] && echo 4 || echo 3); P $STACK config set tinode:replicas "$REPLICAS" && WHAT="scale replicas=$REPLICAS" ;;
    0) v=$([ $flip = 0 ] && echo 8192 || echo 4096); P $STACK config set tinode:maxMessageKb "$v" && WHAT="limits maxMessageKb=$v" ;;
  esac
}
# Tinode container restarts of the pods now running (each roll replaces every pod, so these
# happened during the roll), less the killed leader's if its pod was not replaced after the kill.
crash_restarts() { # KILLED_POD_UID
  server_pods | jq --arg killed "$1" '[.items[] | (.status.containerStatuses[]? | select(.name == "tinode") | .restartCount)
    - (if .metadata.uid == $killed then 1 else 0 end)] | add // 0'
}

roll() {
  local i=$ROLL what before kill_out="" kill_job="" killed="" t0 t_up mesh_pods result m
  before=$REPLICAS
  roll_change "$i" >/dev/null || { fail "config set failed"; return 1; }
  what=$WHAT
  # The clients chat on the pods that exist before and after the roll.
  mesh_pods=$(seq 0 $(( (before < REPLICAS ? before : REPLICAS) - 1 )) | sed 's/^/tinode-/' | paste -sd,)
  pods_file_once
  rm -f "$WORK/mesh.stop"
  sdk mesh --state "$STATE" --api-key "$KEY" --pods-file "$PODS_FILE" --pods "$mesh_pods" --rate "$RATE" \
    --stop-file "$WORK/mesh.stop" >"$WORK/mesh.json" 2>>"$H_LOGS/mesh.err" &
  SDK_JOB=$!
  sleep 3
  if [ $(( i % KILL_EVERY )) = $(( KILL_EVERY / 2 )) ]; then
    kill_out="$WORK/kill-$i.txt"
    kill_leader_mid_roll "$kill_out" &
    kill_job=$!
  fi
  t0=$(date +%s%3N)
  if ! P $STACK up --yes --skip-preview >"$WORK/logs/roll-$i.log" 2>&1; then
    mesh_end; pods_logs "$i"
    fail "$what: pulumi up failed: $(grep -m2 -iE 'error' "$WORK/logs/roll-$i.log" | paste -sd ' ')"
    return 1
  fi
  t_up=$(( $(date +%s%3N) - t0 ))
  wait_until 120 cluster_formed "$REPLICAS" || { mesh_end; pods_logs "$i"; fail "$what: the cluster did not form"; return 1; }
  if [ -n "$kill_job" ]; then
    wait "$kill_job"
    killed=$(cat "$kill_out")
  fi
  mesh_end || { pods_logs "$i"; fail "$what: the mesh client failed: $(tail -n 2 "$H_LOGS/mesh.err" | paste -sd ' ')"; return 1; }
  result=$(cat "$WORK/mesh.json")
  local streak; streak=$(canary_streak $(( ($(date +%s%3N) - t0) / 1000 + 5 )))
  m=$(matrix_once)
  # A topic left refusing every message (stale sequence id, docs/upstream-stale-topic-seq.md) is
  # the self-healer's to fix, with no operator: give it HEAL_WAIT_S, then the roll counts as stuck.
  local healed="" t_heal t_healed=0
  if [ "$(jq -r '.failed | length' <<<"$m")" != 0 ]; then
    t_heal=$(date +%s)
    while [ "$(jq -r '.failed | length' <<<"$m")" != 0 ] && [ $(( $(date +%s) - t_heal )) -lt "$HEAL_WAIT_S" ]; do
      sleep 10
      wait_until 60 cluster_formed "$REPLICAS" || true
      m=$(matrix_once)
    done
    t_healed=$(( $(date +%s) - t_heal ))
  fi
  healed=$(k logs deploy/tinode-healer --since="$(( ($(date +%s%3N) - t0) / 1000 + 5 ))s" 2>/dev/null | grep -m1 ' restarted ' | cut -d' ' -f2- || true)
  jq -cn --argjson i "$i" --arg what "$what" --arg killed "${killed%% *}" --argjson up "$t_up" --argjson mesh "$result" \
    --argjson matrix "$m" --argjson crashes "$(crash_restarts "$(cut -d' ' -f2 <<<"$killed")")" --argjson streak "${streak:-0}" \
    --arg healed "$healed" --argjson healedS "$t_healed" \
    '{roll: $i, what: $what, leaderKilled: $killed, upMs: $up, mesh: $mesh, matrix: $matrix, crashRestarts: $crashes, canaryStreakS: $streak,
      selfHealed: $healed, healedAfterS: $healedS}' >>"$FIGURES"
  jq -r '"\(.what)\(if .leaderKilled != "" then ", leader \(.leaderKilled) killed mid-roll" else "" end): up \(.upMs / 100 | floor / 10) s; "
    + "\(.mesh.sent) sent from \(.mesh.pods) pods, \(.mesh.failedAttempts) failed attempts, longest send outage \(.mesh.longestOutageMs / 100 | floor / 10) s"
    + "\(if (.mesh.gaveUp | length) > 0 then " (\(.mesh.gaveUp | length) given up: \(.mesh.gaveUp[0]))" else "" end), \(.mesh.lost) lost, "
    + "\(.mesh.deliveredLive)/\(.mesh.deliveries) delivered live; every pod to every pod \(.matrix.delivered)/\(.matrix.pairs); "
    + "\(.crashRestarts) crash restarts; canary: longest failing pair \(.canaryStreakS) s (alert after '"$ALERT_FOR_S"' s)"
    + "\(if .selfHealed != "" then "; self-healer: \(.selfHealed), every pair delivered again \(.healedAfterS) s after the first check" else "" end)"' <<<"$(tail -n 1 "$FIGURES")"
  # An outage that ended before the matrix is a figure, not a failure; its pods' logs are kept.
  [ "$(jq '.gaveUp | length' <<<"$result")" = 0 ] || pods_logs "$i"
  [ "$(jq -r .lost <<<"$result")" = 0 ] || { pods_logs "$i"; fail "acknowledged messages lost"; return 1; }
  if [ "$(jq -r '.failed | length' <<<"$m")" != 0 ]; then
    pods_logs "$i"
    # Which failure: a topic the self-healer saw go stale (the upstream bug of
    # docs/upstream-stale-topic-seq.md) or pairs that do not deliver for another reason (a split).
    local stale
    stale=$(k logs deploy/tinode-healer --since="$(( ($(date +%s%3N) - t0) / 1000 + 5 ))s" 2>/dev/null | grep -c ' restarted ' || true)
    if grep -qh "failed to save message: .*Duplicate entry" "$H_LOGS"/roll-"$i"-*.log 2>/dev/null; then
      fail "stuck: a topic with a stale sequence id (docs/upstream-stale-topic-seq.md) through $stale self-healer restart(s) in ${HEAL_WAIT_S}s; pairs that do not deliver: $(jq -r '.failed | join(" ")' <<<"$m")"
    else
      fail "stuck: pairs that do not deliver: $(jq -r '.failed | join(" ")' <<<"$m")"
    fi
    return 1
  fi
}
# matrix_once: every pod to every pod, once (mesh.ts matrix), as JSON.
matrix_once() {
  pods_file_once
  sdk matrix --state "$STATE" --api-key "$KEY" --pods-file "$PODS_FILE" 2>>"$H_LOGS/matrix.err" \
    || echo '{"pairs":0,"delivered":0,"failed":["matrix client failed"]}'
}
# How long a roll's failing pairs get to heal by themselves: the healer's window and cooldown
# (builders/healer.ts HEAL_TIMING), a restart and the settle probe.
HEAL_WAIT_S=${HEAL_WAIT_S:-240}

# pods_logs I: what every Tinode pod logged (and the previous container, if any), after roll I.
pods_logs() {
  local p
  for p in $(server_pods | jq -r '.items[].metadata.name'); do
    k logs "$p" -c tinode --timestamps >"$H_LOGS/roll-$1-$p.log" 2>&1
    k logs "$p" -c tinode --timestamps --previous >"$H_LOGS/roll-$1-$p.previous.log" 2>/dev/null || rm -f "$H_LOGS/roll-$1-$p.previous.log"
  done
}
mesh_end() {
  touch "$WORK/mesh.stop"
  local status=0
  wait "$SDK_JOB" || status=$?
  SDK_JOB=""
  return "$status"
}

# shellcheck disable=SC2046
new_stack $STACK $(real_stack_config) || { echo "FAIL: stack init"; exit 1; }
P $STACK up --yes --skip-preview >"$WORK/logs/up.log" 2>&1 || { echo "FAIL: first pulumi up: $(grep -m2 -iE 'error' "$WORK/logs/up.log")"; exit 1; }
wait_until 120 cluster_formed 3 || { echo "FAIL: cluster not formed"; exit 1; }
KEY=$(api_key)
pods_file_once
sdk setup --url "$(svc_url)" --api-key "$KEY" --out "$STATE" >/dev/null 2>>"$H_LOGS/setup.err" || { echo "FAIL: SDK setup"; exit 1; }
pods_file_loop &
PODS_LOOP=$!
# TinodeDeliveryBroken's for: for this stack's settings (the rolls' slowest heartbeat, 120 ms).
ALERT_FOR_S=$(npx ts-node --transpile-only scripts/render-monitoring.ts --out "$WORK/monitoring" monitoringCanary=true \
  "monitoringCanaryIntervalSeconds=$CANARY_INTERVAL_S" heartbeatMs=120 >/dev/null && jq -r .timings.deliveryBroken "$WORK/monitoring/monitoring.json")
for ROLL in $(seq 1 "$ROLLS"); do
  run_step "roll $ROLL" roll
done
jq -rs '"rolls: \(length) at '"$RATE"' messages a second on the chat'"'"'s topic (\([.[] | select(.leaderKilled != "")] | length) with the leader killed mid-roll): "
  + "\([.[] | select((.matrix.failed | length) > 0)] | length) stuck, \([.[].mesh.lost] | add) acknowledged messages lost, "
  + "\([.[].crashRestarts] | add) crash restarts, \([.[].mesh.gaveUp | length] | add) messages given up after 60 attempts; "
  + "longest send outage \([.[].mesh.longestOutageMs] | max / 1000) s; pulumi up per roll \([.[].upMs] | min / 1000)-\([.[].upMs] | max / 1000) s "
  + "(median \([.[].upMs] | sort | .[length / 2 | floor] / 1000) s); failed sends per roll \([.[].mesh.failedAttempts] | min)-\([.[].mesh.failedAttempts] | max); "
  + "canary: longest failing pair per roll \([.[].canaryStreakS] | min)-\([.[].canaryStreakS] | max) s, "
  + "\([.[] | select(.canaryStreakS >= '"$ALERT_FOR_S"')] | length) rolls as long as TinodeDeliveryBroken'"'"'s for: ('"$ALERT_FOR_S"' s); "
  + "\([.[] | select(.selfHealed != "")] | length) rolls healed by the self-healer (a topic with a stale sequence id)"' "$FIGURES"
cp "$FIGURES" "$H_LOGS/"
# Before the session removes the work folder the loop writes into.
kill "$PODS_LOOP" 2>/dev/null || true
harness_summary
