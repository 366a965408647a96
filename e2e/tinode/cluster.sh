#!/usr/bin/env bash
# Sourced by run.sh and bench/tinode-bench.sh (after lib.sh): a private test network, MariaDB and
# the Tinode pods, each pod as close to its Kubernetes counterpart as one machine allows.
#
# Network: network namespaces created here and deleted by cluster_cleanup. A "hub" namespace holds
# a bridge, MariaDB and the test clients; each pod (tinode-0..2 and the init-db Job) has its own
# namespace joined to the bridge by a veth pair. The addresses below exist only inside those
# namespaces; nothing is routed to or from the host's own network.
#
# Pods: each runs in a root directory laid out like the image (/opt/tinode/{tinode,init-db,static},
# /etc/tinode/tinode.conf as the Secret volume mounts it: root:65534 0440), read-only apart from
# /tmp, as uid/gid 65534 (the StatefulSet's runAsUser) with working dir /opt/tinode, and with the
# argv from launch.json unchanged. Its /etc/hosts maps the pods' DNS names to their addresses, as
# the kubelet's hosts file and the headless Service's DNS records do together.
#
# shellcheck disable=SC2034 # globals set here are read by run.sh and bench/tinode-bench.sh
# shellcheck disable=SC2016 # the single-quoted scripts get their values as arguments

SUBNET=10.213.7          # a /24 that lives only inside this run's namespaces
HUB_IP=$SUBNET.1
DB_PORT=3306
TINODE_UID=65534         # builders/security.ts TINODE_UID

# ----------------------------------------------------------------------------------------------
# Run state

cluster_init() {
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/tinode-cluster-e2e.XXXXXX")
  NS_PREFIX="tinode-cluster-e2e-${RUN##*.}"
  HUB="$NS_PREFIX-hub"
  LOGS="$RUN/logs"
  mkdir -p "$LOGS" "$RUN/pods"
  NETNS_MADE=()
  DB_PID=""
  declare -gA NODE_PID=()
  # Other processes of the run the cleanup kills (a canary, a Prometheus).
  RUN_PIDS=()
}

# Kills everything this run started and deletes its namespaces and files. Safe to call twice.
# (Job notices such as "Killed" are silenced by grouping kill and wait under one redirection.)
cluster_cleanup() {
  local name pid ns
  {
    for name in "${!NODE_PID[@]}"; do
      pid=${NODE_PID[$name]}
      if [ -n "$pid" ]; then kill -KILL "$pid" || true; fi
    done
    for pid in "${RUN_PIDS[@]}"; do kill -KILL "$pid" || true; done
    if [ -n "${DB_PID:-}" ] && kill -0 "$DB_PID"; then
      kill -TERM "$DB_PID" || true
      for _ in $(seq 1 100); do kill -0 "$DB_PID" || break; sleep 0.1; done
      kill -KILL "$DB_PID" || true
    fi
    wait || true
  } 2>/dev/null
  for ns in "${NETNS_MADE[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
  NETNS_MADE=()
  NODE_PID=()
  RUN_PIDS=()
  DB_PID=""
  if [ -n "${RUN:-}" ] && [ -d "$RUN" ]; then
    if [ -n "${KEEP_LOGS_ON_FAILURE:-}" ]; then
      local keep; keep="${TMPDIR:-/tmp}/tinode-cluster-e2e-logs.${RUN##*.}"
      mkdir -p "$keep" && cp -r "$LOGS"/. "$keep"/ && echo "logs kept in $keep"
    fi
    rm -rf "$RUN"
  fi
}

