#!/usr/bin/env bash
# build-pulumi-yaml.sh VERSION BIN_DIR — Pulumi YAML's language host (runs examples/yaml), from the
# served module github.com/pulumi/pulumi-yaml (no replace lines), in a throw-away module.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-pulumi-yaml.sh VERSION BIN_DIR}
throwaway_build pulumi-yaml "${2:?usage: build-pulumi-yaml.sh VERSION BIN_DIR}" \
  "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$version" \
  -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$version" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
