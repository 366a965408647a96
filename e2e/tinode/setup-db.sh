#!/usr/bin/env bash
# npm run e2e:tinode:setup — prepares the database server the Tinode e2e run uses: a minimal
# Debian trixie root (debootstrap) with MariaDB from Debian's own packages, in the tools cache
# outside the repository. Idempotent: a finished root (marker file present) is left as it is.
#
# Why this and not the host's MariaDB: init-db creates the database with COLLATE
# utf8mb4_0900_ai_ci, which needs MySQL 8+ or MariaDB >= 11.4.5; Debian 12 ships 10.11.
# Trixie ships 11.8. See README.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

if [ -f "$DB_READY" ]; then
  echo "[e2e:tinode:setup] present: $(cat "$DB_READY") in $DB_ROOT"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "[e2e:tinode:setup] must run as root (debootstrap, chroot)" >&2; exit 1; }

start=$(date +%s)
if ! command -v debootstrap >/dev/null; then
  echo "[e2e:tinode:setup] installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q debootstrap >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q debootstrap >/dev/null; }
fi

partial="$DB_ROOT.partial"
# A half-made root from an interrupted run is thrown away; its mounts lived in a private
# mount namespace, so nothing is mounted there any more.
rm -rf "$partial"
mkdir -p "$(dirname "$DB_ROOT")"
log="$(dirname "$DB_ROOT")/mariadb-$DB_SUITE.setup.log"
echo "[e2e:tinode:setup] debootstrap $DB_SUITE (minbase) -> $partial (log: $log)"
# No mirror argument: debootstrap's default Debian mirror, or DEBOOTSTRAP_MIRROR when set.
# shellcheck disable=SC2086 # an optional argument
debootstrap --variant=minbase "$DB_SUITE" "$partial" ${DEBOOTSTRAP_MIRROR:-} >"$log" 2>&1 \
  || { tail -n 20 "$log" >&2; exit 1; }

echo "[e2e:tinode:setup] installing mariadb-server in the chroot"
# Package scripts must not start services in the chroot (policy-rc.d 101 = "not allowed").
printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
chmod 0755 "$partial/usr/sbin/policy-rc.d"
# /proc only for the install, in a private mount namespace: it disappears with the namespace.
unshare --mount --propagation private bash -euo pipefail -c '
  root=$1
  mount -t proc proc "$root/proc"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mariadb-server mariadb-client
  chroot "$root" apt-get clean
' _ "$partial" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }

# mariadb-install-db looks up "localhost"; the e2e run bind-mounts each run's data at /e2e-data.
echo "127.0.0.1 localhost" >"$partial/etc/hosts"
mkdir -p "$partial/e2e-data"
version="mariadbd $(chroot "$partial" /usr/sbin/mariadbd --version | grep -oE 'Ver [^ ]+' | cut -d" " -f2)"
echo "$version" >"$partial/.tinode-e2e-ready"
rm -rf "$DB_ROOT"
mv "$partial" "$DB_ROOT"
echo "[e2e:tinode:setup] ready in $(( $(date +%s) - start ))s: $version"
