#!/usr/bin/env bash
# build-pulumi-kubernetes.sh VERSION BIN_DIR — pulumi-resource-kubernetes, from Go modules.
#
# github.com/pulumi/pulumi-kubernetes/provider/v4 has no tags of its own, so it is fetched by the
# pseudo-version of a release commit (PROVIDER_MODULES below). Its go.mod replaces sdk/v4 with
# ../sdk, and schema-embed.json / terraform-mapping-embed.json are generated files that the module
# zip lacks: the module is copied out of the module cache, the replace is dropped (sdk/v4 then
# comes from the proxy at the version go.mod requires), `go run generate.go` writes the embeds with
# VERSION set, and the provider is built with the version ldflags of the provider's Makefile.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-pulumi-kubernetes.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-pulumi-kubernetes.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)

# Release version -> provider/v4 pseudo-version (commit of the release tag vX.Y.Z). The module proxy
# reachable here serves provider/v4 at v4.25.0's commit only; other releases' pseudo-versions are
# refused (403). A version missing from this table falls back to FALLBACK with a warning; the
# engine then warns "resource plugin kubernetes is expected to have version >=X, but has 4.25.0"
# but uses it (it is found on PATH).
declare -A PROVIDER_MODULES=(
  [4.25.0]=v4.0.0-20260115033456-f47bc2d6f199
)
FALLBACK=4.25.0
build_version=$version
if [ -z "${PROVIDER_MODULES[$version]:-}" ]; then
  echo "WARNING: provider/v4 for $version is not served by the module proxy; building $FALLBACK instead" >&2
  build_version=$FALLBACK
fi
modver=${PROVIDER_MODULES[$build_version]}
mod=github.com/pulumi/pulumi-kubernetes/provider/v4

export CGO_ENABLED=0 GOWORK=off GOFLAGS="${GOFLAGS:-} -mod=mod"
work=$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi-kubernetes.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "pulumi-resource-kubernetes: fetching $mod@$modver (release $build_version)"
src=$(go mod download -json "$mod@$modver" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
if [ -z "$src" ] || [ ! -d "$src" ]; then echo "module download failed" >&2; exit 1; fi
cp -r "$src" "$work/provider"
chmod -R u+w "$work/provider"
cd "$work/provider"
go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4

echo "pulumi-resource-kubernetes: generating schema-embed.json (VERSION=$build_version)"
(cd cmd/pulumi-resource-kubernetes && VERSION=$build_version go run generate.go)

echo "pulumi-resource-kubernetes: building"
go build -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=$build_version" \
  -o "$work/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
mv "$work/pulumi-resource-kubernetes" "$bin/pulumi-resource-kubernetes"
echo "pulumi-resource-kubernetes: built $build_version"
