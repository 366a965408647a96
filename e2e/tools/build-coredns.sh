#!/usr/bin/env bash
# build-coredns.sh VERSION BIN_DIR — CoreDNS, the cluster DNS of the real-pod e2e (run as a pod
# behind the kube-dns Service, as in a kubeadm cluster).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-coredns.sh VERSION BIN_DIR}
bin=${2:?usage: build-coredns.sh VERSION BIN_DIR}
throwaway_build coredns "$bin" "github.com/coredns/coredns@v$version" -ldflags "-s -w" github.com/coredns/coredns
