#!/usr/bin/env bash
# build-etcd.sh VERSION BIN_DIR — the etcd server (main package at the root of go.etcd.io/etcd/server/v3).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-etcd.sh VERSION BIN_DIR}
bin=${2:?usage: build-etcd.sh VERSION BIN_DIR}
# server/v3's go.mod replaces its sibling modules with ../ paths: pin each at the same release.
mods=""
for m in server api client/pkg client pkg; do mods="$mods go.etcd.io/etcd/$m/v3@v$version"; done
throwaway_build etcd "$bin" "$mods" -ldflags "-s -w" go.etcd.io/etcd/server/v3
mv "$bin/server" "$bin/etcd"
