#!/usr/bin/env bash
# Sourced (after lib.sh): a real Kubernetes cluster on this machine. The control plane (etcd,
# kube-apiserver, controller-manager, scheduler) runs in the host's network namespace on a bridge
# made for it; each node is a network namespace of its own with containerd (Debian's 1.6, runc, the
# CNI bridge plugin), a kubelet and kube-proxy (iptables mode), so pods run for real and traffic
# between nodes crosses veths and routes. CoreDNS runs as a pod behind the kube-dns Service; volumes
# are static local PersistentVolumes (a directory per volume on its node); kube-router's network
# policy controller enforces NetworkPolicies on every node when it is built. The API server, outside
# the nodes, has routes to the pods but not to Service addresses: it calls admission webhooks (cert-
# manager's) at their pods' addresses (--enable-aggregator-routing).
# What was learnt on this machine and is applied here (../../../shared/real-node/): no
# CAP_SYS_RESOURCE (containerd restrict_oom_score_adj, kubelet oomScoreAdj 0), cgroup v1 with a
# cgroup root per kubelet, nsenter --net (not `ip netns exec`), fully qualified image names,
# kube-proxy without conntrack sysctls, zombies reaped late by PID 1.
#
# Usage: real_cluster_init DIR; real_cluster_up; ...; real_cluster_down (safe to call twice).
# Sets KUBECONFIG (admin). Everything lives under DIR; down removes what up made outside it.

K8S_BIN=$(tool_dir kubernetes "$KUBERNETES_VERSION")/bin
CRICTL=$(tool_dir cri-tools "$CRI_TOOLS_VERSION")/bin/crictl
KUBE_ROUTER=$(tool_dir kube-router "${KUBE_ROUTER_VERSION:-none}")/bin/kube-router

real_cluster_init() {
  RC=$1
  mkdir -p "$RC/pki" "$RC/etc" "$RC/logs" "$RC/run"
  export KUBECONFIG="$RC/etc/admin.kubeconfig"
  REAL_T0=$(date +%s.%N)
}

rlog() { printf '[real %6.1fs] %s\n' "$(echo "$(date +%s.%N) - $REAL_T0" | bc)" "$*" >>"$RC/logs/timeline.txt"; }
kc() { "$K8S_BIN/kubectl" "$@"; }
in_node() { local n=$1; shift; nsenter --net="/var/run/netns/$(real_node_name "$n")" "$@"; }
in_client() { nsenter --net="/var/run/netns/$REAL_CLIENT" "$@"; }
node_ctr() { local n=$1; shift; ctr -a "$RC/$(real_node_name "$n")/containerd/containerd.sock" -n k8s.io "$@"; }
node_crictl() {
  local n=$1
  shift
  # An empty config file of its own: crictl warns about a missing /etc/crictl.yaml otherwise.
  [ -f "$RC/etc/crictl.yaml" ] || : >"$RC/etc/crictl.yaml"
  in_node "$n" "$CRICTL" --config "$RC/etc/crictl.yaml" --runtime-endpoint "unix://$RC/$(real_node_name "$n")/containerd/containerd.sock" "$@"
}

# daemon NAME NODE|- CMD...: starts CMD in its own session (in NODE's network namespace unless -),
# logging to logs/NAME.log; the pid file holds the daemon's own pid (setsid and nsenter exec).
daemon() {
  local name=$1 node=$2
  shift 2
  if [ "$node" = - ]; then
    setsid "$@" >>"$RC/logs/$name.log" 2>&1 &
  else
    setsid nsenter --net="/var/run/netns/$(real_node_name "$node")" "$@" >>"$RC/logs/$name.log" 2>&1 &
  fi
  echo $! >"$RC/run/$name.pid"
  rlog "started $name (pid $!)"
}
# A zombie counts as gone: this machine's PID 1 reaps orphans only every few seconds.
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# stop NAME...: SIGTERM to all, up to 10 s, then SIGKILL.
stop() {
  local n p
  for n in "$@"; do p=$(cat "$RC/run/$n.pid" 2>/dev/null) && { kill "$p" 2>/dev/null || true; }; done
  for n in "$@"; do
    p=$(cat "$RC/run/$n.pid" 2>/dev/null) || continue
    for _ in $(seq 100); do alive "$p" || break; sleep 0.1; done
    if alive "$p"; then kill -9 "$p" 2>/dev/null; rlog "$n needed SIGKILL"; fi
    rm -f "$RC/run/$n.pid"
  done
}
# until_ok SECONDS DESCRIPTION CMD...: retries CMD until it succeeds.
until_ok() {
  local t=$1 what=$2 end
  shift 2
  end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || { rlog "TIMEOUT: $what"; echo "timed out after ${t}s: $what" >&2; return 1; }
    sleep 0.3
  done
  rlog "ready: $what"
}

