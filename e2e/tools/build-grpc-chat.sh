#!/usr/bin/env bash
# build-grpc-chat.sh VERSION BIN_DIR — the e2e's gRPC client (e2e/real/grpc-chat), built from this
# repository's source against Tinode's own pbx package at the server's version (its go.mod and
# go.sum pin them). VERSION is the Tinode version and a hash of the source (lib.sh), so an edit to
# the client rebuilds it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-grpc-chat.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-grpc-chat.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
export GOWORK=off
echo "grpc-chat $version: building $GRPC_CHAT_SRC"
(cd "$GRPC_CHAT_SRC" && go build -trimpath -ldflags "-s -w" -o "$bin/grpc-chat" .)
"$bin/grpc-chat" -h 2>&1 | head -n 2 || true
