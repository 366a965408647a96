#!/usr/bin/env bash
# build-actionlint.sh VERSION BIN_DIR — actionlint, the GitHub Actions workflow checker.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-actionlint.sh VERSION BIN_DIR}
bin=${2:?usage: build-actionlint.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
if [ -x "$bin/actionlint" ]; then echo "actionlint $version: present"; exit 0; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-actionlint.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A throw-away module: needs only the exact version from the proxy (go install pkg@version
# also asks for the module's version list).
echo "actionlint $version: resolving github.com/rhysd/actionlint@v$version"
cd "$work"
go mod init actionlint-tools-build >/dev/null 2>&1
go get "github.com/rhysd/actionlint/cmd/actionlint@v$version"
echo "actionlint $version: building"
# Same version stamp as actionlint's release build (.goreleaser.yaml).
GOFLAGS=-mod=mod go build -trimpath -o "$work/out/actionlint" \
  -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" \
  github.com/rhysd/actionlint/cmd/actionlint
install -m 0755 "$work/out/actionlint" "$bin/actionlint"
echo "actionlint $version: done -> $bin/actionlint"
