#!/usr/bin/env bash
# npm run bench:real — on the real cluster of npm run e2e:real (same tools and images):
#   1. kubectl apply of the rendered manifests, until the official SDK exchanges a message through
#      the Service (namespace first, then everything; no ordering beyond what kubectl does);
#   2. pulumi up of the same configuration from empty, until the same point;
#   3. a config change that rolls every Tinode pod (tinode:heartbeatMs) during a steady SDK chat:
#      how long the roll takes and how many sends failed or were resent.
# Steps 1 and 2 run BENCH_RUNS times (default 3) from empty volumes; prints each run's figures,
# pulumi up's longest steps (its event log), and the medians and the median ratio pulumi / kubectl
# (goal <= 1.0). Bounded by BENCH_TIMEOUT seconds (default 1800); cleans up after itself.
set -euo pipefail
source "$(dirname "$0")/../e2e/real/session.sh"
real_session tinode-real-bench
harness_init 0 "$WORK/logs"
watchdog_start "${BENCH_TIMEOUT:-1800}"
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

# pv_recycle: the local volumes the deleted namespace's claims had (Retain) emptied and Available
# again, so that every run starts from empty volumes as the first did.
pv_recycle() {
  local pv path
  for pv in $(kc get pv -o json | jq -r '.items[] | select(.status.phase == "Released") | .metadata.name'); do
    path=$(kc get pv "$pv" -o jsonpath='{.spec.local.path}')
    find "$path" -mindepth 1 -delete
    kc patch pv "$pv" --type json -p '[{"op": "remove", "path": "/spec/claimRef"}]' >/dev/null
  done
}
# ns_reset: the namespace and everything in it deleted (pulumi destroy keeps the data: keptOnDestroy).
ns_reset() {
  kc delete ns "$NS" --wait=true --timeout=300s >/dev/null 2>&1 || true
  wait_until 300 ns_gone && pv_recycle
}
# up_breakdown EVENTS: where pulumi up spent its time: each resource's step from its start to its
# outputs (the engine events pulumi up --json streams, whole seconds), longest first.
up_breakdown() {
  jq -rs '(map(.timestamp) | min) as $t0
    | [.[] | select(.resourcePreEvent or .resOutputsEvent)
       | {urn: (.resourcePreEvent // .resOutputsEvent).metadata.urn, t: (.timestamp - $t0), pre: (.resourcePreEvent != null)}]
    | group_by(.urn) | map({name: (.[0].urn | split("::") | last), type: (.[0].urn | split("::")[2] | split("$") | last),
        from: (map(select(.pre)) | .[0].t), to: (map(select(.pre | not)) | .[0].t)})
    | map(select(.from != null and .to != null)) | sort_by(-(.to - .from)) | .[:6]
    | map("\(.type) \(.name) \(.from)-\(.to) s") | join("; ")' "$1"
}

RUNS=${BENCH_RUNS:-3}
# The manifests kubectl applies: the same configuration, rendered by the program.
# shellcheck disable=SC2046
new_stack render $(real_stack_config) "renderYamlTo=$WORK/rendered" >/dev/null
P render up --yes --skip-preview >"$WORK/logs/render.log" 2>&1 || { echo "render failed"; exit 1; }
render_key=$(P render stack output apiKey --show-secrets)
kubectl_s=() pulumi_s=() ratios=()
for run in $(seq 1 "$RUNS"); do
  # --- 1. kubectl apply of the rendered manifests
  t0=$(now)
  kc apply -f "$(grep -l '^kind: Namespace' -r "$WORK/rendered")" >/dev/null
  kc apply -R -f "$WORK/rendered" >"$WORK/logs/kubectl-apply.log" 2>&1 || { echo "kubectl apply failed: $(tail -n 3 "$WORK/logs/kubectl-apply.log")"; exit 1; }
  until_chat "$render_key"
  t_kubectl=$(secs "$t0" "$(now)")
  ns_reset

  # --- 2. pulumi up from empty (the last run's stack stays up for the roll below)
  # shellcheck disable=SC2046
  new_stack $STACK $(real_stack_config) >/dev/null
  t0=$(now)
  P $STACK up --yes --skip-preview --json >"$WORK/logs/up-$run.events" 2>"$WORK/logs/up.log" || { echo "pulumi up failed: $(tail -n 3 "$WORK/logs/up.log" | paste -sd ' ')"; exit 1; }
  t_up=$(secs "$t0" "$(now)")
  until_chat "$(api_key)"
  t_pulumi=$(secs "$t0" "$(now)")
  ratio=$(printf '%.2f' "$(echo "$t_pulumi / $t_kubectl" | bc -l)")
  kubectl_s+=("$t_kubectl") pulumi_s+=("$t_pulumi") ratios+=("$ratio")
  echo "run $run: kubectl apply + wait until the SDK chats ${t_kubectl} s; pulumi up + the same wait ${t_pulumi} s (pulumi up itself ${t_up} s): ratio $ratio"
  echo "  longest steps of pulumi up: $(up_breakdown "$WORK/logs/up-$run.events")"
  if [ "$run" -lt "$RUNS" ]; then
    P $STACK destroy --yes --skip-preview >"$WORK/logs/destroy.log" 2>&1 || { echo "pulumi destroy failed"; exit 1; }
    P $STACK stack rm --yes >/dev/null 2>&1
    ns_reset
  fi
done
median_of() { printf '%s\n' "$@" | median; }
echo "median of $RUNS runs: kubectl $(median_of "${kubectl_s[@]}") s, pulumi $(median_of "${pulumi_s[@]}") s; ratio pulumi / kubectl median $(median_of "${ratios[@]}") (runs: ${ratios[*]}; goal <= 1.0)"

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

