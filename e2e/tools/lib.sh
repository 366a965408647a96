#!/usr/bin/env bash
# Shared by the tool builders and the e2e runners: where each tool lives in the cache.
# Each tool is built into  $TOOLS_CACHE/<tool>-<version>/bin  so a version bump rebuilds
# only that tool, and a present tool is never rebuilt.
set -euo pipefail
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$TOOLS_DIR/versions.env"
TOOLS_CACHE="${TINODE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tinode-k8s-tools}"
export CGO_ENABLED=0
# The e2e's own gRPC client (e2e/real/grpc-chat): versioned by the Tinode release it is built against
# and its source, so an edit rebuilds it.
GRPC_CHAT_SRC="$TOOLS_DIR/../real/grpc-chat"
GRPC_CHAT_VERSION="$TINODE_VERSION-$(cat "$GRPC_CHAT_SRC/go.mod" "$GRPC_CHAT_SRC/go.sum" "$GRPC_CHAT_SRC/main.go" | sha256sum | cut -c1-10)"

# tool_dir NAME VERSION -> the folder that holds bin/ for that tool version.
tool_dir() { echo "$TOOLS_CACHE/$1-$2"; }

# Every tool: name, version, the binaries it must provide (space separated).
tool_list() {
  cat <<LIST
pulumi $PULUMI_VERSION pulumi pulumi-language-nodejs
pulumi-hosts $PULUMI_VERSION pulumi-language-nodejs pulumi-language-python pulumi-language-python-exec
pulumi-yaml $PULUMI_YAML_VERSION pulumi-language-yaml
pulumi-kubernetes $PULUMI_KUBERNETES_VERSION pulumi-resource-kubernetes
pulumi-random $PULUMI_RANDOM_VERSION pulumi-resource-random
etcd $ETCD_VERSION etcd
kubernetes $KUBERNETES_VERSION kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy
kwok $KWOK_VERSION kwok kwokctl
tinode $TINODE_VERSION tinode init-db
tinode-exporter $TINODE_VERSION exporter
prometheus $PROMETHEUS_VERSION prometheus promtool
cri-tools $CRI_TOOLS_VERSION crictl
coredns $COREDNS_VERSION coredns
kube-router $KUBE_ROUTER_VERSION kube-router
mailpit $MAILPIT_VERSION mailpit
kube-score $KUBE_SCORE_VERSION kube-score
actionlint $ACTIONLINT_VERSION actionlint
gofakes3 $GOFAKES3_VERSION gofakes3
awscli $AWSCLI_VERSION aws
traefik $TRAEFIK_VERSION traefik
cert-manager $CERT_MANAGER_VERSION cert-manager-controller cert-manager-webhook cert-manager-cainjector
gateway-api $GATEWAY_API_VERSION gateway-api-crds
k6 $K6_VERSION k6
grpc-chat $GRPC_CHAT_VERSION grpc-chat
LIST
}

# tool_present NAME VERSION BIN... -> 0 when every binary is there.
tool_present() {
  local name=$1 version=$2; shift 2
  local dir; dir=$(tool_dir "$name" "$version")/bin
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
}

# tools_missing [NAME...] -> prints the names of missing tools (all tools when none given).
tools_missing() {
  local want=" $* "
  while read -r name version bins; do
    [ $# -eq 0 ] || [[ "$want" == *" $name "* ]] || continue
    # shellcheck disable=SC2086
    tool_present "$name" "$version" $bins || echo "$name"
  done < <(tool_list)
}

# tools_path -> a PATH prefix with every tool's bin folder.
tools_path() {
  local p=""
  while read -r name version _; do p="$p$(tool_dir "$name" "$version")/bin:"; done < <(tool_list)
  echo "$p"
}

# throwaway_build NAME BIN_DIR "MODULE@VERSION ..." GO_BUILD_ARGS...
# Builds in a throw-away module that requires exactly the listed versions: `go install pkg@version`
# refuses modules with replace lines, and asks the proxy for version lists, which the proxy here
# may refuse. Every binary `go build -o out/ GO_BUILD_ARGS` makes is installed into BIN_DIR.
throwaway_build() {
  local name=$1 bin=$2 gets=$3 work
  shift 3
  mkdir -p "$bin"
  work=$(mktemp -d "${TMPDIR:-/tmp}/build-$name.XXXXXX")
  echo "$name: resolving $gets"
  # shellcheck disable=SC2086 # gets is a list of module@version words
  if (cd "$work" && go mod init "$name-tools-build" >/dev/null 2>&1 && go get $gets &&
      echo "$name: building" && GOFLAGS=-mod=mod go build -trimpath -o "$work/out/" "$@"); then
    install -m 0755 "$work"/out/* "$bin/"
    echo "$name: done -> $(ls "$work/out" | tr '\n' ' ')"
    rm -rf "$work"
  else
    rm -rf "$work"
    return 1
  fi
}
