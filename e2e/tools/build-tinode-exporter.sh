#!/usr/bin/env bash
# build-tinode-exporter.sh VERSION BIN_DIR — Tinode's metrics exporter (monitoring/exporter in the
# server's module), the program of the tinode/exporter image that runs next to every Tinode pod.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-tinode-exporter.sh VERSION BIN_DIR}
bin=${2:?usage: build-tinode-exporter.sh VERSION BIN_DIR}
# buildstamp as monitoring/exporter/build.sh sets it (git describe --tags).
throwaway_build tinode-exporter "$bin" "github.com/tinode/chat@v$version" \
  -ldflags "-s -w -X main.buildstamp=v$version" github.com/tinode/chat/monitoring/exporter
