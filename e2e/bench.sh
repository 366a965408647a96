#!/usr/bin/env bash
# npm run bench:e2e — on one local control plane (kwok nodes): wall time of `pulumi up` from empty
# to all-ready, against `kubectl apply` of the same stack's rendered manifests plus waiting for the
# same readiness; and of a no-change `pulumi preview`. Medians of BENCH_RUNS runs (default 3),
# interleaved so machine noise hits both alike.
set -euo pipefail
source "$(dirname "$0")/session.sh"
# shellcheck source=lib/harness.sh
source "$(dirname "$0")/lib/harness.sh"
RUNS=${BENCH_RUNS:-3}
NS=tinode-bench
e2e_session tinode-bench

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN {printf "%.2f\n", a - b}'; }
gone() { local i; for i in $(seq 1 120); do kubectl get ns "$NS" >/dev/null 2>&1 || return 0; sleep 0.5; done; return 1; }
ready() {
  kubectl -n "$NS" rollout status sts/tinode-mysql --timeout=300s >/dev/null
  kubectl -n "$NS" wait --for=condition=complete job -l app.kubernetes.io/component=db-init --timeout=300s >/dev/null
  kubectl -n "$NS" rollout status sts/tinode --timeout=300s >/dev/null
}

# Destroyed and made again each run: nothing to keep.
new_stack bench namespace=$NS deleteDataOnDestroy=true
new_stack render namespace=$NS renderYamlTo="$WORK/rendered"
P render up --yes --skip-preview >"$WORK/logs/render.log" 2>&1
nsfile=$(grep -l '^kind: Namespace' -r "$WORK/rendered")

: >"$WORK/up.txt"; : >"$WORK/kubectl.txt"; : >"$WORK/preview.txt"
for i in $(seq 1 "$RUNS"); do
  t=$(now); P bench up --yes --skip-preview >"$WORK/logs/up-$i.log" 2>&1; ready; since "$t" >>"$WORK/up.txt"
  t=$(now); P bench preview --expect-no-changes >"$WORK/logs/preview-$i.log" 2>&1; since "$t" >>"$WORK/preview.txt"
  P bench destroy --yes --skip-preview >"$WORK/logs/destroy-$i.log" 2>&1; gone

  t=$(now)
  kubectl apply -f "$nsfile" >/dev/null
  kubectl apply -R -f "$WORK/rendered" >/dev/null
  ready
  since "$t" >>"$WORK/kubectl.txt"
  kubectl delete ns "$NS" --wait=false >/dev/null; gone
  echo "run $i: pulumi up $(tail -1 "$WORK/up.txt")s, kubectl $(tail -1 "$WORK/kubectl.txt")s, no-change preview $(tail -1 "$WORK/preview.txt")s"
done

up=$(median <"$WORK/up.txt"); kc=$(median <"$WORK/kubectl.txt"); pv=$(median <"$WORK/preview.txt")
printf 'medians of %d runs (3 replicas, Kubernetes %s via kwok):\n' "$RUNS" "$KUBERNETES_VERSION"
printf '  pulumi up, empty to all ready:        %6.1f s\n' "$up"
printf '  kubectl apply + wait, same manifests: %6.1f s\n' "$kc"
printf '  ratio pulumi/kubectl:                 %6.2f  (goal <= 1.5)\n' "$(awk -v a="$up" -v b="$kc" 'BEGIN {print a / b}')"
printf '  pulumi preview, no changes:           %6.1f s  (goal < 10)\n' "$pv"
