#!/usr/bin/env bash
# npm run bench:real — on the real cluster of npm run e2e:real (same tools and images):
#   1. kubectl apply of the rendered manifests, until the official SDK exchanges a message through
#      the Service (namespace first, then everything; no ordering beyond what kubectl does);
#   2. pulumi up of the same configuration from empty, until the same point;
#   3. a config change that rolls every Tinode pod (tinode:heartbeatMs) during a steady SDK chat:
#      how long the roll takes and how many sends failed or were resent.
# Prints the figures and the ratio pulumi / kubectl (goal <= 1.3). Bounded by BENCH_TIMEOUT
# seconds (default 1200); cleans up after itself.
set -euo pipefail
source "$(dirname "$0")/../e2e/real/session.sh"
real_session tinode-real-bench
harness_init 0 "$WORK/logs"
watchdog_start "${BENCH_TIMEOUT:-1200}"
source "$REAL_DIR/steps.sh"

now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }
# Until the SDK, on a fresh pair of accounts, exchanges messages through the Service.
until_chat() {
  local end=$(( $(date +%s) + 600 )) svc key
  key=$1
  until svc=$(svc_url 2>/dev/null) && sdk setup --url "$svc" --api-key "$key" --out "$STATE" >/dev/null 2>>"$H_LOGS/bench-sdk.err" \
        && sdk exchange --state "$STATE" --api-key "$key" --endpoints "[{\"name\":\"service\",\"url\":\"$svc\"}]" >/dev/null 2>>"$H_LOGS/bench-sdk.err"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "no chat within 600 s" >&2; return 1; }
    sleep 1
  done
}
ns_gone() { ! kc get ns "$NS" >/dev/null 2>&1; }

# --- 1. kubectl apply of the rendered manifests (same configuration, rendered by the program)
# shellcheck disable=SC2046
new_stack render $(real_stack_config) "renderYamlTo=$WORK/rendered" >/dev/null
P render up --yes --skip-preview >"$WORK/logs/render.log" 2>&1 || { echo "render failed"; exit 1; }
render_key=$(P render stack output apiKey --show-secrets)
t0=$(now)
kc apply -f "$(grep -l '^kind: Namespace' -r "$WORK/rendered")" >/dev/null
kc apply -R -f "$WORK/rendered" >"$WORK/logs/kubectl-apply.log" 2>&1 || { echo "kubectl apply failed: $(tail -n 3 "$WORK/logs/kubectl-apply.log")"; exit 1; }
until_chat "$render_key"
t_kubectl=$(secs "$t0" "$(now)")
echo "kubectl apply + wait until the SDK chats: ${t_kubectl} s"
kc delete ns "$NS" --wait=true --timeout=300s >/dev/null
wait_until 300 ns_gone

# --- 2. pulumi up from empty
# shellcheck disable=SC2046
new_stack $STACK $(real_stack_config) >/dev/null
t0=$(now)
P $STACK up --yes --skip-preview >"$WORK/logs/up.log" 2>&1 || { echo "pulumi up failed"; exit 1; }
t_up=$(secs "$t0" "$(now)")
until_chat "$(api_key)"
t_pulumi=$(secs "$t0" "$(now)")
echo "pulumi up + wait until the SDK chats: ${t_pulumi} s (pulumi up itself ${t_up} s)"

# --- 3. a config change that rolls every pod, during a steady chat
steady_start "$(svc_url)" "$(svc_url)"
P $STACK config set tinode:heartbeatMs 120
t0=$(now)
P $STACK up --yes --skip-preview >"$WORK/logs/roll.log" 2>&1 || { echo "pulumi up (roll) failed"; exit 1; }
wait_until 120 cluster_formed 3
t_roll=$(secs "$t0" "$(now)")
sleep 2
steady_stop
roll=$STEADY
echo "config change rolled all 3 pods in ${t_roll} s; steady chat: $(jq -r '"\(.sent) sent, \(.failedAttempts) failed attempts, \(.resends) resent, \(.lost) lost"' <<<"$roll")"

printf 'ratio pulumi / kubectl: %.2f (goal <= 1.3)\n' "$(echo "$t_pulumi / $t_kubectl" | bc -l)"
