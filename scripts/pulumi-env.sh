#!/usr/bin/env bash
# Sourced by the scripts that run the Pulumi CLI: puts the tools built by `npm run e2e:tools`
# on PATH and sets up a local file backend, so no account and no download is needed.
# shellcheck source=../e2e/tools/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/e2e/tools/lib.sh"
PROJECT_DIR="$(cd "$TOOLS_DIR/../.." && pwd)"
export PATH="$(tools_path)$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$TOOLS_CACHE/pulumi-home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
STATE_DIR="${TINODE_STATE_DIR:-$PROJECT_DIR/.pulumi-state}"
mkdir -p "$STATE_DIR"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$STATE_DIR}"
# Secrets in state are encrypted with a passphrase. Without one from the caller, a random one is
# made once and kept (mode 600) next to the state it protects.
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -s "$STATE_DIR/passphrase" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 > "$STATE_DIR/passphrase")
    echo "[pulumi] generated a state passphrase in $STATE_DIR/passphrase (keep it with the state)" >&2
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$STATE_DIR/passphrase"
fi
