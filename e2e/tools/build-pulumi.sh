#!/usr/bin/env bash
# build-pulumi.sh VERSION BIN_DIR — the Pulumi CLI and the Node.js language host, from Go modules.
#
# pulumi: github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at vVERSION. pkg/go.mod replaces sdk/v3 with
#   ../sdk and atotto/clipboard with a fork; `go install` refuses replace lines, so a throw-away
#   wrapper module requires pkg/v3 and repeats them (sdk/v3 => the published sdk/v3 at VERSION).
# pulumi-language-nodejs: its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no tags and
#   the module proxy reachable here serves no version of it. Up to v3.68.0 the same host was a
#   package inside the sdk/v3 module, which the proxy does serve, so that one is built
#   (NODEJS_HOST_SDK below). It only starts `node` on @pulumi/pulumi's run script from the
#   program's own node_modules, so the program still runs on the @pulumi/pulumi in package.json.
#   The CLI falls back for RPCs that old hosts lack (Handshake, GetRequiredPackages, ...); checked
#   with preview/up/destroy of @pulumi/random and @pulumi/kubernetes resources. `pulumi about`
#   shows it as language nodejs 3.68.0.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-pulumi.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-pulumi.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
NODEJS_HOST_SDK=v3.68.0

export CGO_ENABLED=0 GOWORK=off GOFLAGS="${GOFLAGS:-} -mod=mod"
work=$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi.XXXXXX")
trap 'rm -rf "$work"' EXIT

# gomod MODULE@VERSION — path of that module's go.mod in the module cache.
gomod() { go mod download -json "$1" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p'; }

# wrapper DIR GOMOD PKG@VERSION... — a throw-away module with GOMOD's replace lines that
# point at published modules (not at ../ folders), then `go get` of the packages.
wrapper() {
  local dir=$1 mod=$2; shift 2
  mkdir -p "$dir"
  (cd "$dir" && go mod init example.invalid/wrapper >/dev/null 2>&1)
  grep -E '^replace [^ ]+ => [^.]' "$mod" >>"$dir/go.mod" || true
  (cd "$dir" && go get "$@")
}

if [ -x "$bin/pulumi" ]; then
  echo "pulumi: present"
else
  echo "pulumi: building github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  w="$work/cli"
  # pkg/go.mod's `sdk/v3 => ../sdk` becomes a plain requirement of the published sdk/v3 at VERSION.
  wrapper "$w" "$(gomod "github.com/pulumi/pulumi/pkg/v3@v$version")" \
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version"
  (cd "$w" && go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$work/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$work/pulumi" "$bin/pulumi"
fi

if [ -x "$bin/pulumi-language-nodejs" ]; then
  echo "pulumi-language-nodejs: present"
else
  echo "pulumi-language-nodejs: building from github.com/pulumi/pulumi/sdk/v3@$NODEJS_HOST_SDK"
  w="$work/nodejs"
  wrapper "$w" "$(gomod "github.com/pulumi/pulumi/sdk/v3@$NODEJS_HOST_SDK")" \
    "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$NODEJS_HOST_SDK"
  (cd "$w" && go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$NODEJS_HOST_SDK" \
      -o "$work/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
  mv "$work/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
fi
"$bin/pulumi" version
