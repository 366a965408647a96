#!/usr/bin/env bash
# build-tinode.sh VERSION BIN_DIR — the Tinode server and its database initialiser, with the
# MySQL adapter, named as in the tinode/tinode-mysql image: tinode (server) and init-db (tinode-db).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-tinode.sh VERSION BIN_DIR}
bin=${2:?usage: build-tinode.sh VERSION BIN_DIR}
# buildstamp is what the image's build sets (git describe --tags).
throwaway_build tinode "$bin" "github.com/tinode/chat/server@v$version github.com/tinode/chat/tinode-db@v$version" \
  -tags mysql -ldflags "-s -w -X main.buildstamp=v$version" github.com/tinode/chat/server github.com/tinode/chat/tinode-db
mv "$bin/server" "$bin/tinode"
mv "$bin/tinode-db" "$bin/init-db"
