#!/usr/bin/env bash
# npm run up [-- STACK] — the main job: `pulumi up` on a stack (default: dev, which renders the
# manifests to rendered/dev without needing a cluster). Builds the Pulumi CLI and providers from
# Go modules first if they are not in the tools cache yet (a one-time, long build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pulumi-env.sh
STACK="${1:-dev}"
missing=$(tools_missing pulumi pulumi-kubernetes pulumi-random)
if [ -n "$missing" ]; then
  echo "[up] building missing tools once: $missing (see npm run e2e:tools)"
  bash e2e/tools/build.sh $missing
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
pulumi stack select "$STACK" 2>/dev/null || pulumi stack init "$STACK"
pulumi up --yes --stack "$STACK" --skip-preview=false
pulumi stack output --stack "$STACK"
