#!/usr/bin/env bash
# build-kwok.sh VERSION BIN_DIR — kwok (the simulated kubelet/controller) and kwokctl (the cluster runner).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kwok.sh VERSION BIN_DIR}
bin=${2:?usage: build-kwok.sh VERSION BIN_DIR}
# Same version stamp as kwok's release build (hack/releases.sh). The Kubernetes version kwokctl
# assumes is not baked in: e2e/k8s/cluster.sh sets KWOK_KUBE_VERSION.
throwaway_build kwok "$bin" "sigs.k8s.io/kwok/cmd/kwok@v$version sigs.k8s.io/kwok/cmd/kwokctl@v$version" \
  -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$version" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
