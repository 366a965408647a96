#!/usr/bin/env bash
# build-kube-router.sh VERSION BIN_DIR — kube-router, whose network policy controller (iptables and
# ipset) enforces NetworkPolicies on the real-pod e2e's nodes. Only that controller is run.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kube-router.sh VERSION BIN_DIR}
bin=${2:?usage: build-kube-router.sh VERSION BIN_DIR}
throwaway_build kube-router "$bin" "github.com/cloudnativelabs/kube-router/v2@v$version" \
  -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=v$version" \
  github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
