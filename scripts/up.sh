#!/usr/bin/env bash
# npm run up [-- STACK] — the main job: `pulumi up` on a stack (default: dev, which renders the
# manifests to rendered/dev without needing a cluster). The CLI and backend are chosen by
# scripts/pulumi-env.sh (your pulumi, else the tools cache); only when neither is there are the CLI
# and providers built from Go modules (a one-time, long build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pulumi-env.sh
STACK="${1:-dev}"
if [ "$PULUMI_CLI" = build ]; then
  missing=$(tools_missing pulumi pulumi-kubernetes pulumi-random)
  # tools_missing prints a name a line: one line of names here.
  echo "[up] building missing tools once: ${missing//$'\n'/ } (see npm run e2e:tools)"
  # shellcheck disable=SC2086 # a list of tool names
  bash e2e/tools/build.sh $missing
  pulumi_use_cached_plugins
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
pulumi stack select "$STACK" 2>/dev/null || pulumi stack init "$STACK"
pulumi up --yes --stack "$STACK" --skip-preview=false
pulumi stack output --stack "$STACK"
