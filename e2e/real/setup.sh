#!/usr/bin/env bash
# npm run e2e:real:setup — what the real-pod e2e needs besides the Go-built tools: Debian's
# containerd, runc, CNI plugins and netfilter tools (apt), the MariaDB root (e2e:tinode:setup), and
# the container images (images.sh). Idempotent: what is present is left as it is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || { echo "[e2e:real:setup] must run as root (apt-get, chroot)" >&2; exit 1; }

missing=()
for c in $REAL_COMMANDS; do command -v "$c" >/dev/null || missing+=("$c"); done
[ -x "$REAL_CNI_BIN/bridge" ] || missing+=(cni-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[e2e:real:setup] installing Debian packages (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $REAL_PACKAGES >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null; apt-get install -y -q --no-install-recommends $REAL_PACKAGES >/dev/null; }
fi
# This image's policy-rc.d keeps apt from starting containerd system-wide; the e2e starts its own
# per node, with its own configuration and sockets, so nothing else is needed.
echo "[e2e:real:setup] packages: $(containerd --version | cut -d' ' -f1-3), $(runc --version | head -1)"
bash "$HERE/../tinode/setup-db.sh"
bash "$HERE/images.sh"
