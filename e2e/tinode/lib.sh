#!/usr/bin/env bash
# Shared by the Tinode e2e scripts: where the tools and the database root live.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/../.." && pwd)"
# shellcheck source=../tools/lib.sh
source "$REPO_DIR/e2e/tools/lib.sh"

# The database: Debian trixie's MariaDB (11.8) in a chroot next to the other tools.
DB_SUITE=trixie
DB_ROOT="$TOOLS_CACHE/mariadb-$DB_SUITE"
DB_READY="$DB_ROOT/.tinode-e2e-ready"
TINODE_BIN="$(tool_dir tinode "$TINODE_VERSION")/bin"

# require_root_and NAME TOTAL COMMAND...: these harnesses make network namespaces and chroots; without
# root or one of the commands the run fails at once, counting all TOTAL steps as failed.
require_root_and() {
  local name=$1 total=$2 cmd
  shift 2
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL: the $name needs root (network namespaces, chroot)"; echo "0 passed, $total failed"; exit 1
  fi
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || { echo "FAIL: '$cmd' not found"; echo "0 passed, $total failed"; exit 1; }
  done
}