# ----------------------------------------------------------------------------------------------
# PKI: one CA; the API server's serving certificate; client certificates whose CN/O the Node and
# RBAC authorizers know (no bootstrap tokens); the service-account key pair; kubeconfigs.
real_pki() {
  local p="$RC/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$p/ca.key" -out "$p/ca.crt" -days 2 -subj "/CN=tinode-e2e-ca" 2>/dev/null
  cert() { # NAME CN [O] [SAN]
    local subj="/CN=$2"
    [ -z "${3:-}" ] || subj="/O=$3/CN=$2"
    openssl req -new -newkey rsa:2048 -nodes -keyout "$p/$1.key" -out "$p/$1.csr" -subj "$subj" 2>/dev/null
    {
      echo "basicConstraints=CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      if [ -n "${4:-}" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$4"
      else echo "extendedKeyUsage=clientAuth"; fi
    } >"$p/$1.ext"
    openssl x509 -req -in "$p/$1.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -out "$p/$1.crt" -days 2 \
      -extfile "$p/$1.ext" 2>/dev/null
    rm -f "$p/$1.csr" "$p/$1.ext"
  }
  cert apiserver kube-apiserver "" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:$REAL_HUB_IP,IP:10.96.0.1"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin tinode-e2e-admin system:masters
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert kube-proxy system:kube-proxy
  cert kube-router tinode-e2e-kube-router system:masters
  local n
  for n in $(seq 1 "$REAL_NODE_COUNT"); do cert "kubelet-$n" "system:node:$(real_node_name "$n")" system:nodes; done
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
  kubeconfig() { # FILE CERT
    local f="$RC/etc/$1.kubeconfig"
    kc config set-cluster e2e --server="https://$REAL_HUB_IP:6443" --certificate-authority="$p/ca.crt" --embed-certs --kubeconfig="$f" >/dev/null
    kc config set-credentials u --client-certificate="$p/$2.crt" --client-key="$p/$2.key" --embed-certs --kubeconfig="$f" >/dev/null
    kc config set-context e2e --cluster=e2e --user=u --kubeconfig="$f" >/dev/null
    kc config use-context e2e --kubeconfig="$f" >/dev/null
  }
  kubeconfig admin admin
  kubeconfig controller-manager controller-manager
  kubeconfig scheduler scheduler
  kubeconfig kube-proxy kube-proxy
  kubeconfig kube-router kube-router
  for n in $(seq 1 "$REAL_NODE_COUNT"); do kubeconfig "kubelet-$n" "kubelet-$n"; done
  rlog "pki made"
}

