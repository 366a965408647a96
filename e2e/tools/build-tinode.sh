#!/usr/bin/env bash
# build-tinode.sh VERSION BIN_DIR — the Tinode server and its database initialiser, with the
# MySQL adapter, named as in the tinode/tinode-mysql image: tinode (server) and init-db (tinode-db).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-tinode.sh VERSION BIN_DIR}
bin=${2:?usage: build-tinode.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
if [ -x "$bin/tinode" ] && [ -x "$bin/init-db" ]; then echo "tinode $version: present"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-tinode.XXXXXX")
trap 'rm -rf "$work"' EXIT

# tinode/chat has no replace lines, but `go install pkg@version` also asks the proxy for the
# module's version list (deprecation check), which a restricted proxy may refuse. A throw-away
# module that requires the exact version needs only that version.
echo "tinode $version: resolving github.com/tinode/chat@v$version"
cd "$work"
go mod init tinode-tools-build >/dev/null 2>&1
go get "github.com/tinode/chat/server@v$version" "github.com/tinode/chat/tinode-db@v$version"

echo "tinode $version: building server + tinode-db (tags mysql)"
# buildstamp is what the image's build sets (git describe --tags).
GOFLAGS=-mod=mod go build -trimpath -tags mysql -o "$work/out/" \
  -ldflags "-s -w -X main.buildstamp=v$version" \
  github.com/tinode/chat/server github.com/tinode/chat/tinode-db
install -m 0755 "$work/out/server" "$bin/tinode"
install -m 0755 "$work/out/tinode-db" "$bin/init-db"
echo "tinode $version: done -> $bin/tinode, $bin/init-db"
