#!/usr/bin/env bash
# build-kube-score.sh VERSION BIN_DIR — kube-score, the Kubernetes manifest checker.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kube-score.sh VERSION BIN_DIR}
bin=${2:?usage: build-kube-score.sh VERSION BIN_DIR}
throwaway_build kube-score "$bin" "github.com/zegl/kube-score/cmd/kube-score@v$version" \
  -ldflags "-s -w -X main.version=$version" github.com/zegl/kube-score/cmd/kube-score
