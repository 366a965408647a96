#!/usr/bin/env bash
# build-kwok.sh VERSION BIN_DIR — kwok (the simulated kubelet/controller) and kwokctl (the cluster runner).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kwok.sh VERSION BIN_DIR}
bin=${2:?usage: build-kwok.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
if [ -x "$bin/kwok" ] && [ -x "$bin/kwokctl" ]; then echo "kwok $version: present"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-kwok.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A throw-away module: needs only the exact version from the proxy (go install pkg@version
# also asks for the module's version list).
echo "kwok $version: resolving sigs.k8s.io/kwok@v$version"
cd "$work"
go mod init kwok-tools-build >/dev/null 2>&1
go get "sigs.k8s.io/kwok/cmd/kwok@v$version" "sigs.k8s.io/kwok/cmd/kwokctl@v$version"
echo "kwok $version: building kwok + kwokctl"
# Same version stamp as kwok's release build (hack/releases.sh). The Kubernetes version that
# kwokctl assumes is not baked in: pass --kube-version to kwokctl create cluster instead.
GOFLAGS=-mod=mod go build -trimpath -o "$work/out/" \
  -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$version" \
  sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
install -m 0755 "$work/out/kwok" "$work/out/kwokctl" "$bin/"
echo "kwok $version: done -> $bin/kwok, $bin/kwokctl"
