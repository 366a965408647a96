#!/usr/bin/env bash
# build-etcd.sh VERSION BIN_DIR — the etcd server (main package at the root of go.etcd.io/etcd/server/v3).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-etcd.sh VERSION BIN_DIR}
bin=${2:?usage: build-etcd.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
if [ -x "$bin/etcd" ]; then echo "etcd $version: present"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-etcd.XXXXXX")
trap 'rm -rf "$work"' EXIT

# server/v3's go.mod replaces its sibling modules with ../ paths, so go install refuses it.
# A throw-away module pins every sibling at the same released version instead.
echo "etcd $version: resolving go.etcd.io/etcd/{server,api,client/pkg,client,pkg}/v3@v$version"
cd "$work"
go mod init etcd-tools-build >/dev/null 2>&1
go get "go.etcd.io/etcd/server/v3@v$version" "go.etcd.io/etcd/api/v3@v$version" \
  "go.etcd.io/etcd/client/pkg/v3@v$version" "go.etcd.io/etcd/client/v3@v$version" \
  "go.etcd.io/etcd/pkg/v3@v$version"

echo "etcd $version: building"
GOFLAGS=-mod=mod go build -trimpath -o "$work/out/etcd" \
  -ldflags "-s -w" \
  go.etcd.io/etcd/server/v3
install -m 0755 "$work/out/etcd" "$bin/etcd"
echo "etcd $version: done -> $bin/etcd"
