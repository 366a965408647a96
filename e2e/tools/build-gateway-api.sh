#!/usr/bin/env bash
# build-gateway-api.sh VERSION BIN_DIR — the Gateway API CRDs, standard channel (Gateway API and
# Ingress through a real controller, TLS from real cert-manager): config/crd/standard/*.yaml of the
# module sigs.k8s.io/gateway-api@vVERSION, copied to ../crds. Nothing is compiled. The tool's
# presence is its one "binary", bin/gateway-api-crds, written last: a script that prints the CRD
# folder (kubectl apply -f "$(gateway-api-crds)") and fails when the folder has no YAML.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-gateway-api.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-gateway-api.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
crds=$(dirname "$bin")/crds
mod=sigs.k8s.io/gateway-api
echo "gateway-api $version: downloading $mod@v$version"
dir=$(go mod download -json "$mod@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir/config/crd/standard" ] || { echo "gateway-api $version: no config/crd/standard in $mod@v$version" >&2; exit 1; }
mkdir -p "$crds"
rm -f "$crds"/*.yaml
install -m 0644 "$dir"/config/crd/standard/*.yaml "$crds/"
ls "$crds"
cat >"$bin/gateway-api-crds" <<'SH'
#!/bin/sh
# Prints the folder of the Gateway API CRDs (standard channel): kubectl apply -f "$(gateway-api-crds)"
d=$(cd "$(dirname "$0")/../crds" && pwd) && ls "$d"/*.yaml >/dev/null 2>&1 && echo "$d"
SH
chmod 0755 "$bin/gateway-api-crds"
echo "gateway-api $version: done -> $("$bin/gateway-api-crds")"
