#!/usr/bin/env bash
# npm run e2e:restore — the restore drill: real Tinode nodes on a real database, users chat, the
# backup CronJob's command runs with the CronJob's own script, arguments and environment, the
# database is dropped, the README's restore procedure brings it back, and the users log in and
# read their whole history. Then retention, and a timed backup and restore of a large database.
# See e2e/tinode/README.md.
#
# Prints one PASS/FAIL line per step (details indented under it) and "N passed, M failed"; exits
# non-zero on any failure. Needs root (network namespaces, chroot). E2E_TIMEOUT (seconds, default
# 900) bounds the run; RESTORE_BENCH_MESSAGES (default 100000; 0 skips the step) sizes the
# benchmark; KEEP_LOGS=1 keeps the logs (always kept when a step fails).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

STEPS=9
BENCH_MESSAGES=${RESTORE_BENCH_MESSAGES:-100000}
case "$BENCH_MESSAGES" in '' | *[!0-9]*) echo "FAIL: RESTORE_BENCH_MESSAGES must be a whole number"; exit 1 ;; esac
SKIP_S3="" SKIP_BENCH=""
if ! tool_present gofakes3 "$GOFAKES3_VERSION" gofakes3 || ! tool_present awscli "$AWSCLI_VERSION" aws; then
  SKIP_S3="the S3 server and the AWS CLI are not built (npm run e2e:tools gofakes3 awscli)"; STEPS=$((STEPS - 1))
fi
if [ "$BENCH_MESSAGES" = 0 ]; then SKIP_BENCH="RESTORE_BENCH_MESSAGES=0"; STEPS=$((STEPS - 1)); fi
if ! tool_present tinode "$TINODE_VERSION" tinode init-db || [ ! -f "$DB_READY" ]; then
  echo "SKIPPED: tinode e2e tools not present (npm run e2e:tools; npm run e2e:tinode:setup)"
  exit 0
fi
require_root_and "restore drill" "$STEPS" ip jq curl nsenter
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"
cd "$REPO_DIR"
TS_NODE="$REPO_DIR/node_modules/.bin/ts-node"
RETENTION=3                                   # small, so that N+1 backups take seconds

stop_s3() { { [ -n "${S3_PID:-}" ] && kill "$S3_PID" && wait "$S3_PID"; } 2>/dev/null; }
E2E_TIMEOUT=${E2E_TIMEOUT:-900}
cluster_session "$E2E_TIMEOUT" stop_s3
harness_init "$STEPS" "$LOGS" stream

# ----------------------------------------------------------------------------------------------
# The backup pod, as close as one machine allows: the MySQL client tools come from the database
# chroot (MariaDB's mysqldump and mysql, where the CronJob has the MySQL image's); the script is
# the ConfigMap's, mounted at the same path; the claim (or the emptyDir) is a folder mounted at
# /backups (/staging); /tmp is empty; the root is read-only; the user is the pod's (65534); argv and
# environment are the CronJob container's (render-backup.ts), the database address being the only
# substitution. The AWS CLI container of the S3 destination runs on the host instead (the CLI is
# a virtualenv in the tools cache), as root, with the same script and environment and the folders'
# paths in place of /scripts and /staging.

# backup_render NAME KEY=VALUE...: renders the job for these settings into $RUN/NAME; one file of
# environment per container ($RUN/NAME/env.<i>).
backup_render() {
  local out="$RUN/$1" i n; shift
  "$TS_NODE" --transpile-only scripts/render-backup.ts --out "$out" --db-host "$HUB_IP" --db-port "$DB_PORT" \
    --secret "MYSQL_USER=tinode" --secret "MYSQL_PASSWORD=$DB_PASSWORD" \
    --secret "AWS_ACCESS_KEY_ID=drill" --secret "AWS_SECRET_ACCESS_KEY=drill-secret" "$@" | sed 's/^/  program: /'
  mkdir -p "$out/scripts" "$out/tmp" "$out/data"
  install -m 0555 "$out/backup.sh" "$out/scripts/backup.sh"
  # fsGroup: the claim is writable by the pod's group.
  chown "65534:65534" "$out/data"; chmod 2770 "$out/data"
  chmod 1777 "$out/tmp"
  n=$(jq '.containers | length' "$out/backup.json")
  for i in $(seq 0 $((n - 1))); do
    jq -r --argjson i "$i" '.containers[$i].env | to_entries[] | "\(.key)=\(.value)"' "$out/backup.json" >"$out/env.$i"
  done
  mkdir -p "$DB_ROOT$(jq -r .paths.scripts "$out/backup.json")" "$DB_ROOT$(jq -r .paths.volume "$out/backup.json")" \
    "$DB_ROOT$(jq -r .paths.work "$out/backup.json")"
}

