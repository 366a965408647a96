#!/usr/bin/env bash
# npm run lint:manifests — kube-score on the rendered manifests of the dev and prod stacks.
# Every kube-score check runs except those listed in lint/kube-score-ignore.txt, each with its
# reason. Needs kube-score from the tools cache (npm run e2e:tools kube-score); skips otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/tools/lib.sh
if [ -n "$(tools_missing kube-score)" ]; then
  echo "SKIPPED: kube-score not built (npm run e2e:tools kube-score)"
  exit 0
fi
KUBE_SCORE="$(tool_dir kube-score "$KUBE_SCORE_VERSION")/bin/kube-score"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ignores=()
while read -r kind value _; do
  case "$kind" in
    test) ignores+=(--ignore-test "$value") ;;
    flag) ignores+=("$value") ;;
    "") ;;
    *) echo "lint/kube-score-ignore.txt: unknown entry '$kind'" >&2; exit 2 ;;
  esac
done < <(sed -e 's/#.*//' lint/kube-score-ignore.txt)
status=0
for stack in dev prod; do
  npx ts-node --transpile-only scripts/render-manifests.ts "$stack" "$out/$stack.yaml"
  echo "== kube-score: $stack"
  if "$KUBE_SCORE" score "${ignores[@]}" --output-format ci "$out/$stack.yaml" > "$out/$stack.txt"; then :; else status=1; fi
  grep -vE '^\[(OK|SKIPPED)\]' "$out/$stack.txt" || true
  echo "$stack: $(grep -c '^\[OK\]' "$out/$stack.txt") OK, $(grep -cE '^\[(WARNING|CRITICAL)\]' "$out/$stack.txt") findings, $(grep -c '^\[SKIPPED\]' "$out/$stack.txt") skipped (optional checks, or justified in lint/kube-score-ignore.txt)"
done
exit $status