# ----------------------------------------------------------------------------------------------
# Network: bridge (host namespace) <- veth -> each node's namespace; pod ranges routed between nodes.
real_net_up() {
  ip link add "$REAL_BRIDGE" type bridge
  ip addr add "$REAL_HUB_IP/24" dev "$REAL_BRIDGE"
  ip link set "$REAL_BRIDGE" up
  local n o node
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    ip netns add "$node"
    ip -n "$node" link set lo up
    ip link add "tkveth$n" type veth peer name hub0 netns "$node"
    ip link set "tkveth$n" master "$REAL_BRIDGE" up
    ip -n "$node" addr add "$(real_node_ip "$n")/24" dev hub0
    ip -n "$node" link set hub0 up
    for o in $(seq 1 "$REAL_NODE_COUNT"); do
      [ "$o" = "$n" ] || ip -n "$node" route add "$(real_node_pods "$o")" via "$(real_node_ip "$o")"
    done
    # ClusterIPs from processes on the node itself: a route for the routing decision made before
    # kube-proxy's DNAT (the DNAT then sends the packet to a pod).
    ip -n "$node" route add "$REAL_SERVICE_CIDR" via "$REAL_HUB_IP"
    ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
    ip netns exec "$node" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
    # The API server (host namespace) reaches pods for exec, logs and webhooks.
    ip route add "$(real_node_pods "$n")" via "$(real_node_ip "$n")"
    # cgroup v1 and two kubelets on one host: each gets its own cgroup root, or they delete each
    # other's pods as orphans. cpuset needs cpus/mems before anything can join it.
    local h
    for h in /sys/fs/cgroup/*/; do
      [ "$h" = /sys/fs/cgroup/unified/ ] || mkdir -p "$h$node"
    done
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$node/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$node/cpuset.mems"
  done
  real_client_down
  ip netns add "$REAL_CLIENT"
  ip -n "$REAL_CLIENT" link set lo up
  ip link add tkvethc type veth peer name hub0 netns "$REAL_CLIENT"
  ip link set tkvethc master "$REAL_BRIDGE" up
  ip -n "$REAL_CLIENT" addr add "$REAL_CLIENT_IP/24" dev hub0
  ip -n "$REAL_CLIENT" link set hub0 up
  rlog "network made"
}

# real_client_down: the client namespace, and any process left in it.
real_client_down() {
  ip netns pids "$REAL_CLIENT" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$REAL_CLIENT" 2>/dev/null
  ip link del tkvethc 2>/dev/null
}

# ----------------------------------------------------------------------------------------------
real_control_plane_up() {
  local p="$RC/pki" e="$RC/etc"
  daemon etcd - "$(tool_dir etcd "$ETCD_VERSION")/bin/etcd" --name tinode-e2e --data-dir "$RC/etcd" \
    --listen-client-urls http://127.0.0.1:22379 --advertise-client-urls http://127.0.0.1:22379 \
    --listen-peer-urls http://127.0.0.1:22380 --initial-advertise-peer-urls http://127.0.0.1:22380 \
    --initial-cluster tinode-e2e=http://127.0.0.1:22380 --listen-metrics-urls http://127.0.0.1:22381 --unsafe-no-fsync
  until_ok 60 etcd curl -sf http://127.0.0.1:22379/health || return 1
  daemon kube-apiserver - "$K8S_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:22379 \
    --bind-address="$REAL_HUB_IP" --advertise-address="$REAL_HUB_IP" --secure-port=6443 \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" --client-ca-file="$p/ca.crt" \
    --kubelet-client-certificate="$p/apiserver-kubelet-client.crt" --kubelet-client-key="$p/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range="$REAL_SERVICE_CIDR" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction --allow-privileged=true --profiling=false --v=1 \
    --enable-aggregator-routing=true
  until_ok 120 kube-apiserver kc get --raw /readyz || return 1
  daemon kube-controller-manager - "$K8S_BIN/kube-controller-manager" --kubeconfig="$e/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$e/controller-manager.kubeconfig" --authorization-kubeconfig="$e/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$p/sa.key" --root-ca-file="$p/ca.crt" \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
    --service-cluster-ip-range="$REAL_SERVICE_CIDR" --cluster-cidr="$REAL_POD_CIDR" --allocate-node-cidrs=false --v=1
  daemon kube-scheduler - "$K8S_BIN/kube-scheduler" --kubeconfig="$e/scheduler.kubeconfig" \
    --authentication-kubeconfig="$e/scheduler.kubeconfig" --authorization-kubeconfig="$e/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --v=1
}

# ----------------------------------------------------------------------------------------------
# A node: configuration files, containerd, images, kubelet, kube-proxy.
real_node_configs() {
  local n=$1 node d ip pods
  node=$(real_node_name "$n"); d="$RC/$node"; ip=$(real_node_ip "$n"); pods=$(real_node_pods "$n")
  mkdir -p "$d/containerd" "$d/kubelet" "$d/pod-logs" "$d/ipam" "$d/runc" "$d/cni" "$RC/pv/$node"
  printf 'nameserver 127.0.0.1\noptions ndots:1\n' >"$RC/etc/resolv-node.conf"   # nothing upstream, on purpose
  cat >"$d/containerd.toml" <<EOF
version = 2
root = "$d/containerd/root"
state = "$d/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$d/containerd/containerd.sock"
[ttrpc]
  address = "$d/containerd/containerd.sock.ttrpc"
[debug]
  address = "$d/containerd/debug.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$IMAGE_PAUSE"
  netns_mounts_under_state_dir = true
  # No CAP_SYS_RESOURCE here: runc cannot lower oom_score_adj.
  restrict_oom_score_adj = true
  enable_cdi = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$d/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$REAL_CNI_BIN"
    conf_dir = "$d/cni"
    max_conf_num = 1
EOF
  cat >"$d/cni/10-pods.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "pods",
 "plugins": [
  {"type": "bridge", "bridge": "tkpods$n", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$d/ipam",
            "ranges": [[{"subnet": "$pods", "gateway": "${pods%.0/24}.1"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}},
  {"type": "loopback"}]}
EOF
  cat >"$d/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $RC/pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: /$node
cgroupsPerQOS: true
failSwapOn: false
failCgroupV1: false
oomScoreAdj: 0
containerRuntimeEndpoint: unix://$d/containerd/containerd.sock
imageServiceEndpoint: unix://$d/containerd/containerd.sock
resolvConf: $RC/etc/resolv-node.conf
podLogsDir: $d/pod-logs
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
clusterDomain: cluster.local
clusterDNS: [$REAL_DNS_IP]
syncFrequency: 10s
nodeStatusUpdateFrequency: 5s
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
EOF
  cat >"$d/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $RC/etc/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $REAL_POD_CIDR
hostnameOverride: $node
bindAddress: $ip
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# nf_conntrack_max is read-only inside a network namespace.
conntrack: {maxPerCore: 0, min: 0}
EOF
}

real_node_up() {
  local n=$1 node d
  node=$(real_node_name "$n"); d="$RC/$node"
  real_node_configs "$n"
  daemon "containerd-$node" "$n" containerd --config "$d/containerd.toml"
  until_ok 30 "containerd on $node" node_ctr "$n" version || return 1
  local img
  for img in "$REAL_IMAGES"/*.tar; do node_ctr "$n" images import "$img" >/dev/null || return 1; done
  rlog "images imported into $node"
  daemon "kubelet-$node" "$n" "$K8S_BIN/kubelet" --config "$d/kubelet.yaml" --kubeconfig "$RC/etc/kubelet-$n.kubeconfig" \
    --root-dir "$d/kubelet" --cert-dir "$d/kubelet/pki" --hostname-override "$node" --node-ip "$(real_node_ip "$n")" --v=1
  daemon "kube-proxy-$node" "$n" "$K8S_BIN/kube-proxy" --config "$d/kube-proxy.yaml" --v=1
}

# ----------------------------------------------------------------------------------------------
# Add-ons: CoreDNS, the local StorageClass and its volumes.
real_addons_up() {
  sed -e "s|@IMAGE@|$IMAGE_COREDNS|" -e "s|@DNS_IP@|$REAL_DNS_IP|" "$REAL_DIR/manifests/coredns.yaml" | kc apply -f - >/dev/null || return 1
  local n node i pvs=""
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    # A few volumes per node: MySQL's claim binds to one of them (a directory that outlives the pod).
    for i in 1 2 3; do
      mkdir -p "$RC/pv/$node/v$i"
      pvs+=$(sed -e "s|@NAME@|$node-v$i|" -e "s|@NODE@|$node|" -e "s|@PATH@|$RC/pv/$node/v$i|" "$REAL_DIR/manifests/local-pv.yaml")
      pvs+=$'\n---\n'
    done
  done
  kc apply -f "$REAL_DIR/manifests/storage-class.yaml" >/dev/null || return 1
  echo "$pvs" | kc apply -f - >/dev/null || return 1
  rlog "add-ons applied"
}

# kube-router's network policy controller (iptables + ipset), one per node, in the node's namespace.
real_netpol_up() {
  local n node
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    daemon "kube-router-$node" "$n" "$KUBE_ROUTER" --kubeconfig="$RC/etc/kube-router.kubeconfig" \
      --hostname-override="$node" --run-firewall=true --run-router=false --run-service-proxy=false \
      --enable-cni=false --enable-ipv4=true --enable-ipv6=false --health-port=0 --metrics-port=0 -v 1
  done
}

real_cluster_up() {
  real_pki || return 1
  real_net_up || return 1
  real_control_plane_up || return 1
  local n node
  for n in $(seq 1 "$REAL_NODE_COUNT"); do real_node_up "$n" || return 1; done
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    until_ok 60 "node $node registered" kc get node "$node" || return 1
    # Pod ranges are static (CNI host-local); tell the API so kube-proxy and kube-router know them.
    kc patch node "$node" -p "{\"spec\":{\"podCIDR\":\"$(real_node_pods "$n")\",\"podCIDRs\":[\"$(real_node_pods "$n")\"]}}" >/dev/null
  done
  until_ok 120 "nodes Ready" kc wait --for=condition=Ready node --all --timeout=2s || return 1
  if [ -x "$KUBE_ROUTER" ]; then real_netpol_up; fi
  real_addons_up || return 1
  until_ok 120 "CoreDNS Ready" kc -n kube-system wait --for=condition=Ready pod -l k8s-app=kube-dns --timeout=2s || return 1
}

# The owner of the running real cluster: "PID RC" of the run that made it. A run killed outright
# (SIGKILL, a session's end) leaves the bridge, the node namespaces and mounts behind; the next run
# reclaims them when that pid is gone instead of refusing to start (a CI run on the same machine).
REAL_OWNER_FILE=/run/tinode-k8s-real.owner

# real_cluster_reclaim: removes a real cluster whose run is gone. Its daemons are found by their
# command lines (which name its folder), not by old pid files a new process may have reused.
real_cluster_reclaim() (
  set +e
  local old p
  old=$(awk '{print $2}' "$REAL_OWNER_FILE" 2>/dev/null)
  # Runs before the owner file existed: the folder is the one a node's kubelet root is mounted in.
  [ -n "$old" ] || old=$(findmnt -rn -o TARGET | sed -n "s|/$(real_node_name 1)/kubelet\$||p" | head -n 1)
  if [ -n "$old" ]; then
    for p in $(pgrep -f -- "$old" || true); do [ "$p" = $$ ] || kill -9 "$p" 2>/dev/null; done
    rm -f "$old"/run/*.pid
    RC=$old real_cluster_down
  fi
  for p in $(seq 1 "$REAL_NODE_COUNT"); do
    ip netns pids "$(real_node_name "$p")" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$(real_node_name "$p")" 2>/dev/null
    ip link del "tkveth$p" 2>/dev/null
  done
  real_client_down
  ip link del "$REAL_BRIDGE" 2>/dev/null
  rm -f "$REAL_OWNER_FILE"
  ! ip link show "$REAL_BRIDGE" >/dev/null 2>&1
)

# In a subshell without errexit: every part of the cleanup runs even when an earlier one fails.
real_cluster_down() (
  set +e
  [ -n "${RC:-}" ] && [ -d "$RC/run" ] || return 0
  local n node names=()
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    names+=("kube-router-$node" "kube-proxy-$node" "kubelet-$node")
  done
  stop "${names[@]}"
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    if [ -S "$RC/$node/containerd/containerd.sock" ]; then
      local pod
      for pod in $(node_crictl "$n" pods -q 2>/dev/null); do
        node_crictl "$n" stopp "$pod" >/dev/null 2>&1
        node_crictl "$n" rmp "$pod" >/dev/null 2>&1
      done
    fi
    stop "containerd-$node"
  done
  # Shims exit with their containers; a straggler is ours only if its bundle is under RC.
  local p
  for p in $(pgrep -x containerd-shim || true); do
    if grep -q "$RC" "/proc/$p/cmdline" 2>/dev/null; then kill -9 "$p" 2>/dev/null || true; fi
  done
  stop kube-scheduler kube-controller-manager kube-apiserver
  stop etcd
  findmnt -rn -o TARGET | grep "^$RC" | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  for n in $(seq 1 "$REAL_NODE_COUNT"); do
    node=$(real_node_name "$n")
    ip route del "$(real_node_pods "$n")" via "$(real_node_ip "$n")" 2>/dev/null
    # A process left in the node's namespace (a harness client whose parent was killed) would keep
    # it, and its veth, alive past `ip netns del`: the next cluster could not make its network.
    ip netns pids "$node" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$node" 2>/dev/null
    ip link del "tkveth$n" 2>/dev/null
  done
  real_client_down
  ip link del "$REAL_BRIDGE" 2>/dev/null
  local h d
  for h in /sys/fs/cgroup/*/; do
    for n in $(seq 1 "$REAL_NODE_COUNT"); do
      d="$h$(real_node_name "$n")"
      if [ -d "$d" ]; then find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; fi
    done
  done
  # kubelet writes a few paths outside its root dir whatever it is told.
  rm -rf /var/lib/kubelet/device-plugins /var/lib/kubelet/plugins_registry /var/lib/kubelet/plugins /var/lib/kubelet/pod-resources
  rmdir /var/lib/kubelet 2>/dev/null || true
  for d in /var/log/containers/*; do
    if readlink "$d" 2>/dev/null | grep -q "^$RC/"; then rm -f "$d"; fi
  done
  rmdir /var/log/containers /var/log/pods 2>/dev/null || true
  rm -rf "$RC/run"
)
