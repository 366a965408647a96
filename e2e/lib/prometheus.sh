#!/usr/bin/env bash
# Sourced by the harnesses that run a real Prometheus in the e2e network's hub namespace (after
# e2e/tinode/cluster.sh): e2e:monitoring (the exporters' alerts) and e2e:split (the canary's).
#
#   prom_start CONFIG DATA LOG   starts Prometheus with CONFIG; PROM_PID; waits until it is ready
#   prom_stop                    stops it (the harnesses' cleanup)
#   prom PATH [curl args]        a request to its HTTP API
#   prom_query EXPR              an instant query's JSON
#   firing                       "alertname pod" per firing alert, sorted
#   loaded_rules FILE            "loaded/in FILE" rule counts (equal when every rule loaded)
PROM_BIN="$(tool_dir prometheus "$PROMETHEUS_VERSION")/bin/prometheus"
PROM_PORT=9090
PROM_PID=""

prom() { in_hub curl -sf -m 5 "http://$HUB_IP:$PROM_PORT$1" "${@:2}"; }
prom_query() { prom /api/v1/query --data-urlencode "query=$1"; }
firing() { prom /api/v1/alerts | jq -r '.data.alerts[] | select(.state == "firing") | "\(.labels.alertname) \(.labels.pod // "-")"' | sort; }
loaded_rules() { echo "$(prom /api/v1/rules | jq '[.data.groups[].rules[]] | length')/$(jq '[.groups[].rules[]] | length' "$1")"; }

prom_start() {
  local config=$1 data=$2 log=$3 deadline
  mkdir -p "$data"
  (exec ip netns exec "$HUB" "$PROM_BIN" --config.file="$config" --storage.tsdb.path="$data" \
    --web.listen-address="$HUB_IP:$PROM_PORT") >>"$log" 2>&1 &
  PROM_PID=$!
  deadline=$(( $(date +%s) + 30 ))
  until prom /-/ready >/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "Prometheus not ready within 30 s"; tail -n 5 "$log" >&2; return 1; }
    sleep 0.2
  done
}

prom_stop() {
  [ -z "$PROM_PID" ] || { kill -KILL "$PROM_PID" && wait "$PROM_PID"; } 2>/dev/null
  PROM_PID=""
}
