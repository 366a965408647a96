#!/usr/bin/env bash
# Sourced by `npm run up` (and by hand: `source scripts/pulumi-env.sh`): picks the Pulumi CLI and the
# backend, and says on stderr which and why.
#
# CLI, first that fits:
#   1. `pulumi` on PATH, when its major.minor is at least PULUMI_VERSION's (e2e/tools/versions.env; the
#      SDK in package.json needs a CLI that new). Plugins are fetched by that CLI as usual.
#   2. the tools cache (`npm run e2e:tools`), with its providers on PATH and plugin downloads off.
#   3. none: PULUMI_CLI=build, and scripts/up.sh builds the cache from Go modules (a long, one-time build).
# Backend: PULUMI_BACKEND_URL when set, else the user's `pulumi login` (the current backend in
# credentials.json), else a local file backend in .pulumi-state/ with a generated passphrase.
# Sets PULUMI_CLI (path|cache|build) and PULUMI_BACKEND_SOURCE (env|login|local) for the caller.
# TINODE_PULUMI_CLI=cache skips step 1: the e2e harness (e2e/pulumi.sh) runs the exact versions it
# was built and tested with.
# shellcheck source=../e2e/tools/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/e2e/tools/lib.sh"
PROJECT_DIR="$(cd "$TOOLS_DIR/../.." && pwd)"
export PULUMI_SKIP_UPDATE_CHECK=true

