#!/usr/bin/env bash
# build-actionlint.sh VERSION BIN_DIR — actionlint, the GitHub Actions workflow checker.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-actionlint.sh VERSION BIN_DIR}
bin=${2:?usage: build-actionlint.sh VERSION BIN_DIR}
# Same version stamp as actionlint's release build (.goreleaser.yaml).
throwaway_build actionlint "$bin" "github.com/rhysd/actionlint/cmd/actionlint@v$version" \
  -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" github.com/rhysd/actionlint/cmd/actionlint
