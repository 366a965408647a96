#!/usr/bin/env bash
# build-cri-tools.sh VERSION BIN_DIR — crictl, to look inside a real node's containerd (Debian 12
# does not package it).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-cri-tools.sh VERSION BIN_DIR}
bin=${2:?usage: build-cri-tools.sh VERSION BIN_DIR}
throwaway_build cri-tools "$bin" "sigs.k8s.io/cri-tools@v$version" \
  -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$version" sigs.k8s.io/cri-tools/cmd/crictl