# version_at_least HAVE WANT -> 0 when HAVE's major.minor >= WANT's (both like 3.248.0, "v" allowed).
version_at_least() {
  local h=${1#v} w=${2#v}
  local hmaj=${h%%.*} wmaj=${w%%.*} hrest=${h#*.} wrest=${w#*.}
  local hmin=${hrest%%.*} wmin=${wrest%%.*}
  [[ "$hmaj" =~ ^[0-9]+$ && "$hmin" =~ ^[0-9]+$ ]] || return 1
  ((hmaj > wmaj || (hmaj == wmaj && hmin >= wmin)))
}

pulumi_say() { echo "[pulumi] $*" >&2; }

# pulumi_use_cached_plugins: installs the cache's providers as plugins of the Pulumi home in use
# (once; a copy of each binary) and stops the CLI from looking for plugins on PATH, where the cache
# also puts them: otherwise every run starts with "warning: using pulumi-resource-... from $PATH".
pulumi_use_cached_plugins() {
  local home="${PULUMI_HOME:-$HOME/.pulumi}" name version bin
  for name in kubernetes random; do
    version=$([ "$name" = kubernetes ] && echo "$PULUMI_KUBERNETES_VERSION" || echo "$PULUMI_RANDOM_VERSION")
    [ -d "$home/plugins/resource-$name-v$version" ] && [ ! -e "$home/plugins/resource-$name-v$version.partial" ] && continue
    bin="$(tool_dir "pulumi-$name" "$version")/bin/pulumi-resource-$name"
    [ -x "$bin" ] || return 0
    pulumi plugin install resource "$name" "$version" --file "$bin" >/dev/null 2>&1 \
      || { pulumi_say "could not install $bin as a plugin; the CLI finds it on PATH"; return 0; }
  done
  export PULUMI_IGNORE_AMBIENT_PLUGINS=true
}

_pulumi_login_home="${PULUMI_HOME:-$HOME/.pulumi}"
_pulumi_current=""
if [ -s "$_pulumi_login_home/credentials.json" ]; then
  _pulumi_current=$(node -e 'try { const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(c.current || ""); } catch {}' "$_pulumi_login_home/credentials.json" 2>/dev/null || true)
fi

_pulumi_on_path=""
[ "${TINODE_PULUMI_CLI:-}" = cache ] || _pulumi_on_path=$(command -v pulumi 2>/dev/null || true)
_pulumi_path_version=""
if [ -n "$_pulumi_on_path" ] && [[ "$_pulumi_on_path" != "$TOOLS_CACHE"/* ]]; then
  _pulumi_path_version=$(timeout 30 "$_pulumi_on_path" version 2>/dev/null | head -1 || true)
fi
_pulumi_want="${PULUMI_VERSION%.*}"
if [ -n "$_pulumi_path_version" ] && version_at_least "$_pulumi_path_version" "$PULUMI_VERSION"; then
  PULUMI_CLI=path
  pulumi_say "CLI: $_pulumi_on_path ($_pulumi_path_version, at least the $_pulumi_want the SDK needs); it fetches its plugins as usual"
elif [ -z "$(tools_missing pulumi pulumi-kubernetes pulumi-random)" ]; then
  PULUMI_CLI=cache
  export PATH="$(tools_path)$PATH"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
  # The cache's own plugin home, unless the user's login lives in the default one.
  [ -n "$_pulumi_current" ] || export PULUMI_HOME="${PULUMI_HOME:-$TOOLS_CACHE/pulumi-home}"
  pulumi_use_cached_plugins
  if [ -n "$_pulumi_on_path" ] && [ -n "$_pulumi_path_version" ]; then
    pulumi_say "CLI: the tools cache (pulumi $PULUMI_VERSION): $_pulumi_on_path is $_pulumi_path_version, older than the $_pulumi_want the SDK needs"
  else
    _pulumi_why="no pulumi on PATH"
    [ -z "${TINODE_PULUMI_CLI:-}" ] || _pulumi_why="TINODE_PULUMI_CLI=$TINODE_PULUMI_CLI"
    pulumi_say "CLI: the tools cache (pulumi $PULUMI_VERSION in $TOOLS_CACHE): $_pulumi_why"
  fi
else
  PULUMI_CLI=build
  export PATH="$(tools_path)$PATH"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
  [ -n "$_pulumi_current" ] || export PULUMI_HOME="${PULUMI_HOME:-$TOOLS_CACHE/pulumi-home}"
  if [ -n "$_pulumi_path_version" ]; then
    pulumi_say "CLI: none usable ($_pulumi_on_path is $_pulumi_path_version, older than $_pulumi_want; the tools cache is empty): must be built from Go modules"
  else
    pulumi_say "CLI: none usable (no pulumi on PATH, the tools cache is empty): must be built from Go modules"
  fi
fi

if [ -n "${PULUMI_BACKEND_URL:-}" ]; then
  PULUMI_BACKEND_SOURCE=env
  pulumi_say "backend: $PULUMI_BACKEND_URL (PULUMI_BACKEND_URL)"
elif [ -n "$_pulumi_current" ]; then
  PULUMI_BACKEND_SOURCE=login
  pulumi_say "backend: $_pulumi_current (your pulumi login)"
else
  PULUMI_BACKEND_SOURCE=local
  STATE_DIR="${TINODE_STATE_DIR:-$PROJECT_DIR/.pulumi-state}"
  mkdir -p "$STATE_DIR"
  export PULUMI_BACKEND_URL="file://$STATE_DIR"
  pulumi_say "backend: $PULUMI_BACKEND_URL (no pulumi login found: a local folder)"
  # Secrets in state are encrypted with a passphrase. Without one from the caller, a random one is
  # made once and kept (mode 600) next to the state it protects.
  if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    if [ ! -s "$STATE_DIR/passphrase" ]; then
      (umask 077; head -c 32 /dev/urandom | base64 > "$STATE_DIR/passphrase")
      pulumi_say "generated a state passphrase in $STATE_DIR/passphrase (keep it with the state)"
    fi
    export PULUMI_CONFIG_PASSPHRASE_FILE="$STATE_DIR/passphrase"
  fi
fi
export PULUMI_CLI PULUMI_BACKEND_SOURCE
unset _pulumi_why _pulumi_login_home _pulumi_current _pulumi_on_path _pulumi_path_version _pulumi_want
