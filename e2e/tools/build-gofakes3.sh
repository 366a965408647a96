#!/usr/bin/env bash
# build-gofakes3.sh VERSION BIN_DIR — gofakes3, a small S3-compatible server (the restore drill's bucket).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-gofakes3.sh VERSION BIN_DIR}
bin=${2:?usage: build-gofakes3.sh VERSION BIN_DIR}
throwaway_build gofakes3 "$bin" "github.com/johannesboyne/gofakes3/cmd/gofakes3@v$version" \
  -ldflags "-s -w" github.com/johannesboyne/gofakes3/cmd/gofakes3
