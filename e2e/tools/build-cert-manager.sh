#!/usr/bin/env bash
# build-cert-manager.sh VERSION BIN_DIR — cert-manager's controller, webhook and cainjector (Gateway
# API and Ingress through a real controller, TLS from real cert-manager), and its CRDs in ../crds.
#
# Needs two git clones besides the module proxy, because the proxy here serves neither of these:
# - CERT_MANAGER_SRC: cert-manager with the tag vVERSION. The library is the published module
#   github.com/cert-manager/cert-manager@vVERSION, but the commands are not in it: cmd/controller,
#   cmd/webhook and cmd/cainjector are nested modules (github.com/cert-manager/cert-manager/
#   controller-binary, .../webhook-binary, .../cainjector-binary, each with `replace
#   github.com/cert-manager/cert-manager => ../../`) that are not published at all. They are taken
#   from the tag and built in place in a copy of the published module, with their own go.mod and
#   go.sum; the tag's go.mod must equal the published module's.
# - VCERT_SRC: Venafi's vcert (github.com/Venafi/vcert) with the tag of the version the controller
#   requires (its Venafi issuer; the proxy refuses every vcert/v5 version). The build makes the
#   module zip from the tag and offers it through a local file proxy placed before the usual one,
#   so the go command checks it against the controller's go.sum like any download: the code is
#   upstream's, byte for byte, or the build fails.
#
# CRDs: deploy/crds/*.yaml of the published module, the plain controller-gen output (no Helm
# templating). The Helm chart's templates/crd-*.yaml carry the same specs (equal once parsed, checked
# at 1.21.1) wrapped in `{{- if .Values.crds.enabled }}`, with chart labels and the
# `helm.sh/resource-policy: keep` annotation. bin/cert-manager-crds prints the folder.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-cert-manager.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-cert-manager.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
crds=$(dirname "$bin")/crds
export GOWORK=off
mod=github.com/cert-manager/cert-manager
vcert=github.com/Venafi/vcert/v5
cmds=(controller webhook cainjector)
tag=v$version

# git_tag_commit DIR TAG -> the commit of TAG in the clone DIR, or nothing.
git_tag_commit() { [ -n "$1" ] && git -C "$1" rev-parse -q --verify "refs/tags/$2^{commit}" 2>/dev/null; }
need_clone() { # VAR WHAT TAG
  echo "cert-manager $version: set $1 to a git clone of $2 that has the tag $3 (now: '${!1:-unset}');" >&2
  echo "  the module proxy does not serve it (see the head of build-cert-manager.sh)" >&2
  exit 1
}
commit=$(git_tag_commit "${CERT_MANAGER_SRC:-}" "$tag") || need_clone CERT_MANAGER_SRC cert-manager "$tag"
work=$(mktemp -d "${TMPDIR:-/tmp}/build-cert-manager.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "cert-manager $version: downloading $mod@$tag"
dir=$(go mod download -json "$mod@$tag" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "cert-manager $version: module not in the module cache" >&2; exit 1; }
if ! git -C "$CERT_MANAGER_SRC" show "$commit:go.mod" | cmp -s - "$dir/go.mod"; then
  echo "cert-manager $version: go.mod at $tag in $CERT_MANAGER_SRC differs from the published module" >&2
  exit 1
fi

echo "cert-manager $version: CRDs from $mod@$tag/deploy/crds"
mkdir -p "$crds"
rm -f "$crds"/*.yaml
install -m 0644 "$dir"/deploy/crds/*.yaml "$crds/"
ls "$crds"

echo "cert-manager $version: commands from $CERT_MANAGER_SRC at $tag ($commit)"
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
paths=()
for c in "${cmds[@]}"; do paths+=("cmd/$c"); done
git -C "$CERT_MANAGER_SRC" archive "$commit" "${paths[@]}" | tar -x -C "$work/src"

# vcert: the version the commands require, served from the clone through a file proxy.
vcert_version=$(cat "$work"/src/cmd/*/go.mod | sed -n "s#^[[:space:]]*$vcert \(v[^[:space:]]*\).*#\1#p" | sort -u)
if [ -n "$vcert_version" ]; then
  [ "$(echo "$vcert_version" | wc -l)" -eq 1 ] || { echo "cert-manager $version: several vcert versions: $vcert_version" >&2; exit 1; }
  vcommit=$(git_tag_commit "${VCERT_SRC:-}" "$vcert_version") || need_clone VCERT_SRC "Venafi's vcert" "$vcert_version"
  echo "cert-manager $version: $vcert@$vcert_version from $VCERT_SRC ($vcommit), through a local file proxy"
  mkdir -p "$work/vcert" "$work/mkzip"
  git -C "$VCERT_SRC" archive "$vcommit" | tar -x -C "$work/vcert"
  xmod=$(sed -n 's#^[[:space:]]*golang.org/x/mod \(v[^[:space:]]*\).*#\1#p' "$dir/go.mod" | head -n 1)
  cat >"$work/mkzip/main.go" <<'GO'
// mkzip MODULE VERSION DIR PROXY: writes DIR as MODULE@VERSION into the file proxy PROXY
// (list, .info, .mod and the module zip, made by the go command's own rules).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func main() {
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "mkzip:", err)
		os.Exit(1)
	}
}

func run(path, version, dir, proxy string) error {
	esc, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	at := filepath.Join(proxy, esc, "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(at, version+".zip"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := zip.CreateFromDir(f, module.Version{Path: path, Version: version}, dir); err != nil {
		return err
	}
	files := map[string]string{
		"list":             version + "\n",
		version + ".info":  fmt.Sprintf("{\"Version\":%q}\n", version),
		version + ".mod":   string(gomod),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(at, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return f.Close()
}
GO
  (cd "$work/mkzip" && go mod init mkzip >/dev/null 2>&1 && go get "golang.org/x/mod@${xmod:-latest}" &&
    go run . "$vcert" "$vcert_version" "$work/vcert" "$work/goproxy")
  upstream_proxy=$(go env GOPROXY)
  export GOPROXY="file://$work/goproxy,$upstream_proxy"
fi

ldflags="-s -w -X $mod/pkg/util.AppVersion=$tag -X $mod/pkg/util.AppGitCommit=$commit"
for c in "${cmds[@]}"; do
  echo "cert-manager $version: building cert-manager-$c"
  (cd "$work/src/cmd/$c" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$work/out/cert-manager-$c" .)
done
for c in "${cmds[@]}"; do
  "$work/out/cert-manager-$c" --help >/dev/null 2>&1 || { echo "cert-manager $version: cert-manager-$c --help fails" >&2; exit 1; }
  install -m 0755 "$work/out/cert-manager-$c" "$bin/"
done
# Last, so it is there only when everything else is.
cat >"$bin/cert-manager-crds" <<'SH'
#!/bin/sh
# Prints the folder of cert-manager's CRDs: kubectl apply -f "$(cert-manager-crds)"
d=$(cd "$(dirname "$0")/../crds" && pwd) && ls "$d"/*.yaml >/dev/null 2>&1 && echo "$d"
SH
chmod 0755 "$bin/cert-manager-crds"
echo "cert-manager $version: done -> $bin"
