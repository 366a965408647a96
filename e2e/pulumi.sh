#!/usr/bin/env bash
# Sourced: the Pulumi CLI on a private file backend, plugins from the tools cache only.

# pulumi_env DIR: state, plugin home and passphrase under DIR (a throw-away folder).
pulumi_env() {
  export PATH="$(tools_path)$PATH"
  export PULUMI_HOME="$1/pulumi-home"
  export PULUMI_BACKEND_URL="file://$1/state"
  export PULUMI_CONFIG_PASSPHRASE="e2e-$RANDOM$RANDOM"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  unset PULUMI_CONFIG_PASSPHRASE_FILE
  mkdir -p "$1/state" "$1/pulumi-home"
}

# P STACK ARGS...: pulumi with the stack's config kept in the work folder, not in the repo, and a
# time bound on every command.
P() {
  local stack=$1; shift
  timeout "${PULUMI_TIMEOUT:-600}" pulumi --non-interactive "$@" --stack "$stack" --config-file "$WORK/Pulumi.$stack.yaml"
}

# new_stack STACK KEY=VALUE...: a fresh stack with the given config.
new_stack() {
  local stack=$1; shift
  pulumi stack init "$stack" --non-interactive >/dev/null
  : > "$WORK/Pulumi.$stack.yaml"
  local kv
  for kv in "$@"; do P "$stack" config set "tinode:${kv%%=*}" "${kv#*=}"; done
}
