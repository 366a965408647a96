#!/usr/bin/env bash
# Sourced: the Pulumi CLI on a private file backend, plugins from the tools cache only.

# pulumi_env DIR: the tools cache's CLI (scripts/pulumi-env.sh, the one Pulumi setup), with state,
# plugin home and passphrase under DIR (a throw-away folder).
pulumi_env() {
  export PULUMI_HOME="$1/pulumi-home"
  export PULUMI_BACKEND_URL="file://$1/state"
  export PULUMI_CONFIG_PASSPHRASE="e2e-$RANDOM$RANDOM"
  unset PULUMI_CONFIG_PASSPHRASE_FILE
  mkdir -p "$1/state" "$1/pulumi-home"
  # shellcheck source=../scripts/pulumi-env.sh
  TINODE_PULUMI_CLI=cache source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/pulumi-env.sh" 2>/dev/null
}

# project_copy SRC DEST: the project's files (tracked or not, minus ignored ones) in DEST, so that
# stack files written by the CLI land there and never in the repo. node_modules is shared.
project_copy() {
  mkdir -p "$2"
  (cd "$1" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$2/" 2>/dev/null || true)
  ln -s "$1/node_modules" "$2/node_modules"
}

# P STACK ARGS...: pulumi on a stack of the copied project, with a time bound on every command.
P() {
  local stack=$1; shift
  (cd "$PROJECT" && timeout "${PULUMI_TIMEOUT:-600}" pulumi --non-interactive "$@" --stack "$stack")
}

# new_stack STACK KEY=VALUE...: a fresh stack with the given config.
new_stack() {
  local stack=$1; shift
  (cd "$PROJECT" && pulumi stack init "$stack" --non-interactive >/dev/null) || return 1
  local kv
  for kv in "$@"; do P "$stack" config set "tinode:${kv%%=*}" "${kv#*=}" || return 1; done
}
