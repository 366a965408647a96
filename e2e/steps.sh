#!/usr/bin/env bash
# Sourced by e2e/run.sh: the steps. Each prints what it saw; the last line is the evidence. A step
# runs where errexit does not apply, so each check returns on failure itself.
# Uses: P, new_stack (pulumi.sh), WORK, NS, kubectl on the e2e cluster.

MAIN=e2e

# jq-free JSON: node evaluates an expression over the JSON on stdin (bound to `j`).
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);const r=($1);console.log(typeof r==='string'?r:JSON.stringify(r))})"; }
k() { kubectl -n "$NS" "$@"; }
tinode_conf() { k get secret tinode-config -o jsonpath='{.data.tinode\.conf}' | base64 -d; }
expect_eq() { [ "$1" = "$2" ] || { echo "$3: expected '$2', got '$1'"; return 1; }; }

step_up() {
  new_stack $MAIN replicas=3 namespace=$NS sampleData=true || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/up.log" 2>&1 || { echo "pulumi up failed: $(grep -m1 -i error "$WORK/logs/up.log")"; return 1; }
  local created
  created=$(grep -oE '[0-9]+ created' "$WORK/logs/up.log" | tail -1)
  expect_eq "$(k get sts tinode -o jsonpath='{.status.readyReplicas}')" 3 "ready Tinode replicas" || return 1
  expect_eq "$(k get sts tinode-mysql -o jsonpath='{.status.readyReplicas}')" 1 "ready MySQL replicas" || return 1
  expect_eq "$(k get job -l app.kubernetes.io/component=db-init -o jsonpath='{.items[*].status.succeeded}')" 1 "schema Job succeeded" || return 1
  echo "$created; StatefulSets ready (tinode 3/3, mysql 1/1), schema Job complete, apiKey $(P $MAIN stack output apiKey --show-secrets)"
}

step_objects() {
  local pods selves nodes want=""
  pods=$(k get pods -l app.kubernetes.io/component=server -o jsonpath='{range .items[*]}{.metadata.name}{" "}{end}')
  expect_eq "$pods" "tinode-0 tinode-1 tinode-2 " "Tinode pods" || return 1
  # --cluster_self=$(POD_NAME), and POD_NAME is the pod's own metadata.name: print what each pod resolves it to.
  selves=$(k get pods -l app.kubernetes.io/component=server -o json | json 'j.items.map(p=>{const c=p.spec.containers[0];const a=c.args.find(x=>x.startsWith("--cluster_self="));const e=c.env.find(x=>x.name==="POD_NAME");return a==="--cluster_self=$(POD_NAME)"&&e.valueFrom.fieldRef.fieldPath==="metadata.name"?p.metadata.name:"?"}).join(" ")')
  expect_eq "$selves " "$pods" "--cluster_self of each pod" || return 1
  expect_eq "$(k get svc tinode-cluster -o jsonpath='{.spec.clusterIP} {.spec.publishNotReadyAddresses}')" "None true" "headless Service" || return 1
  expect_eq "$(k get sts tinode -o jsonpath='{.spec.serviceName}')" tinode-cluster "StatefulSet serviceName" || return 1
  nodes=$(tinode_conf | json 'j.cluster_config.nodes.map(n=>n.name+"="+n.addr).join(" ")')
  for p in $pods; do want="$want$p=$p.tinode-cluster.$NS.svc.cluster.local:12000 "; done
  expect_eq "$nodes " "$want" "config Secret node list" || return 1
  expect_eq "$(k get pdb tinode -o jsonpath='{.spec.maxUnavailable}')" 1 "PodDisruptionBudget" || return 1
  expect_eq "$(k get pvc data-tinode-mysql-0 tinode-schema-dumps -o jsonpath='{.items[*].status.phase}')" "Bound Bound" "MySQL and schema dump claims" || return 1
  expect_eq "$(kubectl get ns $NS -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')" restricted "Pod Security Admission" || return 1
  echo "pods $pods-> --cluster_self = own name; node list = pods' DNS names via tinode-cluster; PDB maxUnavailable 1; PVC Bound; namespace enforces restricted"
}

step_idempotent() {
  P $MAIN preview --expect-no-changes >"$WORK/logs/preview-nochange.log" 2>&1 || { echo "preview found changes: $(grep -E '^\s+[~+-]' "$WORK/logs/preview-nochange.log" | head -3 | tr -s ' ')"; return 1; }
  echo "$(grep -oE '[0-9]+ unchanged' "$WORK/logs/preview-nochange.log" | tail -1)"
}

step_scale_preview() {
  P $MAIN config set tinode:replicas 5 || return 1
  P $MAIN preview --diff >"$WORK/scale-preview.txt" 2>&1 || { echo "preview failed"; return 1; }
  P $MAIN preview --json >"$WORK/scale-preview.json" 2>"$WORK/logs/scale-preview-json.err" || { echo "preview --json failed"; return 1; }
  local changes
  # "read": the StackReference through which the program reads its previous outputs.
  changes=$(json 'j.steps.filter(s=>s.op!=="same"&&s.op!=="read").map(s=>s.op+":"+s.urn.split("::").pop()).sort().join(" ")' <"$WORK/scale-preview.json")
  # tinode-healer: the self-healer's Role, which names the pods it may read and evict.
  # tinode-server-config: the servers' copy of tinode.conf (the runtime MySQL user's DSN).
  expect_eq "$changes" "update:tinode update:tinode-config update:tinode-healer update:tinode-server-config" "changed resources" || return 1
  local role
  role=$(json 'j.steps.filter(s=>s.op==="update"&&s.urn.endsWith("::tinode-healer")).map(s=>s.urn.split("::")[2].split("$").pop()).join(" ")' <"$WORK/scale-preview.json")
  expect_eq "$role" "kubernetes:rbac.authorization.k8s.io/v1:Role" "the healer resource that changes" || return 1
  echo "only $changes (MySQL, its volume and the schema Job untouched; the healer's Role gains the new pods)"
}

