#!/usr/bin/env bash
# Sourced by e2e/run.sh and e2e/bench.sh: skips when the tools are missing, else prepares a private
# work folder, the Pulumi CLI on a file backend, a copy of the project, and a local control plane
# that is torn down on exit. Sets ROOT, E2E_DIR, WORK, PROJECT, CLUSTER, KUBECONFIG.
# Usage: e2e_session NAME
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/.." && pwd)"
source "$E2E_DIR/tools/lib.sh"
source "$E2E_DIR/k8s/cluster.sh"
source "$E2E_DIR/pulumi.sh"

e2e_session() {
  cd "$ROOT"
  local missing
  missing=$(tools_missing pulumi pulumi-kubernetes pulumi-random etcd kubernetes kwok)
  if [ -n "$missing" ]; then
    echo "SKIPPED: e2e tools not built: $(echo $missing) (npm run e2e:tools)"
    exit 0
  fi
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  mkdir -p "$WORK/logs"
  CLUSTER="$1-$$"
  PROJECT="$WORK/project"
  pulumi_env "$WORK"
  trap 'cluster_down "$CLUSTER"; if [ "${KEEP_E2E_WORK:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi' EXIT
  [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
  project_copy "$ROOT" "$PROJECT"
  local start
  start=$(date +%s)
  echo "starting a local control plane (kwokctl, 3 nodes, Kubernetes $KUBERNETES_VERSION)"
  cluster_up "$CLUSTER"
  echo "control plane ready in $(( $(date +%s) - start ))s"
}
