#!/bin/bash
# docker-entrypoint.sh of the e2e's MySQL stand-ins (Debian trixie's MariaDB 11.8; 11.4.5 for the upgrade step). It honours the
# environment contract documented for the official mysql image, the part this program relies on:
#   MYSQL_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD / MYSQL_RANDOM_ROOT_PASSWORD) is required on
#   an empty data directory; root may log in from anywhere (MYSQL_ROOT_HOST, default '%');
#   MYSQL_USER + MYSQL_PASSWORD create that user; MYSQL_DATABASE creates the database and grants it
#   to MYSQL_USER; /docker-entrypoint-initdb.d/*.sh, *.sql and *.sql.gz run once, in name order;
#   an existing data directory is used as it is. Like the official image it runs as whatever uid
#   the pod sets (the program sets 999, the image's mysql user).
set -eo pipefail
log() { echo "[entrypoint] $*"; }
die() { echo "[entrypoint] ERROR: $*" >&2; exit 1; }

if [ "${1:0:1}" = - ]; then set -- mariadbd "$@"; fi
if [ "$1" = mysqld ]; then shift; set -- mariadbd "$@"; fi
[ "$1" = mariadbd ] || exec "$@"
shift

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
user_args=()
[ "$(id -u)" = 0 ] && user_args=(--user=mysql)

if [ ! -d "$DATADIR/mysql" ]; then
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    die "database is uninitialized and password option is not specified (MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD)"
  fi
  if [ -n "$MYSQL_USER" ] && [ "$MYSQL_USER" = root ]; then
    die "MYSQL_USER=\"root\": MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user"
  fi
  if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  log "initializing the data directory"
  mariadb-install-db "${user_args[@]}" --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal \
    --skip-name-resolve >/dev/null
  mariadbd "${user_args[@]}" --datadir="$DATADIR" --skip-networking --socket="$SOCKET" "$@" &
  pid=$!
  for _ in $(seq 1 60); do mariadb-admin --socket="$SOCKET" -uroot ping --silent 2>/dev/null && break; sleep 1; done
  sql() { mariadb --protocol=socket --socket="$SOCKET" -uroot "$@"; }
  sq() { printf "'%s'" "${1//\'/\'\'}"; }
  root_host=${MYSQL_ROOT_HOST:-%}
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sq "$MYSQL_ROOT_PASSWORD");"
    if [ "$root_host" != localhost ]; then
      echo "CREATE USER 'root'@$(sq "$root_host") IDENTIFIED BY $(sq "$MYSQL_ROOT_PASSWORD");"
      echo "GRANT ALL ON *.* TO 'root'@$(sq "$root_host") WITH GRANT OPTION;"
    fi
    [ -z "$MYSQL_DATABASE" ] || echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
    if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
      echo "CREATE USER $(sq "$MYSQL_USER")@'%' IDENTIFIED BY $(sq "$MYSQL_PASSWORD");"
      [ -z "$MYSQL_DATABASE" ] || echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO $(sq "$MYSQL_USER")@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | sql
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; sql -p"$MYSQL_ROOT_PASSWORD" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | sql -p"$MYSQL_ROOT_PASSWORD" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} ;;
      *) if [ -e "$f" ]; then log "ignoring $f"; fi ;;
    esac
  done
  mariadb-admin --socket="$SOCKET" -uroot -p"$MYSQL_ROOT_PASSWORD" shutdown
  wait "$pid" || true
  log "initialized; starting the server"
fi
# MySQL (8.0.16 and later) upgrades an older data directory by itself when it starts (--upgrade=AUTO);
# MariaDB leaves that to mariadb-upgrade. Same outcome here: when the data directory was made by
# another release, the server starts, mariadb-upgrade runs once as root over the socket, and the
# server goes on serving (TERM reaches it as with exec).
version=$(mariadbd --version | grep -oE 'Ver [0-9]+\.[0-9]+\.[0-9]+' | cut -d' ' -f2)
made_by=$(cut -d- -f1 "$DATADIR/mariadb_upgrade_info" 2>/dev/null || true)
if [ -n "$made_by" ] && [ "$made_by" != "$version" ] && [ -n "$MYSQL_ROOT_PASSWORD" ]; then
  mariadbd "${user_args[@]}" --datadir="$DATADIR" "$@" &
  pid=$!
  trap 'kill -TERM "$pid"' TERM INT
  for _ in $(seq 1 120); do mariadb-admin --socket="$SOCKET" -uroot -p"$MYSQL_ROOT_PASSWORD" ping --silent 2>/dev/null && break; sleep 1; done
  log "data directory made by MariaDB $made_by; upgrading it in place to $version"
  mariadb-upgrade --socket="$SOCKET" -uroot -p"$MYSQL_ROOT_PASSWORD" >/dev/null && log "upgraded the data directory to $version"
  wait "$pid"
  exit $?
fi
exec mariadbd "${user_args[@]}" --datadir="$DATADIR" "$@"