step_scale_up() {
  P $MAIN up --yes --skip-preview >"$WORK/logs/scale-up.log" 2>&1 || { echo "pulumi up failed"; return 1; }
  expect_eq "$(k get sts tinode -o jsonpath='{.status.readyReplicas}')" 5 "ready replicas" || return 1
  local n sums
  n=$(tinode_conf | json 'j.cluster_config.nodes.length')
  expect_eq "$n" 5 "nodes in the config" || return 1
  sums=$(k get pods -l app.kubernetes.io/component=server -o jsonpath='{range .items[*]}{.metadata.annotations.checksum/config}{"\n"}{end}' | sort -u | wc -l)
  expect_eq "$sums" 1 "config checksums across pods" || return 1
  expect_eq "$(k get pvc data-tinode-mysql-0 tinode-schema-dumps -o jsonpath='{.items[*].status.phase}')" "Bound Bound" "MySQL and schema dump claims" || return 1
  echo "5/5 ready, every pod on the same 5-node config (one checksum), MySQL claim still Bound"
}

step_image_upgrade() {
  local before after
  before=$(k get job -l app.kubernetes.io/component=db-init -o jsonpath='{.items[*].metadata.name}')
  P $MAIN config set tinode:image tinode/tinode-mysql:0.25.4 || return 1
  PULUMI_DEBUG_COMMANDS=true P $MAIN up --yes --skip-preview --event-log "$WORK/upgrade-events.json" >"$WORK/logs/upgrade.log" 2>&1 || { echo "pulumi up failed"; return 1; }
  after=$(k get job -l app.kubernetes.io/component=db-init -o jsonpath='{.items[*].metadata.name}')
  [ "$after" != "$before" ] || { echo "the schema Job was not replaced ($before)"; return 1; }
  # In the engine's event order, the new Job's outputs (it completed) come before the StatefulSet's update starts.
  local order
  order=$(node -e '
    const ev = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const at = (pred) => ev.findIndex(pred);
    const jobDone = at(e => e.resOutputsEvent && e.resOutputsEvent.metadata.type === "kubernetes:batch/v1:Job" && e.resOutputsEvent.metadata.op !== "same");
    const stsStart = at(e => e.resourcePreEvent && e.resourcePreEvent.metadata.urn.endsWith(":StatefulSet::tinode"));
    console.log(jobDone >= 0 && stsStart > jobDone ? "ok " + jobDone + "<" + stsStart : "bad " + jobDone + " " + stsStart);' "$WORK/upgrade-events.json")
  [[ "$order" == ok* ]] || { echo "event order: $order"; return 1; }
  expect_eq "$(k get job "$after" -o jsonpath='{.status.succeeded}')" 1 "new Job succeeded" || return 1
  expect_eq "$(k get sts tinode -o jsonpath='{.spec.template.spec.containers[0].image}')" tinode/tinode-mysql:0.25.4 "StatefulSet image" || return 1
  echo "Job $before -> $after completed (event $order) before the StatefulSet rolled to 0.25.4"
}

# What must survive every change below: the MySQL claim (by UID) and the generated secrets (hashed).
data_fingerprint() {
  local conf
  conf=$(tinode_conf)
  echo "claim $(k get pvc data-tinode-mysql-0 -o jsonpath='{.metadata.uid}')" \
    "credentials $(k get secret tinode-mysql-credentials -o jsonpath='{.data.MYSQL_ROOT_PASSWORD}{.data.MYSQL_PASSWORD}' | sha256sum | cut -c1-12)" \
    "keys $(json '[j.store_config.uid_key,j.auth_config.token.key].join()' <<<"$conf" | sha256sum | cut -c1-12)"
}

# full_key KEY: tinode:KEY, or KEY itself when it names its namespace (kubernetes:context).
full_key() { if [[ "$1" == *:* ]]; then echo "$1"; else echo "tinode:$1"; fi; }
# The keys the registry (config/keys.ts) says must be set with --secret.
SECRET_KEYS=" $(cd "$ROOT" && node -r ts-node/register/transpile-only -e 'console.log(require("./config/keys").secretKeys().join(" "))') "
# config_set KEY VALUE: as an operator sets it (--secret for a secret key).
config_set() { if [[ "$SECRET_KEYS" == *" $1 "* ]]; then P $MAIN config set --secret "$(full_key "$1")" "$2"; else P $MAIN config set "$(full_key "$1")" "$2"; fi; }
# set_or_rm KEY VALUE: VALUE "" removes the key (back to Pulumi.yaml's default).
set_or_rm() { if [ -n "$2" ]; then config_set "$1" "$2"; else P $MAIN config rm "$(full_key "$1")"; fi; }

step_data_refusals() {
  local before after c kv key old msg n=0
  before=$(data_fingerprint)
  local cases=(
    "namespace=tinode-moved|tinode:namespace changed from \"$NS\" to \"tinode-moved\""
    "renderYamlTo=$WORK/render-over-cluster|tinode:renderYamlTo is set on a stack deployed to a cluster"
    "kubernetes:context=another-cluster|kubernetes:context changed from (not set) to \"another-cluster\": the Kubernetes provider would be replaced"
    "mysqlUser=chat|tinode:mysqlUser changed from \"tinode\" to \"chat\": MySQL creates its user only when its volume is new"
    "mysqlDatabase=chat|tinode:mysqlDatabase changed from \"tinode\" to \"chat\""
    "mysqlStorageClass=fast|tinode:mysqlStorageClass changed from \"(default)\" to \"fast\""
    "mysqlStorageSize=5Gi|tinode:mysqlStorageSize went from 10Gi to 5Gi: Kubernetes cannot shrink a volume"
    "mysqlImage=mysql:8.0.40|tinode:mysqlImage goes back from 8.4 to 8.0"
    "mysqlExternalDsn=u:p@tcp(db.example:3306)/tinode?parseTime=true|tinode:mysqlExternalDsn moves Tinode from the MySQL this stack runs to an external one"
    "mediaHandler=fs|"
    # Deployed with data kept on delete, the namespace is only forgotten, not deleted.
    "createNamespace=false|"
  )
  for c in "${cases[@]}"; do
    kv=${c%%|*}; msg=${c#*|}; key=${kv%%=*}
    old=$(P $MAIN config get "$(full_key "$key")" 2>/dev/null || true)
    config_set "$key" "${kv#*=}" || return 1
    if [ -z "$msg" ]; then
      # A change that keeps data must pass the guard (a new upload volume).
      P $MAIN preview >"$WORK/logs/guard-$key.log" 2>&1 || { echo "preview refused $kv: $(grep -m1 'tinode:' "$WORK/logs/guard-$key.log")"; return 1; }
    else
      if P $MAIN preview >"$WORK/logs/guard-$key.log" 2>&1; then echo "preview accepted $kv"; return 1; fi
      grep -qF "$msg" "$WORK/logs/guard-$key.log" || { echo "$kv: expected message not found: $(grep -m1 'tinode:' "$WORK/logs/guard-$key.log")"; return 1; }
      grep -qF 'Operations that touch data' "$WORK/logs/guard-$key.log" || { echo "$kv: no procedure named"; return 1; }
      n=$((n + 1))
    fi
    set_or_rm "$key" "$old" || return 1
  done
  after=$(data_fingerprint)
  expect_eq "$after" "$before" "claim and secrets after the refused previews" || return 1
  echo "$n data-losing changes refused at preview, each naming its key and the procedure; a new upload volume passes; $after unchanged"
}

step_grow_volume() {
  local before after sts
  before=$(data_fingerprint)
  sts=$(k get sts tinode-mysql -o jsonpath='{.metadata.uid}')
  P $MAIN config set tinode:mysqlStorageSize 20Gi || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/grow.log" 2>&1 || { echo "pulumi up failed: $(grep -m1 -i error "$WORK/logs/grow.log")"; return 1; }
  expect_eq "$(k get pvc data-tinode-mysql-0 -o jsonpath='{.spec.resources.requests.storage}')" 20Gi "claim size" || return 1
  expect_eq "$(k get sts tinode-mysql -o jsonpath='{.metadata.uid}')" "$sts" "MySQL StatefulSet UID (not replaced)" || return 1
  after=$(data_fingerprint)
  expect_eq "$after" "$before" "claim and secrets" || return 1
  echo "mysqlStorageSize 10Gi -> 20Gi: claim resized in place, StatefulSet not replaced, $after unchanged"
}

# The deployed MySQL -> an external one -> back, each accepted (kwok runs no MySQL, so the Job passes):
# the claim is retained and the passwords are kept, so the switch back finds the data usable.
step_external_and_back() {
  local before after dsn="tinode:pw@tcp(mysql.example:3306)/tinode?parseTime=true"
  before=$(data_fingerprint)
  P $MAIN config rm tinode:mysqlStorageSize || return 1
  P $MAIN config set --secret tinode:mysqlExternalDsn "$dsn" || return 1
  if P $MAIN preview >"$WORK/logs/ext-refused.log" 2>&1; then echo "switch to external accepted without acceptDataChange"; return 1; fi
  P $MAIN config set tinode:acceptDataChange mysqlExternalDsn || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/to-external.log" 2>&1 || { echo "up to external failed: $(grep -m1 -i error "$WORK/logs/to-external.log")"; return 1; }
  if k get sts tinode-mysql >/dev/null 2>&1; then echo "MySQL StatefulSet still there"; return 1; fi
  [[ "$before" == "claim $(k get pvc data-tinode-mysql-0 -o jsonpath='{.metadata.uid}') "* ]] || { echo "claim not retained: $(k get pvc -o name)"; return 1; }
  # The acceptance must go: left in place it is refused.
  if P $MAIN preview >"$WORK/logs/stale-accept.log" 2>&1; then echo "stale acceptDataChange not refused"; return 1; fi
  grep -qF "tinode:acceptDataChange lists mysqlExternalDsn, which does not change now" "$WORK/logs/stale-accept.log" || { echo "stale acceptance: message not found"; return 1; }
  P $MAIN config rm tinode:mysqlExternalDsn || return 1
  # Back to the kept volume: the guard wants its size (20Gi) again.
  if P $MAIN preview >"$WORK/logs/back-small.log" 2>&1; then echo "switch back to a smaller size accepted"; return 1; fi
  grep -qF "tinode:mysqlStorageSize went from 20Gi to 10Gi" "$WORK/logs/back-small.log" || { echo "switch back: size message not found: $(grep -m1 'tinode:' "$WORK/logs/back-small.log")"; return 1; }
  P $MAIN config set tinode:mysqlStorageSize 20Gi || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/to-internal.log" 2>&1 || { echo "up back to internal failed: $(grep -m1 -i error "$WORK/logs/to-internal.log")"; return 1; }
  P $MAIN config rm tinode:acceptDataChange || return 1
  after=$(data_fingerprint)
  expect_eq "$after" "$before" "claim and secrets after external and back" || return 1
  P $MAIN preview --expect-no-changes >"$WORK/logs/after-back.log" 2>&1 || { echo "preview after the switch back is not clean"; return 1; }
  echo "to external (StatefulSet gone, claim kept) and back, each accepted: $after unchanged; stale acceptance refused"
}

# The upload volume: refused changes that would replace or drop it, growth in place.
step_media_volume() {
  local uid
  P $MAIN config set tinode:mediaHandler fs || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/media-up.log" 2>&1 || { echo "pulumi up with fs media failed: $(grep -m1 -i error "$WORK/logs/media-up.log")"; return 1; }
  uid=$(k get pvc tinode-media -o jsonpath='{.metadata.uid}')
  [ -n "$uid" ] || { echo "no upload claim"; return 1; }
  P $MAIN config set tinode:mediaStorageClass nfs || return 1
  if P $MAIN preview >"$WORK/logs/media-class.log" 2>&1; then echo "preview accepted a new mediaStorageClass"; return 1; fi
  grep -qF "tinode:mediaStorageClass changed: the upload volume would be replaced (deleted first)" "$WORK/logs/media-class.log" || { echo "mediaStorageClass: message not found"; return 1; }
  P $MAIN config rm tinode:mediaStorageClass || return 1
  P $MAIN config set tinode:mediaHandler none || return 1
  if P $MAIN preview >"$WORK/logs/media-none.log" 2>&1; then echo "preview accepted dropping the upload volume"; return 1; fi
  grep -qF "tinode:mediaHandler went from fs to none: the upload volume would be deleted" "$WORK/logs/media-none.log" || { echo "mediaHandler: message not found"; return 1; }
  P $MAIN config set tinode:mediaHandler fs || return 1
  P $MAIN config set tinode:mediaStorageSize 30Gi || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/media-grow.log" 2>&1 || { echo "growing the upload volume failed: $(grep -m1 -i error "$WORK/logs/media-grow.log")"; return 1; }
  expect_eq "$(k get pvc tinode-media -o jsonpath='{.metadata.uid} {.spec.resources.requests.storage}')" "$uid 30Gi" "upload claim UID and size" || return 1
  echo "new mediaStorageClass and mediaHandler none refused at preview; mediaStorageSize 20Gi -> 30Gi in place (claim $uid kept)"
}

step_bad_config() {
  new_stack bad replicas=0 namespace=tinode-bad || return 1
  if P bad preview >"$WORK/logs/bad.log" 2>&1; then echo "preview accepted replicas=0"; return 1; fi
  grep -q 'tinode:replicas must be a whole number from 1 to 1023 (got "0")' "$WORK/logs/bad.log" || { echo "message not found: $(grep -m2 -i error "$WORK/logs/bad.log")"; return 1; }
  if kubectl get ns tinode-bad >/dev/null 2>&1; then echo "namespace tinode-bad exists"; return 1; fi
  local n
  n=$(P bad stack export | json '(j.deployment.resources||[]).length')
  expect_eq "$n" 0 "resources in the bad stack's state" || return 1
  echo "preview failed with: tinode:replicas must be a whole number from 1 to 1023 (got \"0\"); nothing created"
}

# Backups on the real CLI and API server: a secret key set without --secret is refused before
# anything changes; with --secret the CronJob, its Secret and NetworkPolicy are created; the
# README's restore Job (a Job from the CronJob with other arguments) passes a server dry run; off
# again, they are gone.
BACKUP_S3_KEYS="backupDestination=s3 backupS3Bucket=chat-backups backupS3Prefix=tinode/e2e backupS3Region=us-east-1 backupS3Endpoint=http://minio.storage:9000 backupS3AccessKeyId=e2e"
step_backup() {
  local kv name
  for kv in $BACKUP_S3_KEYS; do P $MAIN config set "tinode:${kv%%=*}" "${kv#*=}" || return 1; done
  # The CLI itself asks for --secret or --plaintext for a name like this; the program refuses the latter.
  P $MAIN config set --plaintext tinode:backupS3SecretAccessKey plain-text-key || return 1
  if P $MAIN preview >"$WORK/logs/backup-plain.log" 2>&1; then echo "preview accepted a secret key set without --secret"; return 1; fi
  grep -q 'tinode:backupS3SecretAccessKey must be set with --secret' "$WORK/logs/backup-plain.log" || { echo "message not found: $(grep -m2 -i error "$WORK/logs/backup-plain.log")"; return 1; }
  if grep -q plain-text-key "$WORK/logs/backup-plain.log"; then echo "the refused value was echoed"; return 1; fi
  P $MAIN config set --secret tinode:backupS3SecretAccessKey e2e-secret-key || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/backup-up.log" 2>&1 || { echo "pulumi up failed: $(grep -m1 -i error "$WORK/logs/backup-up.log")"; return 1; }
  expect_eq "$(k get cronjob tinode-backup -o jsonpath='{.spec.schedule}|{.spec.concurrencyPolicy}|{.spec.jobTemplate.spec.template.spec.initContainers[0].args}|{.spec.jobTemplate.spec.template.spec.containers[0].image}')" \
    '0 3 * * *|Forbid|["dump","/staging"]|amazon/aws-cli:2.22.35' "CronJob" || return 1
  expect_eq "$(k get secret tinode-backup-s3 -o jsonpath='{.data.AWS_SECRET_ACCESS_KEY}' | base64 -d)" e2e-secret-key "S3 credentials Secret" || return 1
  expect_eq "$(k get networkpolicy tinode-backup -o jsonpath='{.spec.egress[*].ports[*].port}')" "53 53 3306 9000" "backup NetworkPolicy ports" || return 1
  if command -v jq >/dev/null; then
    # The README's S3 restore Job, verbatim but for the server dry run.
    k create job tinode-restore --from=cronjob/tinode-backup --dry-run=client -o json \
      | jq --arg n "tinode-20261126T030000Z" '.spec.template.spec as $p
          | .spec.template.spec.initContainers = [$p.containers[0] | .name = "download" | .args = ["download", $n, "/staging"]]
          | .spec.template.spec.containers = [$p.initContainers[0] | .name = "restore" | .args = ["restore", "/staging/\($n).sql.gz"]]' \
      | kubectl create --dry-run=server -f - >"$WORK/logs/backup-restore-job.log" 2>&1 || { echo "restore Job refused: $(cat "$WORK/logs/backup-restore-job.log")"; return 1; }
  fi
  for kv in $BACKUP_S3_KEYS backupS3SecretAccessKey=; do P $MAIN config rm "tinode:${kv%%=*}" || return 1; done
  P $MAIN up --yes --skip-preview >"$WORK/logs/backup-off.log" 2>&1 || { echo "pulumi up (backups off) failed"; return 1; }
  for name in cronjob/tinode-backup secret/tinode-backup-s3 networkpolicy/tinode-backup configmap/tinode-backup-script; do
    if k get "$name" >/dev/null 2>&1; then echo "$name still there with backups off"; return 1; fi
  done
  echo "secret key set with --plaintext refused by preview (not echoed); with --secret: CronJob, S3 Secret and NetworkPolicy on the API server, README restore Job accepted by a server dry run; backups off removes them"
}

step_render() {
  new_stack render namespace=tinode-render renderYamlTo="$WORK/rendered" || return 1
  P render up --yes --skip-preview >"$WORK/logs/render.log" 2>&1 || { echo "render up failed"; return 1; }
  local files
  files=$(find "$WORK/rendered" -name '*.yaml' | wc -l)
  # The namespace must exist for a dry run of what goes in it; create it for real, dry-run the rest.
  kubectl apply -f "$(grep -l '^kind: Namespace' -r "$WORK/rendered")" >/dev/null || return 1
  kubectl apply --dry-run=server -R -f "$WORK/rendered" >"$WORK/logs/render-dry-run.log" 2>&1 || { echo "dry run failed: $(grep -m1 -i error "$WORK/logs/render-dry-run.log")"; return 1; }
  kubectl delete ns tinode-render --wait=false >/dev/null
  echo "$files manifests rendered without a cluster; kubectl apply --dry-run=server accepted $(grep -c 'server dry run' "$WORK/logs/render-dry-run.log") objects"
}

# Every generated fuzz case the program accepts (test/fuzzCases.ts: one key set to a hostile or
# careless value), rendered under the mock runtime (e2e/fuzz.ts), then validated object by object by
# the real kube-apiserver: what the program accepts, the API server must accept. Runs after
# step_matrix, which installs the Gateway API and cert-manager CRDs.
step_fuzz() {
  local d="$WORK/fuzz" summary ns refused unvalidated
  summary=$(cd "$ROOT" && npx ts-node --transpile-only e2e/fuzz.ts "$d" 2>"$WORK/logs/fuzz-render.err") || { echo "rendering the accepted cases failed: $(tail -n 3 "$WORK/logs/fuzz-render.err" | paste -sd ' ')"; return 1; }
  for ns in $(jq -r '.namespaces[]' <<<"$summary"); do
    kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns" >/dev/null || { echo "namespace $ns could not be made"; return 1; }
  done
  # API groups whose CRDs this cluster lacks (the Prometheus Operator's) cannot be validated: set aside, counted.
  local known f version unchecked=""
  known=$(kubectl api-versions)
  mkdir -p "$WORK/fuzz-no-crd"
  while IFS=$'\t' read -r f version; do
    grep -qxF "$version" <<<"$known" || mv "$f" "$WORK/fuzz-no-crd/"
  done < <(jq -r '[input_filename, .apiVersion] | @tsv' "$d"/*.json)
  unvalidated=$(find "$WORK/fuzz-no-crd" -name '*.json' | wc -l)
  [ "$unvalidated" = 0 ] || unchecked="; $unvalidated not validated: no CRD here for $(jq -r .apiVersion "$WORK"/fuzz-no-crd/*.json | sort -u | paste -sd ' ')"
  if ! kubectl apply --dry-run=server -f "$d" >"$WORK/logs/fuzz-dry-run.log" 2>&1; then
    refused=$(grep -c '^Error' "$WORK/logs/fuzz-dry-run.log" || true)
    echo "the API server refused ${refused:-some} object(s) the program accepted: $(grep -m 3 '^Error' "$WORK/logs/fuzz-dry-run.log" | paste -sd ' ')"
    return 1
  fi
  for ns in $(jq -r '.namespaces[]' <<<"$summary"); do [ "$ns" = "$NS" ] || kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1; done
  echo "$(jq -r '"\(.cases) generated cases, \(.accepted) accepted; their \(.objects) distinct objects"' <<<"$summary"): kubectl apply --dry-run=server accepted $(grep -c 'server dry run' "$WORK/logs/fuzz-dry-run.log"), refused 0$unchecked"
}

# Every accepted config of test/acceptedConfigs.ts, rendered by the real program and providers, then
# validated object by object by the real kube-apiserver (server-side dry run).
step_matrix() {
  local stack ns dir configs=0 objects=0 line
  for stack in $(cd "$PROJECT" && npx ts-node --transpile-only e2e/matrix.ts stacks); do
    (cd "$PROJECT" && pulumi stack init "$stack" --non-interactive >/dev/null) || return 1
  done
  mkdir -p "$WORK/matrix"
  (cd "$PROJECT" && npx ts-node --transpile-only e2e/matrix.ts "$PROJECT" "$WORK/matrix") >"$WORK/matrix.txt" || return 1
  local secrets k v gateway_crds="" cert_manager_crds="" skipped=""
  # The Gateway API routes are custom resources: the API server validates them against the standard
  # channel's CRDs (e2e/tools build-gateway-api.sh), installed here as a cluster operator would.
  if command -v gateway-api-crds >/dev/null && gateway_crds=$(gateway-api-crds); then
    kubectl apply --server-side -f "$gateway_crds" >"$WORK/logs/gateway-crds.log" 2>&1 || { echo "the Gateway API CRDs were refused: $(tail -n 1 "$WORK/logs/gateway-crds.log")"; return 1; }
    kubectl wait --for=condition=Established crd/httproutes.gateway.networking.k8s.io crd/grpcroutes.gateway.networking.k8s.io --timeout=60s >/dev/null || return 1
  fi
  # The Certificate of a LoadBalancer's TLS proxy (serviceClusterIssuer): cert-manager's CRDs (e2e/tools).
  if command -v cert-manager-crds >/dev/null && cert_manager_crds=$(cert-manager-crds); then
    kubectl apply --server-side -f "$cert_manager_crds" >"$WORK/logs/cert-manager-crds.log" 2>&1 || { echo "cert-manager's CRDs were refused: $(tail -n 1 "$WORK/logs/cert-manager-crds.log")"; return 1; }
    kubectl wait --for=condition=Established crd/certificates.cert-manager.io --timeout=60s >/dev/null || return 1
  fi
  while read -r stack ns dir secrets; do
    if [ "$ns" = m-gateway ] && [ -z "$gateway_crds" ]; then
      skipped="; SKIPPED $stack: no Gateway API CRDs in the tools cache (npm run e2e:tools gateway-api)"
      configs=$((configs + 1)); continue
    fi
    if [ "$ns" = m-lb-issuer ] && [ -z "$cert_manager_crds" ]; then
      skipped="$skipped; SKIPPED $stack: no cert-manager CRDs in the tools cache (npm run e2e:tools cert-manager)"
      configs=$((configs + 1)); continue
    fi
    # Secret values as an operator sets them (base64 through the loop: JSON values hold backslashes).
    while IFS=$'\t' read -r k v; do
      # From stdin: the value never appears on a command line.
      base64 -d <<<"$v" | P "$stack" config set --secret "tinode:$k" >/dev/null || { echo "$stack: could not set $k"; return 1; }
    done < <(jq -r 'to_entries[] | [.key, (.value | @base64)] | @tsv' "$secrets")
    P "$stack" up --yes --skip-preview >"$WORK/logs/$stack.log" 2>&1 || { echo "$stack: render failed: $(grep -m1 -iE 'error|tinode:' "$WORK/logs/$stack.log")"; return 1; }
    # Namespaced objects need their namespace: create it for real (as rendered, when the stack creates it).
    line=$(grep -l '^kind: Namespace' -r "$dir" || true)
    if [ -n "$line" ]; then kubectl apply -f "$line" >/dev/null || return 1; else kubectl create namespace "$ns" >/dev/null || return 1; fi
    kubectl apply --dry-run=server -R -f "$dir" >"$WORK/logs/$stack-dry-run.log" 2>&1 || { echo "$stack: the API server refused: $(grep -m1 -iE 'error|invalid' "$WORK/logs/$stack-dry-run.log")"; return 1; }
    objects=$((objects + $(grep -c 'server dry run' "$WORK/logs/$stack-dry-run.log")))
    configs=$((configs + 1))
    kubectl delete namespace "$ns" --wait=false >/dev/null
  done <"$WORK/matrix.txt"
  expect_eq "$configs" "$(wc -l <"$WORK/matrix.txt")" "configs checked" || return 1
  echo "$configs accepted configs rendered; kubectl apply --dry-run=server accepted all $objects objects${gateway_crds:+ (Gateway API CRDs installed)}${cert_manager_crds:+ (cert-manager CRDs installed)}$skipped"
}

# The previous release of the program (PREVIOUS_RELEASE, a commit) deploys a stack with every optional
# resource whose Pulumi name changed; the current program then previews on that stack. Renamed
# resources carry their old names as aliases (builders/names.ts), so nothing may be replaced, created
# or deleted. The updates expected, each for its own reason: the MySQL NetworkPolicy's version label
# (the previous release wrongly took it from Tinode's image); the Tinode pods' wait for MySQL (an init
# container) and their egress to the peers' HTTP port for the cluster-settle probe (issue 23); the
# owner annotation on the namespace and the data claims, which keeps a second stack off them, and the
# backup script's check of the S3 prefix's owner (issue 17): an update in place, ConfigMaps being mutable;
# MySQL's MYSQL_ROOT_HOST (root from inside its pod only, issue 19), which restarts its pod once and
# applies to data directories made from then on; the gRPC Ingress's backend, now a Service of the gRPC
# port alone (created), whose protocol a controller may set for the whole Service (issue 20).
PREVIOUS_RELEASE=${PREVIOUS_RELEASE:-c1b21a0}
PREV_NS=tinode-prev
step_previous_release() {
  local prev="$WORK/previous" changes reasons
  mkdir -p "$prev"
  git -C "$ROOT" archive "$PREVIOUS_RELEASE" | tar -x -C "$prev" || { echo "no commit $PREVIOUS_RELEASE"; return 1; }
  ln -s "$ROOT/node_modules" "$prev/node_modules"
  PP() { (cd "$prev" && timeout "${PULUMI_TIMEOUT:-600}" pulumi --non-interactive "$@" --stack previous); }
  (cd "$prev" && pulumi stack init previous --non-interactive >/dev/null) || return 1
  local kv
  for kv in namespace=$PREV_NS replicas=1 networkPolicies=true mediaHandler=fs backupDestination=volume \
    ingressHost=chat.example.com ingressClusterIssuer=letsencrypt ingressGrpcHost=grpc.example.com; do
    PP config set "tinode:${kv%%=*}" "${kv#*=}" || return 1
  done
  # No ingress controller here: play its part, or the provider waits for a load balancer address
  # until it times out. The loop ends with the up (at most the up's own time bound).
  ( for _ in $(seq 1 300); do
      for ing in $(kubectl -n $PREV_NS get ingress -o name 2>/dev/null); do
        kubectl -n $PREV_NS patch "$ing" --subresource=status --type=merge \
          -p '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}' >/dev/null 2>&1
      done
      sleep 2
    done ) &
  local lb=$!
  PP up --yes --skip-preview >"$WORK/logs/previous-up.log" 2>&1 || { kill $lb; echo "pulumi up of $PREVIOUS_RELEASE failed: $(grep -m1 -i error "$WORK/logs/previous-up.log")"; return 1; }
  kill $lb; wait $lb 2>/dev/null
  # The same stack (config file with its encryption salt) under the current program.
  cp "$prev/Pulumi.previous.yaml" "$PROJECT/"
  P previous preview --diff >"$WORK/logs/previous-preview.txt" 2>&1 || { echo "preview failed"; return 1; }
  P previous preview --json >"$WORK/previous-preview.json" 2>"$WORK/logs/previous-preview-json.err" || { echo "preview --json failed"; return 1; }
  changes=$(json 'j.steps.filter(s=>s.op!=="same"&&s.op!=="read").map(s=>s.op+":"+s.urn.split("$").pop()).sort().join(" ")' <"$WORK/previous-preview.json")
  # Created: the servers' MySQL user (its password and MySQL's init file) and their copy of tinode.conf.
  # Replaced: the finished schema Job, whose pod template (the dump's script) changed and is immutable;
  # it runs init-db --upgrade once more, which leaves a current schema as it is.
  expect_eq "$changes" "create:kubernetes:core/v1:Secret::tinode-mysql-runtime-user create:kubernetes:core/v1:Secret::tinode-server-config create:kubernetes:core/v1:Service::tinode-grpc create:random:index/randomPassword:RandomPassword::tinode-mysql-runtime-password replace:kubernetes:batch/v1:Job::tinode-db-init update:kubernetes:apps/v1:StatefulSet::tinode update:kubernetes:apps/v1:StatefulSet::tinode-mysql update:kubernetes:core/v1:ConfigMap::tinode-backup-script update:kubernetes:core/v1:Namespace::tinode-namespace update:kubernetes:core/v1:PersistentVolumeClaim::tinode-backups update:kubernetes:core/v1:PersistentVolumeClaim::tinode-media update:kubernetes:core/v1:PersistentVolumeClaim::tinode-schema-dumps update:kubernetes:networking.k8s.io/v1:Ingress::tinode update:kubernetes:networking.k8s.io/v1:Ingress::tinode-grpc update:kubernetes:networking.k8s.io/v1:NetworkPolicy::tinode-mysql update:kubernetes:networking.k8s.io/v1:NetworkPolicy::tinode-server" "changes on the previous release's stack" || return 1
  # Each update changes only what its reason names (detailedDiff paths, by resource).
  reasons=$(json 'j.steps.filter(s=>s.op==="update").map(s=>s.urn.split("::").pop()+"="+Object.keys(s.detailedDiff||{}).sort().join(",")).sort().join(" ")' <"$WORK/previous-preview.json")
  local r
  # only_under PREFIX PATHS: every comma-separated detailedDiff path starts with PREFIX.
  only_under() { local p; IFS=, read -ra ps <<<"$2"; for p in "${ps[@]}"; do [[ "$p" == "$1"* ]] || return 1; done; }
  # only_under_any PREFIXES PATHS: every path starts with one of the space-separated PREFIXES.
  only_under_any() { local p q ok; IFS=, read -ra ps <<<"$2"; for p in "${ps[@]}"; do ok=; for q in $1; do [[ "$p" == "$q"* ]] && ok=1; done; [ -n "$ok" ] || return 1; done; }
  for r in $reasons; do
    case "$r" in
      tinode-mysql=*labels*version*) [[ "$r" != *,* ]] ;;
      tinode-mysql=spec.template.spec.containers*) only_under_any "spec.template.spec.containers[0].env spec.template.spec.containers[0].args spec.template.spec.containers[0].volumeMounts spec.template.spec.volumes" "${r#*=}" ;;
      tinode-server=spec.egress*) [[ "$r" != *,* ]] ;;
      # The StatefulSet and the Ingress are both "tinode": the Ingress now routes the client paths only.
      tinode=*) only_under_any "spec.template.spec.initContainers spec.template.spec.volumes spec.template.metadata.annotations spec.rules[0].http.paths" "${r#*=}" ;;
      # The gRPC Ingress now routes to a Service of the gRPC port alone (tinode-grpc, created).
      tinode-grpc=*) only_under "spec.rules[0].http.paths[0].backend.service.name" "${r#*=}" ;;
      tinode-backup-script=data*) [[ "$r" != *,* ]] ;;
      tinode-namespace=metadata.annotations* | tinode-backups=metadata.annotations* | tinode-media=metadata.annotations* | tinode-schema-dumps=metadata.annotations*) [[ "$r" != *,* ]] ;;
      *) false ;;
    esac || { echo "an update changes more than its reason: '$r' (all: $reasons)"; return 1; }
  done
  # Then apply it: every object keeps its UID, and the state holds the new names (the aliases took).
  local objects="statefulset,service,poddisruptionbudget,networkpolicy,ingress,secret,configmap,pvc,cronjob"
  local uids_before uids_after names_before names_after renamed same
  uids_before=$(kubectl -n $PREV_NS get $objects -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{"\n"}{end}' | sort)
  names_before=$(P previous stack export | json 'j.deployment.resources.map(r=>r.urn.split("::").pop()).sort().join("\n")')
  P previous up --yes --skip-preview >"$WORK/logs/previous-current-up.log" 2>&1 || { echo "pulumi up of the current program failed"; return 1; }
  uids_after=$(kubectl -n $PREV_NS get $objects -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{"\n"}{end}' | sort)
  # Every object that was there keeps its UID (the Secrets created by the preview's creates join them).
  expect_eq "$(grep -F -f <(sed 's/=.*/=/' <<<"$uids_before") <<<"$uids_after")" "$uids_before" "objects and their UIDs after the up" || return 1
  names_after=$(P previous stack export | json 'j.deployment.resources.map(r=>r.urn.split("::").pop()).sort().join("\n")')
  renamed=$(comm -23 <(echo "$names_before" | sort -u) <(echo "$names_after" | sort -u) | tr '\n' ' ')
  [ -n "$renamed" ] || { echo "no resource was renamed: the step proves nothing"; return 1; }
  same=$(json 'j.changeSummary.same' <"$WORK/previous-preview.json")
  P previous destroy --yes --skip-preview >"$WORK/logs/previous-destroy.log" 2>&1 || { echo "destroy failed"; return 1; }
  echo "$PREVIOUS_RELEASE's stack: preview $same same, 4 creates (the servers' MySQL user and config, the gRPC Ingress's Service), the finished schema Job replaced (run again), 11 updates ($reasons), nothing deleted; after up, $(wc -l <<<"$uids_after") objects keep their UIDs; renamed through aliases: $renamed"
}

# object_uids: the UIDs of the namespace and of every object a stack makes in it but pods and Jobs
# (which come and go on their own), one line each, sorted.
object_uids() {
  { kubectl get ns "$NS" -o jsonpath='{.metadata.uid}{"\n"}'
    k get statefulsets,deployments,services,secrets,configmaps,pvc,networkpolicies,poddisruptionbudgets,cronjobs \
      -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.uid}{"\n"}{end}'; } | sort
}
# data_uids: the namespace, the claims and the Secrets with the passwords and keys.
data_uids() { object_uids | grep -E '^[0-9a-f-]+$|^PersistentVolumeClaim/|^Secret/tinode-(config|mysql-credentials) '; }

# A second stack with the same config on the same cluster (a colleague's stack, a renamed project, a
# stack rm + init): it must not take over the first stack's objects, and its destroy must leave them.
# Its preview asks the cluster (kubectl) who owns the namespace and refuses, naming the owner, before
# it registers anything; so does its up. (pulumi-kubernetes 4.25 alone could not tell at preview: it
# dry-runs a create with force, provider/pkg/await/await.go patchForce; the owner annotation's
# field conflict would stop the up on the namespace, builders/labels.ts.)
step_second_stack() {
  local before uids refusal owner
  before=$(data_fingerprint); uids=$(object_uids)
  owner=$(kubectl get ns "$NS" -o jsonpath='{.metadata.annotations.tinode\.co/stack}')
  new_stack intruder namespace=$NS sampleData=true || return 1
  if P intruder preview >"$WORK/logs/intruder-preview.log" 2>&1; then echo "the second stack's preview succeeded"; return 1; fi
  refusal=$(grep -m1 -oE "tinode:namespace \"$NS\" belongs to stack [^ ]+" "$WORK/logs/intruder-preview.log") \
    || { echo "preview failed, but not on the owner: $(grep -m1 -iE 'error' "$WORK/logs/intruder-preview.log")"; return 1; }
  [[ "$refusal" == *" $owner" ]] || { echo "the refusal names another owner than $owner: $refusal"; return 1; }
  if P intruder up --yes --skip-preview >"$WORK/logs/intruder-up.log" 2>&1; then echo "the second stack's up succeeded"; return 1; fi
  grep -q "belongs to stack $owner" "$WORK/logs/intruder-up.log" || { echo "up failed, but not on the owner: $(grep -m1 -iE 'error' "$WORK/logs/intruder-up.log")"; return 1; }
  # Nothing in its state: it registered no resource at all.
  local owned; owned=$(P intruder stack export | json '(j.deployment.resources||[]).filter(r=>!r.type.startsWith("pulumi:")).map(r=>r.type+" "+r.urn.split("::").pop()).join(", ")')
  [ -z "$owned" ] || { echo "the second stack holds resources after its refused up: $owned"; return 1; }
  P intruder destroy --yes --skip-preview >"$WORK/logs/intruder-destroy.log" 2>&1 || { echo "the second stack's destroy failed"; return 1; }
  expect_eq "$(object_uids)" "$uids" "the first stack's objects (kind/name UID) after the second stack's preview, up and destroy" || return 1
  expect_eq "$(data_fingerprint)" "$before" "claim and secrets" || return 1
  P intruder stack rm --yes >/dev/null 2>&1
  echo "the second stack's preview and up refused before registering anything: \"$refusal\"; its destroy deleted nothing; all $(wc -l <<<"$uids") objects of the first stack kept their UIDs"
}

# A stack deployed into a namespace it did not make (createNamespace false), which may hold other
# applications: switching to true would take the namespace over, and a destroy with
# deleteDataOnDestroy would then delete it with everything in it. Refused at preview; nothing changes.
step_namespace_takeover() {
  local ns=tinode-shared owned
  kubectl create namespace $ns >/dev/null || return 1
  kubectl -n $ns create configmap someone-elses --from-literal=app=other >/dev/null || return 1
  new_stack shared namespace=$ns createNamespace=false replicas=1 || return 1
  P shared up --yes --skip-preview >"$WORK/logs/shared-up.log" 2>&1 || { echo "up into an existing namespace failed: $(grep -m1 -i error "$WORK/logs/shared-up.log")"; return 1; }
  owned=$(kubectl get ns $ns -o jsonpath='{.metadata.uid}')
  P shared config set tinode:createNamespace true || return 1
  if P shared preview >"$WORK/logs/shared-takeover.log" 2>&1; then echo "createNamespace false -> true accepted"; return 1; fi
  grep -qF "tinode:createNamespace went from false to true: the stack would take over namespace \"$ns\"" "$WORK/logs/shared-takeover.log" \
    || { echo "refused, but not for the takeover: $(grep -m1 'tinode:' "$WORK/logs/shared-takeover.log")"; return 1; }
  grep -qF 'Operations that touch data' "$WORK/logs/shared-takeover.log" || { echo "no procedure named"; return 1; }
  expect_eq "$(kubectl get ns $ns -o jsonpath='{.metadata.uid}') $(kubectl -n $ns get configmap someone-elses -o jsonpath='{.data.app}')" "$owned other" "the namespace and its other contents" || return 1
  P shared config rm tinode:createNamespace && P shared destroy --yes --skip-preview >/dev/null 2>&1 && P shared stack rm --yes >/dev/null 2>&1
  kubectl delete namespace $ns --wait=false >/dev/null
  echo "createNamespace false -> true on a stack deployed into namespace $ns refused at preview, naming the key and the procedure; the namespace (same UID) and another application's ConfigMap untouched"
}

step_destroy() {
  local kept gone before i note retained named
  kept=$(data_uids); before=$(data_fingerprint)
  # What the stack says destroy keeps (its output keptOnDestroy, printed by every up), and the command.
  note=$(P $MAIN stack output keptOnDestroy) || { echo "no keptOnDestroy output"; return 1; }
  [[ "$note" == "kept in the cluster: namespace $NS with claims "*"; to delete them: kubectl delete namespace $NS" ]] || { echo "keptOnDestroy says: $note"; return 1; }
  P $MAIN destroy --yes --skip-preview >"$WORK/logs/destroy.log" 2>&1 || { echo "destroy failed"; return 1; }
  expect_eq "$(P $MAIN stack export | json '(j.deployment.resources||[]).length')" 0 "resources left in state" || return 1
  # destroy marks [retain] exactly what keptOnDestroy named: the namespace, the claims Pulumi made
  # (MySQL's is the StatefulSet controller's) and the data Secrets.
  named=$( { echo tinode-namespace; sed -E 's/.* with claims (.*) and Secrets ([^(]*) \(.*/\1, \2/' <<<"$note" | tr -d ' ' | tr ',' '\n' | grep -v '^data-'; } | sort | paste -sd ' ')
  retained=$(grep -oE '(Namespace|PersistentVolumeClaim|Secret) [a-z0-9-]+ deleted \([0-9.]+s\)\[retain\]' "$WORK/logs/destroy.log" | awk '{print $2}' | sort | paste -sd ' ')
  expect_eq "$retained" "$named" "objects destroy marked [retain] against keptOnDestroy" || return 1
  # By default the data stays: the namespace, the claims and the Secrets, same UIDs; nothing else.
  expect_eq "$(data_uids)" "$kept" "namespace, claims and data Secrets after destroy" || return 1
  gone=$(k get statefulsets,deployments,services,configmaps,networkpolicies,poddisruptionbudgets -o name | grep -v 'configmap/kube-root-ca.crt' || true)
  [ -z "$gone" ] || { echo "left besides the data: $(echo $gone)"; return 1; }
  # The way back (README): the stack takes the kept secrets over, and up finds its data.
  (cd "$PROJECT" && bash "$ROOT/scripts/adopt-kept-data.sh" $MAIN $NS) >"$WORK/logs/adopt.log" 2>&1 || { echo "adopt-kept-data.sh failed: $(tail -n 1 "$WORK/logs/adopt.log")"; return 1; }
  P $MAIN up --yes --skip-preview >"$WORK/logs/adopt-up.log" 2>&1 || { echo "up over the kept data failed: $(grep -m1 -iE 'error|conflict' "$WORK/logs/adopt-up.log")"; return 1; }
  expect_eq "$(data_fingerprint)" "$before" "MySQL claim, credentials and keys after taking the kept data over" || return 1
  # The opt-in clean-up: recorded by an up, then destroy deletes everything.
  P $MAIN config set tinode:deleteDataOnDestroy true || return 1
  P $MAIN up --yes --skip-preview >"$WORK/logs/cleanup-up.log" 2>&1 || { echo "up with deleteDataOnDestroy failed"; return 1; }
  expect_eq "$(P $MAIN stack output keptOnDestroy)" "nothing: deleteDataOnDestroy deletes namespace $NS with the data in it" "keptOnDestroy with deleteDataOnDestroy" || return 1
  P $MAIN destroy --yes --skip-preview >"$WORK/logs/cleanup-destroy.log" 2>&1 || { echo "destroy with deleteDataOnDestroy failed"; return 1; }
  for i in $(seq 1 60); do kubectl get ns $NS >/dev/null 2>&1 || break; sleep 1; done
  if kubectl get ns $NS >/dev/null 2>&1; then echo "namespace $NS still there after the opt-in clean-up"; return 1; fi
  echo "$(grep -oE '[0-9]+ deleted' "$WORK/logs/destroy.log" | tail -1), state empty, kept with the same UIDs: the namespace, $(echo "$kept" | grep -c '^PersistentVolumeClaim/') claims, $(echo "$kept" | grep -c '^Secret/') Secrets; adopt-kept-data.sh + up: $before again; with deleteDataOnDestroy: $(grep -oE '[0-9]+ deleted' "$WORK/logs/cleanup-destroy.log" | tail -1), namespace gone"
}
