#!/usr/bin/env bash
# build-kube-score.sh VERSION BIN_DIR — kube-score, the Kubernetes manifest checker.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kube-score.sh VERSION BIN_DIR}
bin=${2:?usage: build-kube-score.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
if [ -x "$bin/kube-score" ]; then echo "kube-score $version: present"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-kube-score.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A throw-away module: needs only the exact version from the proxy (go install pkg@version
# also asks for the module's version list).
echo "kube-score $version: resolving github.com/zegl/kube-score@v$version"
cd "$work"
go mod init kube-score-tools-build >/dev/null 2>&1
go get "github.com/zegl/kube-score/cmd/kube-score@v$version"
echo "kube-score $version: building"
GOFLAGS=-mod=mod go build -trimpath -o "$work/out/kube-score" \
  -ldflags "-s -w -X main.version=$version" github.com/zegl/kube-score/cmd/kube-score
install -m 0755 "$work/out/kube-score" "$bin/kube-score"
echo "kube-score $version: done -> $bin/kube-score"
