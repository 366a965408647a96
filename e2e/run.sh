#!/usr/bin/env bash
# npm run e2e — the main job against a real Kubernetes control plane on this machine (kwok nodes),
# with the real Pulumi CLI and providers from the tools cache. Loopback only, bounded in time,
# cleans up after itself. One PASS/FAIL line per step, then "N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/session.sh"
e2e_session tinode-e2e

passed=0
failed=0
# step NAME FUNCTION: its last output line is the evidence. Every command in a step that could
# hang is bounded by its own timeout.
step() {
  local name=$1 fn=$2 out status=0
  out=$("$fn" 2>>"$WORK/logs/$fn.err") || status=$?
  if [ $status = 0 ]; then
    passed=$((passed + 1)); echo "PASS $name: $(tail -n 1 <<<"$out")"
  else
    failed=$((failed + 1)); echo "FAIL $name: $(tail -n 1 <<<"$out") (exit $status)"
    tail -n 15 "$WORK/logs/$fn.err" | sed 's/^/    | /'
  fi
}
NS=tinode-e2e

source e2e/steps.sh
step "pulumi up (3 replicas)" step_up
step "objects on the API server" step_objects
step "no-change preview" step_idempotent
step "scale preview shows only the config and the StatefulSet" step_scale_preview
step "scale to 5" step_scale_up
step "image change re-runs the schema Job first" step_image_upgrade
step "data-losing changes refused at preview" step_data_refusals
step "MySQL volume grows in place" step_grow_volume
step "external MySQL and back keeps claim and secrets" step_external_and_back
step "upload volume: replacement refused, growth in place" step_media_volume
step "bad config fails preview, creates nothing" step_bad_config
step "backups: plain secret refused; CronJob, Secret, policy and the restore Job on the API server" step_backup
step "rendered manifests pass server dry-run" step_render
step "accepted-config matrix passes server dry-run" step_matrix
step "the previous release's stack previews with no replacement" step_previous_release
step "destroy leaves nothing" step_destroy

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