in_hub() { ip netns exec "$HUB" "$@"; }
# cluster_session SECONDS [STOP]: cluster_init, a watchdog, and at exit (also after a timeout or an
# interrupt) STOP (a function stopping the harness's own processes), the cleanup, and the run's
# closing line (harness_end, last); logs are kept when the run or a step failed.
cluster_session() {
  SESSION_STOP=${2:-}
  cluster_init
  trap cluster_session_end EXIT
  trap 'echo "FAIL: interrupted or timed out after step ${H_STEP:-0} of ${H_TOTAL:-?}"; exit 1' INT TERM
  watchdog_start "$1"
}
cluster_session_end() {
  local rc=$?
  set +eu
  trap - EXIT INT TERM
  watchdog_stop
  [ -z "$SESSION_STOP" ] || "$SESSION_STOP"
  # shellcheck disable=SC2034 # read by cluster_cleanup
  if [ "$rc" -ne 0 ] || [ "${H_FAILED:-0}" -gt 0 ] || [ -n "${KEEP_LOGS:-}" ]; then KEEP_LOGS_ON_FAILURE=1; fi
  cluster_cleanup
  harness_end "$rc"
}


# ----------------------------------------------------------------------------------------------
# Network

net_up() {
  ip netns add "$HUB"; NETNS_MADE+=("$HUB")
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link add br0 type bridge
  ip -n "$HUB" addr add "$HUB_IP/24" dev br0
  ip -n "$HUB" link set br0 up
}

# pod_net NAME IP: a namespace for one pod, cabled to the hub's bridge.
pod_net() {
  local name=$1 ip=$2 ns="$NS_PREFIX-$1" port="v${2##*.}"
  ip netns add "$ns"; NETNS_MADE+=("$ns")
  ip -n "$ns" link set lo up
  ip -n "$HUB" link add "$port" type veth peer name eth0 netns "$ns"
  ip -n "$HUB" link set "$port" master br0 up
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
}

# ----------------------------------------------------------------------------------------------
# Database: MariaDB from the chroot made by setup-db.sh, listening on the hub's address. Its data
# lives in this run's folder, bind-mounted into the chroot inside the namespace `ip netns exec`
# creates for it (so the mount is private to the server and goes away with it).

