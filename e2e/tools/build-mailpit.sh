#!/usr/bin/env bash
# build-mailpit.sh VERSION BIN_DIR — mailpit, an SMTP server with an HTTP API for reading what it
# received: the mail server of the email-verification check (e2e/tinode/features.sh). Its web UI is
# embedded from the module as published; nothing is generated.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-mailpit.sh VERSION BIN_DIR}
bin=${2:?usage: build-mailpit.sh VERSION BIN_DIR}
throwaway_build mailpit "$bin" "github.com/axllent/mailpit@v$version" \
  -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=v$version" github.com/axllent/mailpit
