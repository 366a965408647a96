#!/usr/bin/env bash
# build-awscli.sh VERSION BIN_DIR — the AWS CLI from PyPI in a virtualenv next to BIN_DIR (the
# restore drill's upload container; no Go module provides it).
set -euo pipefail
version=${1:?usage: build-awscli.sh VERSION BIN_DIR}
bin=${2:?usage: build-awscli.sh VERSION BIN_DIR}
venv="$(dirname "$bin")/venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "awscli==$version"
mkdir -p "$bin"
ln -sf ../venv/bin/aws "$bin/aws"
"$bin/aws" --version