db_start() {
  local password=$1 dbdir="$RUN/db" uid gid
  mkdir -p "$dbdir" "$DB_ROOT/e2e-data"
  uid=$(chroot "$DB_ROOT" id -u mysql); gid=$(chroot "$DB_ROOT" id -g mysql)
  (cd "$REPO_DIR" && npx ts-node --transpile-only e2e/tinode/program.ts db --host "$HUB_IP" --port "$DB_PORT" --password "$password" --out "$dbdir") \
    | sed 's/^/  program: /'
  chown -R "$uid:$gid" "$dbdir"
  DB_DSN=$(cat "$dbdir/dsn")
  DB_PASSWORD=$password
  # exec all the way down: DB_PID is mariadbd's own pid.
  (exec ip netns exec "$HUB" bash -c '
    set -e
    mount --bind "$1" "$2/e2e-data"
    chroot "$2" mariadb-install-db --no-defaults --user=mysql --datadir=/e2e-data/data \
      --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve >"$1/install.log" 2>&1 \
      || { cat "$1/install.log"; exit 1; }
    exec chroot "$2" /usr/sbin/mariadbd --no-defaults --user=mysql --datadir=/e2e-data/data \
      --socket=/e2e-data/mysqld.sock --pid-file=/e2e-data/mysqld.pid \
      --bind-address="$3" --port="$4" --skip-name-resolve \
      --innodb-buffer-pool-size=64M --init-file=/e2e-data/init.sql
  ' _ "$dbdir" "$DB_ROOT" "$HUB_IP" "$DB_PORT") >"$LOGS/mariadb.log" 2>&1 &
  DB_PID=$!
  local i
  for i in $(seq 1 300); do
    if db_sql "SELECT 1" >/dev/null 2>&1; then return 0; fi
    kill -0 "$DB_PID" 2>/dev/null || { echo "mariadbd exited:"; tail -n 20 "$LOGS/mariadb.log"; return 1; }
    sleep 0.2
  done
  echo "mariadbd did not accept the tinode user within 60s"; tail -n 20 "$LOGS/mariadb.log"; return 1
}

# db_sql SQL... : runs SQL as the tinode user over TCP (the only way the pods reach it).
db_sql() {
  in_hub chroot "$DB_ROOT" mariadb --no-defaults -h "$HUB_IP" -P "$DB_PORT" -u tinode -p"$DB_PASSWORD" -N -B -e "$*"
}

# db_dump: the whole tinode database, schema and rows, without volatile comments.
db_dump() {
  in_hub chroot "$DB_ROOT" mariadb-dump --no-defaults -h "$HUB_IP" -P "$DB_PORT" -u tinode -p"$DB_PASSWORD" \
    --skip-comments --skip-dump-date --no-tablespaces tinode
}

# ----------------------------------------------------------------------------------------------
# Tinode

# render_config: tinode.conf + launch.json from the program (scripts/render-tinode.ts), pointing
# the DSN at the test database; reads the pods' names, addresses and argv.
render_config() {
  (cd "$REPO_DIR" && npx ts-node --transpile-only scripts/render-tinode.ts --out "$RUN/render" --dsn "$DB_DSN" replicas=3)
  LAUNCH="$RUN/render/launch.json"
  CONF="$RUN/render/tinode.conf"
  mapfile -t PODS < <(jq -r '.nodes[].name' "$LAUNCH")
  declare -gA POD_IP=() POD_HOST=()
  local i name
  for i in "${!PODS[@]}"; do
    name=${PODS[$i]}
    POD_IP[$name]="$SUBNET.$((10 + i))"
    POD_HOST[$name]=$(jq -r --arg n "$name" '.nodes[] | select(.name == $n) | .addr | sub(":[0-9]+$"; "")' "$LAUNCH")
  done
  POD_IP[job]="$SUBNET.9"
  API_KEY=$(jq -r .apiKey "$LAUNCH")
  HEARTBEAT_MS=$(jq -r .failover.heartbeatMs "$LAUNCH")
  NODE_FAIL_AFTER=$(jq -r .failover.nodeFailAfter "$LAUNCH")
  VOTE_AFTER=$(jq -r .failover.voteAfter "$LAUNCH")
  GRACE_S=$(jq -r .terminationGracePeriodSeconds "$LAUNCH")
}

# pod_root NAME CONF: the pod's root directory, laid out like the image with CONF as its config.
pod_root() {
  local name=$1 conf=$2 root="$RUN/pods/$1/rootfs" n
  if [ ! -d "$RUN/image" ]; then
    mkdir -p "$RUN/image/opt/tinode/static"
    install -m 0755 "$TINODE_BIN/tinode" "$TINODE_BIN/init-db" "$RUN/image/opt/tinode/"
  fi
  rm -rf "$RUN/pods/$name"
  mkdir -p "$root/etc/tinode" "$root/tmp" "$RUN/pods/$name/tmp" "$root/opt"
  cp -al "$RUN/image/opt/tinode" "$root/opt/"
  install -o root -g "$TINODE_UID" -m 0440 "$conf" "$root/etc/tinode/tinode.conf"
  chmod 1777 "$RUN/pods/$name/tmp"
  {
    echo "127.0.0.1 localhost"
    for n in "${PODS[@]}"; do echo "${POD_IP[$n]} ${POD_HOST[$n]} $n"; done
  } >"$root/etc/hosts"
  echo "hosts: files dns" >"$root/etc/nsswitch.conf"
  : >"$root/etc/resolv.conf"
}

# pod_exec NAME ARGV...: runs ARGV in pod NAME's namespace and root, as the pod's user, replacing
# the calling process (so a backgrounded pod_exec's $! is the program's pid).
pod_exec() {
  local name=$1 root="$RUN/pods/$1/rootfs"; shift
  exec ip netns exec "$NS_PREFIX-$name" bash -c '
    set -e
    root=$1 tmp=$2 uid=$3 name=$4; shift 4
    mount --bind "$root" "$root"
    mount --bind "$tmp" "$root/tmp"
    mount -o remount,bind,ro "$root"
    exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME="$name" \
      nsenter --root="$root" --wd="$root/opt/tinode" --setuid="$uid" --setgid="$uid" "$@"
  ' _ "$root" "$RUN/pods/$name/tmp" "$TINODE_UID" "$name" "$@"
}

# node_argv NAME: the container's argv from launch.json, one per line.
node_argv() { jq -r --arg n "$1" '.nodes[] | select(.name == $n) | .argv[]' "$LAUNCH"; }

# node_start NAME: starts the Tinode pod NAME in the background; NODE_PID[NAME] is the server's pid.
node_start() {
  local name=$1 argv
  mapfile -t argv < <(node_argv "$name")
  echo "=== start $(date -u +%FT%T.%3NZ): ${argv[*]}" >>"$LOGS/$name.log"
  (pod_exec "$name" "${argv[@]}") >>"$LOGS/$name.log" 2>&1 &
  NODE_PID[$name]=$!
}

# node_stop NAME SIGNAL: signals the node and waits for it to exit; NODE_STATUS is its exit status.
node_stop() {
  NODE_STATUS=0
  { kill -"$2" "${NODE_PID[$1]}"; wait "${NODE_PID[$1]}" || NODE_STATUS=$?; } 2>/dev/null
}

# expvar NAME: the node's /stats/expvar/ JSON (empty on failure).
expvar() { in_hub curl -s -m 2 "http://${POD_IP[$1]}:6060/stats/expvar/" 2>/dev/null || true; }

# cluster_vars NAME: "Live Total Leader" from the node's expvar, or "- - -".
cluster_vars() {
  local j; j=$(expvar "$1")
  if [ -z "$j" ]; then echo "- - -"; return; fi
  jq -r '"\(.LiveClusterNodes) \(.TotalClusterNodes) \(.ClusterLeader)"' <<<"$j" 2>/dev/null || echo "- - -"
}

now_ms() { date +%s%3N; }
info() { echo "  $*"; }

# node_died NAME: prints why when the node's process is gone.
node_died() {
  kill -0 "${NODE_PID[$1]}" 2>/dev/null && return 1
  info "$1 exited; its log ends with:"; tail -n 5 "$LOGS/$1.log" | sed 's/^/    /'
  return 0
}

# cluster_formed NODE...: every NODE reports TotalClusterNodes=3 and LiveClusterNodes=2 (Tinode
# counts the peers it is connected to, not itself) and exactly one of them is the leader.
cluster_formed() {
  local n live all leader leaders=0 total=$#
  for n in "$@"; do
    read -r live all leader <<<"$(cluster_vars "$n")"
    [ "$all" = "${#PODS[@]}" ] && [ "$live" = "$(( ${#PODS[@]} - 1 ))" ] || return 1
    [ "$leader" = 1 ] && leaders=$((leaders + 1))
  done
  [ "$total" -gt 0 ] && [ "$leaders" = 1 ]
}

show_vars() {
  local n live all leader
  for n in "$@"; do
    read -r live all leader <<<"$(cluster_vars "$n")"
    info "$n (${POD_IP[$n]}): LiveClusterNodes=$live TotalClusterNodes=$all ClusterLeader=$leader"
  done
}

leader_of() {
  local n
  for n in "$@"; do if [ "$(cluster_vars "$n" | cut -d' ' -f3)" = 1 ]; then echo "$n"; fi; done
}

# rehash_nodes NAME OFFSET: the node list of the last ring rehash NAME logged after byte OFFSET.
rehash_nodes() {
  tail -c +"$(( $2 + 1 ))" "$LOGS/$1.log" \
    | grep -oE 'initiating failover rehash for nodes \[[^]]*\]|rehashing at a request of [^ ]+ \[[^]]*\]' \
    | tail -n 1 | sed -E 's/.*\[([^]]*)\]$/\1/'
}
log_size() { stat -c %s "$LOGS/$1.log"; }

# Failover detection after a kill at T0 (ms), polled every 20 ms until LIMIT ms have passed:
#   FO_REHASH[node]  ms until each survivor logged a ring rehash without the victim
#                    (the leader: "initiating failover rehash", a follower: "rehashing at a
#                    request of"): from then on it places topics without the dead node
#   FO_LEADER_MS     ms until a survivor is leader and its expvar shows LiveClusterNodes=1
# failover_mark SURVIVOR... must run before the kill (remembers where their logs ended).
failover_mark() {
  declare -gA FO_OFF=()
  local n
  for n in "$@"; do FO_OFF[$n]=$(log_size "$n"); done
}
# rejoined SURVIVOR...: after a restart, every node sees the whole cluster again and each
# SURVIVOR logged a rehash back to all nodes since failover_mark.
rejoined() {
  cluster_formed "${PODS[@]}" || return 1
  local n
  for n in "$@"; do [ "$(rehash_nodes "$n" "${FO_OFF[$n]}" | wc -w)" = "${#PODS[@]}" ] || return 1; done
}

failover_watch() {
  local victim=$1 t0=$2 limit=$3 now n nodes leader
  declare -gA FO_REHASH=()
  FO_LEADER_MS="" FO_LEADER=""
  while :; do
    now=$(now_ms)
    for n in "${!FO_OFF[@]}"; do
      [ -n "${FO_REHASH[$n]:-}" ] && continue
      nodes=$(rehash_nodes "$n" "${FO_OFF[$n]}")
      if [ -n "$nodes" ] && [[ " $nodes " != *" $victim "* ]]; then FO_REHASH[$n]=$((now - t0)); fi
    done
    if [ -z "$FO_LEADER_MS" ]; then
      leader=$(leader_of "${!FO_OFF[@]}")
      if [ -n "$leader" ] && [ "$(cluster_vars "$leader" | cut -d' ' -f1)" = 1 ]; then FO_LEADER_MS=$((now - t0)) FO_LEADER=$leader; fi
    fi
    [ "${#FO_REHASH[@]}" = "${#FO_OFF[@]}" ] && [ -n "$FO_LEADER_MS" ] && return 0
    [ $((now - t0)) -lt "$limit" ] || return 1
    sleep 0.02
  done
}

# tinode_cluster_up: database, init-db, three running nodes that formed a cluster; quiet (for the
# benchmark; run.sh does the same with its evidence printed). Not e2e/k8s/cluster.sh's cluster_up,
# which starts a Kubernetes control plane.
tinode_cluster_up() {
  local n initdb deadline
  net_up && db_start "e2e$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >/dev/null || return 1
  render_config >>"$LOGS/render.log" 2>&1 || return 1
  for n in "${PODS[@]}" job; do pod_net "$n" "${POD_IP[$n]}" && pod_root "$n" "$CONF" || return 1; done
  mapfile -t initdb < <(jq -r '.initDb[]' "$LAUNCH")
  (pod_exec job "${initdb[@]}") >>"$LOGS/init-db.log" 2>&1 || { echo "init-db failed"; return 1; }
  for n in "${PODS[@]}"; do node_start "$n"; done
  deadline=$(( $(now_ms) + 60000 ))
  until cluster_formed "${PODS[@]}"; do
    for n in "${PODS[@]}"; do node_died "$n" && return 1; done
    [ "$(now_ms)" -lt "$deadline" ] || { echo "no cluster within 60 s"; return 1; }
    sleep 0.2
  done
}

# nodes_json [NAME...]: the pods (all, in order, by default) as [{"name", "url"}] for the clients.
nodes_json() {
  local n names=("$@")
  [ $# -gt 0 ] || names=("${PODS[@]}")
  for n in "${names[@]}"; do jq -nc --arg n "$n" --arg u "ws://${POD_IP[$n]}:6060" '{name: $n, url: $u}'; done | jq -sc .
}
