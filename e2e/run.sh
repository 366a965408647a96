#!/usr/bin/env bash
# npm run e2e — the main job against a real Kubernetes control plane on this machine (kwok nodes),
# with the real Pulumi CLI and providers from the tools cache. Loopback only, bounded in time,
# cleans up after itself. One PASS/FAIL line per step, then "N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/session.sh"
e2e_session tinode-e2e

# shellcheck source=lib/harness.sh
source e2e/lib/harness.sh
NS=tinode-e2e

source e2e/steps.sh
source e2e/package.sh
harness_init 21 "$WORK/logs"
run_step "pulumi up (3 replicas)" step_up critical
run_step "objects on the API server" step_objects
run_step "no-change preview" step_idempotent
run_step "policy pack on real previews: the defaults pass, 2 replicas and sample data outside dev are reported" step_policy_pack
run_step "scale preview shows only the config, the StatefulSet and the healer's Role" step_scale_preview
run_step "scale to 5" step_scale_up
run_step "image change re-runs the schema Job first" step_image_upgrade
run_step "data-losing changes refused at preview" step_data_refusals
run_step "MySQL volume grows in place" step_grow_volume
run_step "external MySQL and back keeps claim and secrets" step_external_and_back
run_step "upload volume: replacement refused, growth in place" step_media_volume
run_step "bad config fails preview, creates nothing" step_bad_config
run_step "backups: plain secret refused; CronJob, Secret, policy and the restore Job on the API server" step_backup
run_step "rendered manifests pass server dry-run" step_render
run_step "accepted-config matrix passes server dry-run" step_matrix
run_step "accepted fuzz cases (one hostile or careless value per key) pass server dry-run" step_fuzz
run_step "the component package: TypeScript, YAML and Python programs render the stack program's objects; YAML and Python deploy" step_package_examples
run_step "a second stack on the same namespace: refused before it changes anything, its destroy keeps the first's objects" step_second_stack
run_step "createNamespace false -> true on a stack in a namespace it did not make: refused at preview" step_namespace_takeover
run_step "the previous release's stack previews with nothing deleted, only the finished schema Job replaced" step_previous_release
run_step "destroy keeps the data (same UIDs); deleteDataOnDestroy removes everything" step_destroy

harness_summary
