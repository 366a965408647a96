#!/usr/bin/env bash
# build-kubernetes.sh VERSION BIN_DIR — kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, and the node side (kubelet, kube-proxy) for the real-pod e2e, from k8s.io/kubernetes. Heavy: ~15-25 min on two cores, several GB at link time.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-kubernetes.sh VERSION BIN_DIR}
bin=${2:?usage: build-kubernetes.sh VERSION BIN_DIR}
mkdir -p "$bin"; bin=$(cd "$bin" && pwd)
cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
work=$(mktemp -d "${TMPDIR:-/tmp}/build-kubernetes.XXXXXX")
trap 'rm -rf "$work"' EXIT

major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
staging_version="v0.${version#*.}"   # 1.34.4 -> v0.34.4

# k8s.io/kubernetes replaces every k8s.io/<staging> module with ./staging/src/k8s.io/<staging>, so
# go install refuses it. The throw-away module repeats each replace with the published module.
echo "kubernetes $version: reading the staging module list (staging modules at $staging_version)"
kjson=$(go mod download -json "k8s.io/kubernetes@v$version")
kmod=$(echo "$kjson" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[ -f "$kmod" ] || { echo "kubernetes $version: go.mod not found in the module cache" >&2; exit 1; }
mapfile -t staging < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$kmod")
[ "${#staging[@]}" -gt 10 ] || { echo "kubernetes $version: staging list looks wrong: ${staging[*]}" >&2; exit 1; }
echo "kubernetes $version: ${#staging[@]} staging modules"
# Build date: the release's publication time, so the stamp does not change between builds.
kinfo=$(echo "$kjson" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')
build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$kinfo" 2>/dev/null || true)

cd "$work"
{
  echo "module kubernetes-tools-build"
  echo
  echo "go 1.24.0"
  echo
  # Same GODEBUG defaults as kubernetes' own go.mod.
  sed -n 's/^godebug .*/&/p' "$kmod"
  echo
  echo "require k8s.io/kubernetes v$version"
  echo
  echo "replace ("
  for m in "${staging[@]}"; do echo "	$m => $m $staging_version"; done
  echo ")"
} > go.mod
# A file importing the commands' packages is not possible (they are main packages); go mod tidy
# would drop k8s.io/kubernetes. Resolve the module graph for exactly the packages to build.
pkgs=()
for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
echo "kubernetes $version: resolving dependencies"
GOFLAGS=-mod=mod go list -tags selinux,notest,grpcnotrace "${pkgs[@]}" >/dev/null

ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean"
  [ -z "$build_date" ] || ldflags+=" -X $pkg.buildDate=$build_date"
done
echo "kubernetes $version: building ${cmds[*]} (one go build, shared compilation)"
GOFLAGS=-mod=mod go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldflags" \
  -o "$work/out/" "${pkgs[@]}"
for c in "${cmds[@]}"; do install -m 0755 "$work/out/$c" "$bin/$c"; done
"$bin/kubectl" version --client 2>/dev/null | head -n 1 || true
echo "kubernetes $version: done -> $bin"
