#!/usr/bin/env bash
# npm run check:rules — the alert rules the program generates for a default stack (with the delivery
# canary on, so its alerts are checked too; it adds rules and changes none), checked by
# Prometheus' own promtool: `check rules` (syntax, PromQL, templates) and `test rules`
# (monitoring/alerts.test.yml: series that make every alert fire and resolve).
# Prints SKIPPED and exits 0 when promtool is not built (npm run e2e:tools).
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../e2e/tools/lib.sh
source "$REPO_DIR/e2e/tools/lib.sh"
if ! tool_present prometheus "$PROMETHEUS_VERSION" promtool; then
  echo "SKIPPED: promtool not built (npm run e2e:tools prometheus)"
  exit 0
fi
PROMTOOL="$(tool_dir prometheus "$PROMETHEUS_VERSION")/bin/promtool"
work=$(mktemp -d "${TMPDIR:-/tmp}/tinode-rules.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$REPO_DIR"
npx ts-node --transpile-only scripts/render-monitoring.ts --out "$work" monitoringCanary=true >/dev/null
cp monitoring/alerts.test.yml "$work/"
passed=0 failed=0
if "$PROMTOOL" check rules "$work/rules.yml"; then
  echo "PASS promtool check rules: $(jq '[.groups[].rules[]] | length' "$work/rules.yml") rules"; passed=$((passed + 1))
else
  echo "FAIL promtool check rules"; failed=$((failed + 1))
fi
if (cd "$work" && "$PROMTOOL" test rules alerts.test.yml); then
  echo "PASS promtool test rules: $(grep -c '^  - name:' monitoring/alerts.test.yml) scenarios, every alert firing and resolving"; passed=$((passed + 1))
else
  echo "FAIL promtool test rules"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
