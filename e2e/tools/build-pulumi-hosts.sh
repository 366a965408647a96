#!/usr/bin/env bash
# build-pulumi-hosts.sh VERSION BIN_DIR — the Node.js and Python language hosts of Pulumi VERSION:
# the Node.js one runs this repository as a component package (PulumiPlugin.yaml `runtime: nodejs`,
# `pulumi package add`) and policy packs; the Python one runs Python programs (examples/python).
# The YAML host is its own tool (build-pulumi-yaml.sh).
#
# Node.js and Python: sdk/nodejs/cmd/pulumi-language-nodejs and sdk/python/cmd/pulumi-language-python
#   are nested modules with `replace` lines to ../../../../pkg and ../../.. (pulumi/pulumi's pkg/ and
#   sdk/ trees at the same commit) and no tags of their own; the module proxy here serves neither at
#   any pseudo-version (403), only the 3.68 host inside sdk/v3 that build-pulumi.sh builds. So they are
#   built in place from PULUMI_SRC: a git clone of github.com/pulumi/pulumi with the tag vVERSION
#   (`git clone --bare https://github.com/pulumi/pulumi`). `git archive` of the tag's sdk/ and pkg/
#   trees (without testdata), then `go build` in each host's folder; dependencies from the proxy,
#   checked against the tag's go.sum. Nothing of the clone is kept.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-pulumi-hosts.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-pulumi-hosts.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
tag=v$version
export CGO_ENABLED=0 GOWORK=off
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$tag"

commit=""
[ -n "${PULUMI_SRC:-}" ] && commit=$(git -C "$PULUMI_SRC" rev-parse -q --verify "refs/tags/$tag^{commit}" 2>/dev/null || true)
if [ -z "$commit" ]; then
  echo "pulumi-hosts $version: set PULUMI_SRC to a git clone of github.com/pulumi/pulumi that has the tag $tag" >&2
  echo "  (now: '${PULUMI_SRC:-unset}'); the module proxy does not serve these hosts (see the head of this script)" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi-hosts.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "pulumi-hosts $version: sdk/ and pkg/ of github.com/pulumi/pulumi at $tag ($commit)"
mkdir -p "$work/src"
# Checked out through a throw-away index, without testdata and the vendored TypeScript compiler: a
# clone may lack their large files (git archive fails on them even when excluded), and the Go build
# needs none of them.
export GIT_DIR="$PULUMI_SRC" GIT_INDEX_FILE="$work/index" GIT_WORK_TREE="$work/src"
git read-tree "$commit"
git ls-files -z -- sdk pkg | grep -zvE '/testdata/|^sdk/nodejs/vendor/' | git checkout-index -z --stdin
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
# The Python host runs programs through this script, which it expects next to itself.
install -m 0755 "$work/src/sdk/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
for lang in nodejs python; do
  echo "pulumi-language-$lang: building in sdk/$lang/cmd/pulumi-language-$lang"
  (cd "$work/src/sdk/$lang/cmd/pulumi-language-$lang" &&
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/pulumi-language-$lang" .)
done

"$bin/pulumi-language-nodejs" --help 2>&1 | head -1 || true
