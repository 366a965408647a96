#!/usr/bin/env bash
# build-k6.sh VERSION BIN_DIR — k6, the load generator (load with k6). No replace lines; the
# version it prints is compiled in (go.k6.io/k6/internal/build).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-k6.sh VERSION BIN_DIR}
bin=${2:?usage: build-k6.sh VERSION BIN_DIR}
throwaway_build k6 "$bin" "go.k6.io/k6@v$version" -ldflags "-s -w" go.k6.io/k6
"$bin/k6" version
