#!/usr/bin/env bash
# npm run lint:workflows — checks .github/workflows with actionlint from the tools cache
# (`npm run e2e:tools` builds it). Without it: says so and succeeds, so a fresh checkout is not blocked.
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint=""
if [ -f e2e/tools/lib.sh ]; then
  # shellcheck source=e2e/tools/lib.sh disable=SC1091
  source e2e/tools/lib.sh
  actionlint="$(tool_dir actionlint "$ACTIONLINT_VERSION")/bin/actionlint"
fi
if [ -z "$actionlint" ] || [ ! -x "$actionlint" ]; then
  echo "SKIPPED: actionlint not built (npm run e2e:tools)"
  exit 0
fi
echo "actionlint $("$actionlint" -version | head -n 1): .github/workflows"
"$actionlint" -no-color "$@"
echo "workflows OK"
