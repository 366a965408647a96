#!/usr/bin/env bash
# Shared by the Tinode e2e scripts: where the tools and the database root live.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/../.." && pwd)"
# shellcheck source=../tools/lib.sh
source "$REPO_DIR/e2e/tools/lib.sh"
# The step runner, the closing line, the watchdog and the prerequisite check of every harness.
# shellcheck source=../lib/harness.sh
source "$REPO_DIR/e2e/lib/harness.sh"

# The database: Debian trixie's MariaDB (11.8) in a chroot next to the other tools.
DB_SUITE=trixie
DB_ROOT="$TOOLS_CACHE/mariadb-$DB_SUITE"
DB_READY="$DB_ROOT/.tinode-e2e-ready"
TINODE_BIN="$(tool_dir tinode "$TINODE_VERSION")/bin"
