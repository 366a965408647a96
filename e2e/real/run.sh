#!/usr/bin/env bash
# npm run e2e:real — the program deployed with the real `pulumi up` onto a real Kubernetes cluster
# built on this machine (see cluster.sh): real kubelets run the pods from images built here
# (images.sh), and Tinode's official JavaScript SDK chats through the Service. One PASS/FAIL line
# per step with its evidence, then "N passed, M failed". Needs root; prints SKIPPED when its tools
# or images are missing (npm run e2e:tools; npm run e2e:real:setup). Bounded by E2E_TIMEOUT seconds
# (default 1200); everything it started is stopped and removed at the end, also on failure
# (KEEP_E2E_WORK=1 keeps the logs).
set -euo pipefail
source "$(dirname "$0")/session.sh"
real_session tinode-real
harness_init 22 "$WORK/logs"
watchdog_start "${E2E_TIMEOUT:-1200}"
# MySQL starts one release back, so that the upgrade step moves it to IMAGE_MYSQL.
REAL_MYSQL_START=$IMAGE_MYSQL_PREVIOUS
source "$REAL_DIR/steps.sh"
source "$REAL_DIR/load.sh"

run_step "pulumi up: pods Running+Ready on real kubelets, schema Job ran init-db, pods spread" step_up critical
run_step "Tinode cluster formed: every pod sees all nodes, one leader" step_cluster critical
run_step "official tinode-sdk chats through the Service and through pods on different nodes" step_sdk critical
run_step "the delivery canary (official SDK, Node on a real kubelet) sees every pod deliver to every pod" step_canary
run_step "no-change preview right after" step_no_changes
if [ -x "$(tool_dir k6 "$K6_VERSION")/bin/k6" ]; then
  run_step "chat load with k6 (npm run bench:load's scenario, short): every acknowledged message delivered to every subscriber" step_load_smoke
else
  H_TOTAL=$((H_TOTAL - 1))
  echo "SKIPPED: chat load with k6: no k6 in the tools cache (npm run e2e:tools k6)"
fi
run_step "a topic that refuses every message (stale sequence id): the self-healer restarts its pod, nothing lost" step_heal
run_step "pod deleted and container killed: survivors take over, both rejoin, chat goes on" step_failover
run_step "scale 3 -> 12 -> 5 with pulumi up during a steady chat: no two pods ever share a worker id, nothing lost" step_scale
run_step "image upgrade: the new schema Job completes before any Tinode pod restarts" step_upgrade
run_step "MySQL upgrade to a newer release: dumped with the old one first, data directory upgraded, the dump restores into the old one" step_mysql_upgrade
run_step "MySQL pod deleted: same volume, messages still there" step_mysql_restart
if [ -x "$KUBE_ROUTER" ]; then
  run_step "NetworkPolicies enforced (kube-router): unlabelled pod blocked, Tinode works" step_netpol
else
  H_TOTAL=$((H_TOTAL - 1))
  echo "SKIPPED: NetworkPolicies enforced: no policy agent built (npm run e2e:tools kube-router)"
fi
run_step "an external MySQL over TLS (CA from a Secret), the servers as a user with data rights only: schema Job, server and SDK chat" step_external_tls
if [ -f "$REAL_IMAGES/traefik.tar" ] && [ -f "$REAL_IMAGES/cert-manager.tar" ] && command -v gateway-api-crds >/dev/null && command -v cert-manager-crds >/dev/null && command -v grpc-chat >/dev/null; then
  run_step "Gateway API through a real controller (Traefik), certificates from cert-manager: wss:// with the CA verified, only client paths routed" step_edge
  run_step "the stack's own Gateway (gatewayClassName, cert-manager's certificate): the routes move there in one pulumi up" step_edge_own
  run_step "gRPC through the GRPCRoute: Tinode's own pbx client over TLS and HTTP/2 chats through the controller" step_edge_grpc
  run_step "rolling restart with websocket clients connected through the controller: they reconnect through it, nothing lost" step_edge_roll
  run_step "the Ingress through the same controller: cert-manager's certificate, websockets, long polling kept on its pod by a sticky cookie" step_edge_ingress
  run_step "gRPC through the gRPC Ingress: its own Service, h2c to the pods, Tinode's own pbx client over TLS and HTTP/2" step_edge_grpc_ingress
  run_step "a NodePort Service with the TLS proxy in each pod (serviceClusterIssuer): wss:// and gRPC with the CA verified, no expvar, a renewed certificate served without a restart" step_edge_lb
else
  H_TOTAL=$((H_TOTAL - 7))
  echo "SKIPPED: Gateway API, Ingress and a NodePort's TLS proxy through Traefik with cert-manager (7 steps): no Traefik or cert-manager image, or no Gateway API or cert-manager CRDs (npm run e2e:tools traefik gateway-api cert-manager grpc-chat; npm run e2e:real:setup)"
fi
run_step "pulumi destroy stops everything and keeps the data; kubectl delete namespace removes it" step_destroy
harness_summary
