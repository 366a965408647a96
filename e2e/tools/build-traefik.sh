#!/usr/bin/env bash
# build-traefik.sh VERSION BIN_DIR — Traefik, the real Ingress and Gateway API controller (Gateway
# API and Ingress through a real controller, TLS from real cert-manager).
#
# github.com/traefik/traefik/v3 has replace lines, so a throw-away module requires it and repeats
# them, except where the module proxy here does not serve what they point at. Three stand-ins, in
# the throw-away folder only:
# - dynamic/ext => ./pkg/config/dynamic/ext is a nested module that is not published: an extension
#   point whose types HTTP and Router are empty structs embedded in dynamic.HTTPConfiguration and
#   dynamic.Router. The stub has the same empty types.
# - abbot/go-http-auth is replaced upstream by a containous fork the proxy refuses (403). The build
#   uses abbot/go-http-auth v0.4.0 (the one version served) plus the two methods Traefik calls that
#   v0.4.0 lacks: CheckSecret (the hash comparison v0.4.0's BasicAuth.CheckAuth does) and
#   DigestAuth.RequireAuthStale (plain RequireAuth: v0.4.0 never reports a nonce as stale, it refuses
#   it, so out-of-order digest requests are asked to authenticate again). Only the basicAuth and
#   digestAuth middlewares use this package; do not test those with this build.
# - go-acme/lego/v5 registers every ACME DNS-01 provider; the SDKs of LEGO_DROPPED below are refused
#   by the proxy (403, or no version at all), so a copy of lego leaves those providers out of its
#   registry (choosing one gives "unrecognized DNS provider"). TLS from cert-manager, HTTP-01 and the
#   other DNS providers are untouched.
# The web UI is embedded from webui/static, which the published module holds only as the placeholder
# `make clean-webui` leaves: the binary builds as is, with an empty dashboard (API and providers whole).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-traefik.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-traefik.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)
export GOWORK=off
mod=github.com/traefik/traefik/v3
ext=github.com/traefik/traefik/dynamic/ext
httpauth=github.com/abbot/go-http-auth
httpauth_version=v0.4.0
lego=github.com/go-acme/lego/v5
LEGO_DROPPED="edgedns huaweicloud oraclecloud sakuracloud ucloud yandexcloud"
work=$(mktemp -d "${TMPDIR:-/tmp}/build-traefik.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "traefik $version: downloading $mod@v$version"
json=$(go mod download -json "$mod@v$version")
field() { echo "$json" | sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\$/\1/p"; }
gomod=$(field GoMod); src=$(field Dir); info=$(field Info)
if [ ! -f "$gomod" ] || [ ! -d "$src" ]; then echo "traefik $version: module not in the module cache" >&2; exit 1; fi
# The stamps of a release build: its publication time and the codename of the release workflow.
build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info" 2>/dev/null || true)
codename=$(sed -n 's/^[[:space:]]*CODENAME:[[:space:]]*\([a-z]*\).*/\1/p' "$src/.github/workflows/release.yaml" 2>/dev/null | head -n 1)
gateway_api=$(sed -n 's#^[[:space:]]*sigs\.k8s\.io/gateway-api v\([^[:space:]]*\)$#\1#p' "$gomod" | head -n 1)
if [ -n "${GATEWAY_API_VERSION:-}" ] && [ "$gateway_api" != "$GATEWAY_API_VERSION" ]; then
  echo "traefik $version: WARNING: built against Gateway API $gateway_api, GATEWAY_API_VERSION is $GATEWAY_API_VERSION" >&2
fi

# The unpublished extension module, as an empty stub.
grep -q "^replace $ext => ./pkg/config/dynamic/ext" "$gomod" ||
  echo "traefik $version: note: go.mod no longer replaces $ext with ./pkg/config/dynamic/ext" >&2
mkdir -p "$work/ext"
printf 'module %s\n\ngo 1.24.0\n' "$ext" >"$work/ext/go.mod"
cat >"$work/ext/ext.go" <<'GO'
// Package ext stands in for Traefik's unpublished dynamic configuration extension module: empty
// types, as in the open-source build.
package ext

// HTTP extends dynamic.HTTPConfiguration.
type HTTP struct{}

// Router extends dynamic.Router.
type Router struct{}
GO

# abbot/go-http-auth v0.4.0 with the two methods of the fork that Traefik calls.
dir_of() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
echo "traefik $version: $httpauth@$httpauth_version with CheckSecret and RequireAuthStale"
cp -r "$(dir_of "$httpauth@$httpauth_version")" "$work/go-http-auth"
chmod -R u+w "$work/go-http-auth"
printf 'module %s\n\ngo 1.17\n' "$httpauth" >"$work/go-http-auth/go.mod"
cat >"$work/go-http-auth/traefik_fork.go" <<'GO'
package auth

import (
	"net/http"
	"strings"
)

// CheckSecret reports whether password matches secret (an htpasswd hash: MD5 crypt, {SHA} or
// bcrypt), compared as BasicAuth.CheckAuth compares them.
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale asks the client to authenticate again. The fork adds stale="true" for a nonce
// count seen out of order; CheckAuth here never reports that case, so this is RequireAuth.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	a.RequireAuth(w, r)
}
GO

# lego without the DNS providers whose SDKs are not served.
lego_version=$(sed -n "s#^[[:space:]]*$lego \(v[^[:space:]]*\)\$#\1#p" "$gomod" | head -n 1)
[ -n "$lego_version" ] || { echo "traefik $version: no $lego requirement in go.mod" >&2; exit 1; }
echo "traefik $version: $lego@$lego_version without the DNS providers $LEGO_DROPPED"
cp -r "$(dir_of "$lego@$lego_version")" "$work/lego"
chmod -R u+w "$work/lego"
registry="$work/lego/providers/dns/zz_gen_dns_providers.go"
dropped=${LEGO_DROPPED// /|}
sed -E -i -e "\#\"$lego/providers/dns/($dropped)\"#d" \
  -e "/^[[:space:]]*case .*:\$/{N;/\n[[:space:]]*return ($dropped)\.NewDNSProvider\(\)\$/d}" "$registry"
if grep -En "[^a-z]($dropped)\.NewDNSProvider|/providers/dns/($dropped)\"" "$registry"; then
  echo "traefik $version: could not take the providers out of $registry" >&2; exit 1
fi

cd "$work"
{
  echo "module traefik-tools-build"
  echo
  echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
  echo
  echo "require ("
  echo "	$mod v$version"
  echo "	$ext v0.0.0-00010101000000-000000000000"
  echo ")"
  echo
  echo "replace $ext => ./ext"
  echo "replace $httpauth => ./go-http-auth"
  echo "replace $lego => ./lego"
  # Traefik's other replace and exclude lines (forks, excluded versions), block or single-line form;
  # replaces to local folders and of go-http-auth are left out (stand-ins above).
  awk '
    /^(replace|exclude)[[:space:]]*\($/ { blk = $1; next }
    blk != "" && /^\)/ { blk = ""; next }
    blk != "" { sub(/^[[:space:]]+/, ""); if ($0 != "" && $0 !~ /^\/\//) print blk " " $0; next }
    /^(replace|exclude)[[:space:]]/ { print }
  ' "$gomod" | grep -v -e '=>[[:space:]]*\.' -e "^replace ${httpauth}[[:space:]]" || true
} >go.mod
echo "traefik $version: wrapper go.mod:"; sed 's/^/  /' go.mod
echo "traefik $version: resolving dependencies"
GOFLAGS=-mod=mod go list "$mod/cmd/traefik" >/dev/null

v=$mod/pkg/version
ldflags="-s -w -X $v.Version=v$version"
[ -z "$codename" ] || ldflags+=" -X $v.Codename=$codename"
[ -z "$build_date" ] || ldflags+=" -X $v.BuildDate=$build_date"
echo "traefik $version: building"
GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$work/out/traefik" "$mod/cmd/traefik"
install -m 0755 "$work/out/traefik" "$bin/traefik"
"$bin/traefik" version
echo "traefik $version: done -> $bin"
