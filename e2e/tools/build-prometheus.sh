#!/usr/bin/env bash
# build-prometheus.sh VERSION BIN_DIR — the Prometheus server and promtool (npm run e2e:monitoring,
# monitoring/check-rules.sh). Prometheus 3.x is published as Go module versions v0.<major*100+minor>.<patch>
# (3.16.0 -> v0.316.0). Tags: remove_all_sd leaves only the static, file and http service discovery
# (plugins/*.go), which is all a local run needs and spares the cloud SDKs; without builtinassets
# the web UI's files are read from disk (web/ui/ui.go), so the UI is absent but the API, which the
# checks use, is whole.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-prometheus.sh VERSION BIN_DIR}
bin=${2:?usage: build-prometheus.sh VERSION BIN_DIR}
IFS=. read -r major minor patch <<<"$version"
module_version="v0.$((major * 100 + minor)).$patch"
v=github.com/prometheus/common/version
throwaway_build prometheus "$bin" "github.com/prometheus/prometheus@$module_version" \
  -tags netgo,remove_all_sd -ldflags "-s -w -X $v.Version=$version -X $v.Branch=HEAD -X $v.Revision=$module_version" \
  github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
