#!/usr/bin/env bash
# Sourced: a local Kubernetes control plane for end-to-end runs. kwokctl runs etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (which plays the kubelets of three simulated
# nodes) as local processes on loopback, from the binaries in the tools cache.
# Needs: lib.sh sourced, WORK set (a private temp folder).

# kwok plays Stages: node heartbeats, pods Running/Ready, Job pods Succeeded, and volume
# provisioning so that PersistentVolumeClaims bind. They come from the kwok module itself (the
# build put it in the Go module cache), so they always match the kwok version in use.
kwok_stages() {
  local dir
  dir=$(go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/kustomize/stage
  [ -d "$dir" ] || { echo "kwok stages not found in the module cache ($dir)" >&2; return 1; }
  local f first=1
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
           volume/fast/pv-bind.yaml volume/fast/pv-delete.yaml volume/fast/pvc-provision.yaml volume/fast/pvc-delete.yaml; do
    [ $first = 1 ] || echo "---"
    first=0
    cat "$dir/$f"
  done
}

# cluster_up NAME: starts the control plane, three nodes and a default StorageClass; sets KUBECONFIG.
cluster_up() {
  local name=$1 k8s kwok
  k8s=$(tool_dir kubernetes "$KUBERNETES_VERSION")/bin
  kwok=$(tool_dir kwok "$KWOK_VERSION")/bin
  export KWOK_WORKDIR="$WORK/kwok"
  export KUBECONFIG="$WORK/kubeconfig"
  export KUBECACHEDIR="$WORK/kube-cache"
  # kwokctl reads component versions from the binaries but assumes its own default otherwise.
  export KWOK_KUBE_VERSION="v$KUBERNETES_VERSION"
  kwok_stages > "$WORK/kwok-stages.yaml"
  "$kwok/kwokctl" create cluster --name "$name" --runtime binary \
    --etcd-binary "$(tool_dir etcd "$ETCD_VERSION")/bin/etcd" \
    --kube-apiserver-binary "$k8s/kube-apiserver" \
    --kube-controller-manager-binary "$k8s/kube-controller-manager" \
    --kube-scheduler-binary "$k8s/kube-scheduler" \
    --kwok-controller-binary "$kwok/kwok" \
    --kubeconfig "$KUBECONFIG" \
    --config "$E2E_DIR/k8s/kwokctl.yaml" --config "$WORK/kwok-stages.yaml" \
    --wait 120s >"$WORK/logs/kwokctl-create.log" 2>&1
  # Real nodes report ephemeral storage; kwok's default node template does not, and the pods here
  # request some, so give the simulated nodes a disk.
  "$kwok/kwokctl" scale node --name "$name" --replicas 3 \
    --param '.allocatable["ephemeral-storage"]="100Gi"' >>"$WORK/logs/kwokctl-create.log" 2>&1
  kubectl apply -f "$E2E_DIR/k8s/storage-class.yaml" >>"$WORK/logs/kwokctl-create.log"
  kubectl wait --for=condition=Ready node --all --timeout=120s >>"$WORK/logs/kwokctl-create.log"
}

cluster_down() {
  "$(tool_dir kwok "$KWOK_VERSION")/bin/kwokctl" delete cluster --name "$1" --kubeconfig "$KUBECONFIG" >/dev/null 2>&1 || true
}