# argv_of NAME I: container I's argv, one per line.
argv_of() { jq -r --argjson i "$2" '.containers[$i].argv[]' "$RUN/$1/backup.json"; }

# chroot_container NAME I DATA MOUNTPOINT ARGV...: runs ARGV as container I of job NAME would,
# with the folder DATA at MOUNTPOINT; its output goes to the caller.
chroot_container() {
  local job="$RUN/$1" i=$2 data=$3 mnt=$4 env; shift 4
  mapfile -t env <"$job/env.$i"
  in_hub bash -c '
    set -e
    root=$1 scripts=$2 data=$3 mnt=$4 tmp=$5; shift 5
    mount --bind "$root" "$root"
    mount -o remount,bind,ro "$root"
    mount --bind "$scripts" "$root/scripts"
    mount --bind "$data" "$root$mnt"
    mount --bind "$tmp" "$root/tmp"
    exec chroot --userspec=65534:65534 "$root" "$@"
  ' _ "$DB_ROOT" "$job/scripts" "$data" "$mnt" "$job/tmp" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${env[@]}" "$@"
}

# host_container NAME I DATA ARGV...: the AWS CLI container I of job NAME, on the host.
host_container() {
  local job="$RUN/$1" i=$2 data=$3 env a argv=(); shift 3
  mapfile -t env <"$job/env.$i"
  for a in "$@"; do
    case "$a" in
      /scripts/*) argv+=("$job/scripts/${a#/scripts/}") ;;
      /staging) argv+=("$data") ;;
      /staging/*) argv+=("$data/${a#/staging/}") ;;
      *) argv+=("$a") ;;
    esac
  done
  in_hub env -i PATH="$(tool_dir awscli "$AWSCLI_VERSION")/bin:/usr/sbin:/usr/bin:/sbin:/bin" "${env[@]}" TMPDIR="$job/tmp" "${argv[@]}"
}

# backup_pod ARGV...: the volume destination's container (the drill's main job).
backup_pod() { chroot_container volume 0 "$RUN/volume/data" /backups "$@"; }

complete_backups() { find "$RUN/volume/data" -maxdepth 1 -name 'tinode-*.json' -printf '%f\n' | sed 's/\.json$//' | sort; }
counts() { db_sql "SELECT CONCAT((SELECT COUNT(*) FROM tinode.users), ' users, ', (SELECT COUNT(*) FROM tinode.topics), ' topics, ', (SELECT COUNT(*) FROM tinode.subscriptions), ' subscriptions, ', (SELECT COUNT(*) FROM tinode.messages), ' messages')"; }

stop_nodes() {
  local n
  for n in "${PODS[@]}"; do
    if [ -n "${NODE_PID[$n]:-}" ] && kill -0 "${NODE_PID[$n]}" 2>/dev/null; then node_stop "$n" TERM; fi
  done
}

start_nodes() {
  local n deadline
  for n in "${PODS[@]}"; do node_start "$n"; done
  deadline=$(( $(now_ms) + 60000 ))
  until cluster_formed "${PODS[@]}"; do
    for n in "${PODS[@]}"; do node_died "$n" && return 1; done
    [ "$(now_ms)" -lt "$deadline" ] || { info "no cluster within 60 s"; show_vars "${PODS[@]}"; return 1; }
    sleep 0.2
  done
}

run_init_db() {
  local initdb out
  mapfile -t initdb < <(jq -r '.initDb[]' "$LAUNCH")
  if ! out=$( (pod_exec job "${initdb[@]}") 2>&1 ); then info "init-db failed:"; echo "$out" | sed 's/^/    /'; return 1; fi
  echo "$out" >>"$LOGS/init-db.log"
  INITDB_OUT=$out
}

# ----------------------------------------------------------------------------------------------
# Steps

step1() {
  net_up || return 1
  db_start "e2e$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" || return 1
  info "database: $(chroot "$DB_ROOT" /usr/sbin/mariadbd --version | grep -oE 'Ver [^ ]+'), at $HUB_IP:$DB_PORT"
  render_config >>"$LOGS/render.log" 2>&1 || { cat "$LOGS/render.log"; return 1; }
  local n
  for n in "${PODS[@]}" job; do pod_net "$n" "${POD_IP[$n]}" || return 1; pod_root "$n" "$CONF" || return 1; done
  run_init_db || return 1
  info "init-db ($(jq -r '.initDb | join(" ")' "$LAUNCH")): $(grep -o 'Database successfully created.' <<<"$INITDB_OUT")"
  start_nodes || return 1
  show_vars "${PODS[@]}"
  backup_render volume backupDestination=volume backupRetention=$RETENTION || return 1
  mapfile -t BACKUP_ARGV < <(argv_of volume 0)
  # The README's restore Job: the same container, other arguments.
  RESTORE_ARGV=("${BACKUP_ARGV[@]:0:2}" restore)
}

step2() {
  local out
  out=$(in_hub "$TS_NODE" --transpile-only "$HERE/restore-client.ts" chat --nodes "$(nodes_json)" --api-key "$API_KEY" \
    --messages 10 --out "$RUN/chat.json" 2>>"$LOGS/client.log") || true
  jq -r 'to_entries[] | "  client: \(.key)=\(.value | tostring)"' <<<"${out#* }" 2>/dev/null || info "client: $out"
  info "database: $(counts)"
  [[ "$out" == PASS\ * ]]
}

step3() {
  local out name
  info "CronJob container: $(jq -r '.containers[0] | .image + ": " + (.argv | join(" "))' "$RUN/volume/backup.json") (schedule $(jq -r .schedule "$RUN/volume/backup.json"), retention $RETENTION)"
  BEFORE_COUNTS=$(counts)
  if ! out=$(backup_pod "${BACKUP_ARGV[@]}" 2>&1); then echo "$out" | sed 's/^/    /'; return 1; fi
  echo "$out" | sed 's/^/  /'
  name=$(complete_backups | tail -n 1)
  [ -n "$name" ] || { info "no complete backup in the volume"; return 1; }
  FIRST_BACKUP=$name
  info "$name.json:"; sed 's/^/    /' "$RUN/volume/data/$name.json"
  local meta="$RUN/volume/data/$name.json" schema
  schema=$(db_sql "SELECT \`value\` FROM tinode.kvmeta WHERE \`key\`='version'")
  [ "$(jq -r .schemaVersion "$meta")" = "$schema" ] || { info "schemaVersion is not the database's ($schema)"; return 1; }
  [ "$(jq -r .tinodeVersion "$meta")" = "$TINODE_VERSION" ] || { info "tinodeVersion is not $TINODE_VERSION"; return 1; }
  [ "$(jq -r .sha256 "$meta")" = "$(sha256sum "$RUN/volume/data/$name.sql.gz" | cut -d' ' -f1)" ] || { info "checksum mismatch"; return 1; }
  jq -e '.uidKey | test("not in this backup")' "$meta" >/dev/null || { info "no UID key reminder"; return 1; }
  # The stack's UID key must not be anywhere in the backup.
  local uidkey; uidkey=$(jq -r .store_config.uid_key "$CONF")
  if gzip -dc "$RUN/volume/data/$name.sql.gz" | grep -q -F "$uidkey" || grep -q -F "$uidkey" "$meta"; then info "the UID key is in the backup"; return 1; fi
  info "the UID key of tinode.conf appears in neither file; the backup's owner is $(stat -c %U "$RUN/volume/data/$name.sql.gz"), mode $(stat -c %a "$RUN/volume/data/$name.sql.gz")"
}

step4() {
  stop_nodes
  info "Tinode stopped (SIGTERM to every node, as scaling the StatefulSet to 0 does)"
  db_sql "DROP DATABASE tinode" || return 1
  if db_sql "SHOW DATABASES" | grep -qx tinode; then info "tinode still exists"; return 1; fi
  info "DROP DATABASE tinode: the server has no Tinode database left"
  # Tinode refuses to start without its database: the drop is real.
  node_start "${PODS[0]}"
  local i
  for i in $(seq 1 100); do kill -0 "${NODE_PID[${PODS[0]}]}" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "${NODE_PID[${PODS[0]}]}" 2>/dev/null; then info "${PODS[0]} runs without its database"; node_stop "${PODS[0]}" KILL; return 1; fi
  info "${PODS[0]} without the database: $(grep -m1 -oE 'Failed to (open DB|init DB)[^"]*' "$LOGS/${PODS[0]}.log" || tail -n 1 "$LOGS/${PODS[0]}.log")"
  NODE_PID[${PODS[0]}]=""
}

step5() {
  local out name
  name=$(complete_backups | tail -n 1)
  info "restore Job: the CronJob's container with arguments: ${RESTORE_ARGV[*]:2} /backups/$name.sql.gz"
  if ! out=$(backup_pod "${RESTORE_ARGV[@]}" "/backups/$name.sql.gz" 2>&1); then echo "$out" | sed 's/^/    /'; return 1; fi
  echo "$out" | sed 's/^/  /'
  local after; after=$(counts)
  info "before the backup: $BEFORE_COUNTS"
  info "after the restore: $after"
  [ "$after" = "$BEFORE_COUNTS" ] || return 1
  # The README's procedure: a second restore into the restored database is refused.
  if backup_pod "${RESTORE_ARGV[@]}" "/backups/$name.sql.gz" >/dev/null 2>&1; then info "a restore over an existing database was not refused"; return 1; fi
  info "a second restore over the restored database is refused"
  run_init_db || return 1
  grep -q "Database exists, version is correct" <<<"$INITDB_OUT" || { info "init-db: $INITDB_OUT"; return 1; }
  info "schema Job (init-db --upgrade): $(grep -o 'Database exists, version is correct.' <<<"$INITDB_OUT")"
  start_nodes || return 1
  info "Tinode started with the same tinode.conf (same UID key): cluster formed"
  show_vars "${PODS[@]}"
}

step6() {
  local out
  out=$(in_hub "$TS_NODE" --transpile-only "$HERE/restore-client.ts" verify --nodes "$(nodes_json)" --api-key "$API_KEY" \
    --state "$RUN/chat.json" 2>>"$LOGS/client.log") || true
  jq -r 'to_entries[] | "  client: \(.key)=\(.value | tostring)"' <<<"${out#* }" 2>/dev/null || info "client: $out"
  [[ "$out" == PASS\ * ]]
}

step7() {
  local i out before after
  before=$(complete_backups | tr '\n' ' ')
  info "before: $(complete_backups | wc -l) backup(s): $before"
  for i in $(seq 1 "$RETENTION"); do
    sleep 1.1   # names carry the second
    if ! out=$(backup_pod "${BACKUP_ARGV[@]}" 2>&1); then echo "$out" | sed 's/^/    /'; return 1; fi
    echo "$out" | grep -E "deleted" | sed 's/^/  /' || true
  done
  after=$(complete_backups)
  info "after $RETENTION more backups: $(wc -l <<<"$after") kept: $(tr '\n' ' ' <<<"$after")"
  [ "$(wc -l <<<"$after")" = "$RETENTION" ] || return 1
  if grep -qx "$FIRST_BACKUP" <<<"$after" || [ -e "$RUN/volume/data/$FIRST_BACKUP.sql.gz" ]; then info "the oldest ($FIRST_BACKUP) is still there"; return 1; fi
  info "the oldest of $((RETENTION + 1)), $FIRST_BACKUP, was deleted (dump and metadata)"
  info "the README's list Job (${BACKUP_ARGV[*]:0:2} list /backups) shows:"
  backup_pod "${BACKUP_ARGV[@]:0:2}" list /backups | sed 's/^/    /'
  [ "$(find "$RUN/volume/data" -maxdepth 1 -type f | wc -l)" = $((2 * RETENTION)) ] || { info "stray files: $(ls "$RUN/volume/data")"; return 1; }
}

step_s3() {
  local i out name keys kept first="" endpoint="http://$HUB_IP:9000" bucket=tinode-drill prefix=tinode/drill
  local aws; aws="$(tool_dir awscli "$AWSCLI_VERSION")/bin/aws"
  # The S3-compatible server, in memory, on the test network. Not through in_hub: a backgrounded
  # function is a subshell, and killing its pid at the end left the server running.
  ip netns exec "$HUB" "$(tool_dir gofakes3 "$GOFAKES3_VERSION")/bin/gofakes3" -backend memory -initialbucket "$bucket" \
    -host "$HUB_IP:9000" >"$LOGS/s3.log" 2>&1 &
  S3_PID=$!
  for i in $(seq 1 50); do in_hub curl -s -o /dev/null "$endpoint/" && break; sleep 0.1; done
  info "S3 server: gofakes3 $GOFAKES3_VERSION at $endpoint, bucket $bucket; AWS CLI $("$aws" --version 2>&1 | cut -d' ' -f1)"
  backup_render s3 backupDestination=s3 backupRetention=2 backupS3Bucket=$bucket backupS3Prefix=$prefix \
    backupS3Region=us-east-1 backupS3Endpoint="$endpoint" backupS3AccessKeyId=drill backupS3SecretAccessKey=drill-secret || return 1
  s3() { in_hub env -i AWS_ACCESS_KEY_ID=drill AWS_SECRET_ACCESS_KEY=drill-secret AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL="$endpoint" "$aws" "$@"; }
  # Another stack's backup under another prefix: retention must not touch it.
  echo '{}' >"$RUN/s3/other.json"
  s3 s3 cp --only-show-errors "$RUN/s3/other.json" "s3://$bucket/tinode/other/tinode-20200101T000000Z.json" || return 1
  mapfile -t dump < <(argv_of s3 0)
  mapfile -t upload < <(argv_of s3 1)
  info "dump container: ${dump[*]}; upload container: ${upload[*]} (retention 2)"
  stop_nodes
  for i in 1 2 3; do
    sleep 1.1
    rm -rf "$RUN/s3/data" && mkdir -p "$RUN/s3/data" && chown 65534:65534 "$RUN/s3/data"
    if [ "$i" = 3 ]; then BEFORE_DUMP=$(db_dump | sha256sum); fi
    out=$(chroot_container s3 0 "$RUN/s3/data" /staging "${dump[@]}" 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
    out=$(host_container s3 1 "$RUN/s3/data" "${upload[@]}" 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
    echo "$out" | sed 's/^/  /'
    [ -n "$first" ] || first=$(find "$RUN/s3/data" -name '*.json' -printf '%f\n' | sed 's/\.json$//')
  done
  keys=$(s3 s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output text | tr '\t' '\n' | sort)
  info "bucket after 3 backups:"; sed 's/^/    /' <<<"$keys"
  kept=$(grep -c "^$prefix/tinode-.*\.json$" <<<"$keys" || true)
  [ "$kept" = 2 ] && [ "$(grep -c "^$prefix/" <<<"$keys")" = 5 ] || { info "expected 2 complete backups and the owner under $prefix/"; return 1; }
  if grep -q "$first" <<<"$keys"; then info "the oldest ($first) is still there"; return 1; fi
  grep -qx "tinode/other/tinode-20200101T000000Z.json" <<<"$keys" || { info "another prefix's object was deleted"; return 1; }
  info "retention in the bucket: the oldest ($first) deleted; the other prefix untouched"
  # The prefix names its stack; another stack's upload there stops before it writes or deletes.
  local owner; owner=$(s3 s3 cp --only-show-errors "s3://$bucket/$prefix/.tinode-stack" -) || return 1
  info "owner of $prefix/: $owner (.tinode-stack, written by the first upload)"
  echo "organization/tinode/another-stack" | s3 s3 cp --only-show-errors - "s3://$bucket/$prefix/.tinode-stack" || return 1
  rm -rf "$RUN/s3/data" && mkdir -p "$RUN/s3/data" && chown 65534:65534 "$RUN/s3/data"
  chroot_container s3 0 "$RUN/s3/data" /staging "${dump[@]}" >/dev/null 2>&1 || return 1
  if out=$(host_container s3 1 "$RUN/s3/data" "${upload[@]}" 2>&1); then info "an upload into another stack's prefix passed"; return 1; fi
  grep -q "holds the backups of stack organization/tinode/another-stack" <<<"$out" || { echo "$out" | sed 's/^/    /'; return 1; }
  [ "$(s3 s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output text | tr '\t' '\n' | sort)" = "$keys" ] \
    || { info "the refused upload changed the bucket"; return 1; }
  info "an upload by another stack into $prefix/ refused, the bucket unchanged: $(grep -o 'FAILED: .*' <<<"$out" | cut -c1-120)..."
  echo "$owner" | s3 s3 cp --only-show-errors - "s3://$bucket/$prefix/.tinode-stack" || return 1
  # Restore from the bucket as the README's S3 restore Job does: download, then restore.
  name=$(grep "^$prefix/tinode-.*\.json$" <<<"$keys" | tail -n 1 | sed "s|^$prefix/||; s|\.json$||")
  db_sql "DROP DATABASE tinode" || return 1
  rm -rf "$RUN/s3/data" && mkdir -p "$RUN/s3/data" && chown 65534:65534 "$RUN/s3/data"
  out=$(host_container s3 1 "$RUN/s3/data" "${upload[@]:0:2}" download "$name" /staging 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
  echo "$out" | sed 's/^/  /'
  # In the pod both containers run as 65534; here the CLI ran as root.
  chown -R 65534:65534 "$RUN/s3/data"
  out=$(chroot_container s3 0 "$RUN/s3/data" /staging "${dump[@]:0:2}" restore "/staging/$name.sql.gz" 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
  echo "$out" | grep restored | sed 's/^/  /'
  [ "$(db_dump | sha256sum)" = "$BEFORE_DUMP" ] || { info "the restored database differs from the one backed up"; return 1; }
  info "the database restored from the bucket is identical to the one backed up (mariadb-dump, sha256)"
}

step8() {
  local group from seq0 t0 t1 out name raw
  stop_nodes
  group=$(jq -r .group "$RUN/chat.json")
  from=$(db_sql "SELECT \`from\` FROM tinode.messages WHERE topic='$group' LIMIT 1")
  seq0=$(db_sql "SELECT MAX(seqid) FROM tinode.messages WHERE topic='$group'")
  # Chat-sized messages (about 120 bytes of text each) in the drill's group topic.
  db_sql "INSERT INTO tinode.messages(createdat, updatedat, seqid, topic, \`from\`, content)
    SELECT NOW(3), NOW(3), $seq0 + seq, '$group', $from,
      JSON_QUOTE(CONCAT('message ', seq, ': ', SUBSTR(SHA2(seq, 256), 1, 40), ' ', ELT(1 + seq % 4, 'see you tomorrow', 'ok, thanks!', 'where is the meeting?', 'sounds good to me')))
    FROM tinode.seq_1_to_$BENCH_MESSAGES;
    UPDATE tinode.topics SET seqid = $seq0 + $BENCH_MESSAGES WHERE name = '$group';" || return 1
  db_sql "ANALYZE TABLE tinode.messages" >/dev/null
  BEFORE_COUNTS=$(counts)
  info "database: $BEFORE_COUNTS; $(db_sql "SELECT ROUND(SUM(data_length + index_length) / 1048576, 1) FROM information_schema.TABLES WHERE table_schema='tinode'") MiB in tables"
  sleep 1.1
  t0=$(now_ms)
  out=$(backup_pod "${BACKUP_ARGV[@]}" 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
  t1=$(now_ms)
  name=$(complete_backups | tail -n 1)
  raw=$(gzip -dc "$RUN/volume/data/$name.sql.gz" | wc -c)
  BENCH_BACKUP="backup $(( t1 - t0 )) ms, dump $(( $(stat -c %s "$RUN/volume/data/$name.sql.gz") / 1024 )) KiB compressed ($(( raw / 1024 )) KiB SQL)"
  db_sql "DROP DATABASE tinode" || return 1
  t0=$(now_ms)
  out=$(backup_pod "${RESTORE_ARGV[@]}" "/backups/$name.sql.gz" 2>&1) || { echo "$out" | sed 's/^/    /'; return 1; }
  t1=$(now_ms)
  BENCH_RESTORE="restore $(( t1 - t0 )) ms"
  info "after the restore: $(counts)"
  [ "$(counts)" = "$BEFORE_COUNTS" ] || return 1
  info "benchmark, $BENCH_MESSAGES extra messages: $BENCH_BACKUP; $BENCH_RESTORE"
}

run_step "database, schema Job and three Tinode nodes (the cluster formed)" step1 critical
run_step "three users chat on three nodes: group and p2p history recorded" step2 critical
run_step "the CronJob's backup command writes the dump and its metadata (schema and Tinode version, stack, UID-key reminder; no key)" step3 critical
run_step "Tinode stopped and the database dropped" step4 critical
run_step "restore procedure: restore Job, schema Job, Tinode started with the same keys" step5 critical
run_step "users log in with the same ids on other nodes, read the full history and chat on" step6 critical
run_step "retention: $RETENTION more backups delete the oldest of $((RETENTION + 1))" step7 critical
if [ -n "$SKIP_S3" ]; then
  echo "SKIPPED: the S3 destination step: $SKIP_S3"
else
  run_step "S3 destination: the CronJob's dump and upload containers to an S3 server, retention in the bucket, download and restore" step_s3 critical
fi
if [ -n "$SKIP_BENCH" ]; then
  echo "SKIPPED: the benchmark step: $SKIP_BENCH"
else
  run_step "benchmark: backup and restore of a database with $BENCH_MESSAGES more messages" step8 critical
fi
