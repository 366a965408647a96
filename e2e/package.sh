#!/usr/bin/env bash
# Sourced by e2e/run.sh: the component package (package.ts, PulumiPlugin.yaml) used the way other
# programs use it, and the policy pack on a real preview. Both need the language hosts of the SDK's
# Pulumi release (the cache's `pulumi` tool carries an older Node.js host, e2e/tools/build-pulumi.sh);
# without them each step says SKIPPED and why.
# Uses: P, new_stack (pulumi.sh), project_copy, WORK, ROOT, MAIN, expect_eq (steps.sh).

PKG="$WORK/package"

# package_hosts_missing: why these steps cannot run here, or nothing.
package_hosts_missing() {
  local missing
  missing=$(tools_missing pulumi-hosts pulumi-yaml)
  [ -z "$missing" ] || echo "SKIPPED: language hosts not built: $(echo $missing) (PULUMI_SRC=<clone of pulumi/pulumi> npm run e2e:tools $(echo $missing))"
}

# with_hosts CMD...: CMD with the Node.js, Python and YAML hosts ahead of the cache's older Node.js
# host. The CLI takes a language host from PATH only with ambient plugins allowed (it then warns
# once per plugin found there).
with_hosts() {
  (
    PATH="$(tool_dir pulumi-hosts "$PULUMI_VERSION")/bin:$(tool_dir pulumi-yaml "$PULUMI_YAML_VERSION")/bin:$PATH"
    unset PULUMI_IGNORE_AMBIENT_PLUGINS
    "$@"
  )
}

# X DIR STACK ARGS...: pulumi on a stack of the example program in DIR.
X() {
  local dir=$1 stack=$2
  shift 2
  (cd "$dir" && with_hosts timeout "${PULUMI_TIMEOUT:-600}" pulumi --non-interactive "$@" --stack "$stack")
}

# example_stack DIR STACK KEY=VALUE...: a new stack of the example in DIR with its config.
example_stack() {
  local dir=$1 stack=$2 kv
  shift 2
  (cd "$dir" && with_hosts pulumi stack init "$stack" --non-interactive >/dev/null 2>&1) || return 1
  for kv in "$@"; do X "$dir" "$stack" config set "${kv%%=*}" "${kv#*=}" || return 1; done
}

# ready NAMESPACE: the objects the main step waits for, in NAMESPACE.
ready() {
  expect_eq "$(kubectl -n "$1" get sts tinode -o jsonpath='{.status.readyReplicas}')" 3 "$1: ready Tinode replicas" &&
    expect_eq "$(kubectl -n "$1" get sts tinode-mysql -o jsonpath='{.status.readyReplicas}')" 1 "$1: ready MySQL replicas" &&
    expect_eq "$(kubectl -n "$1" get job -l app.kubernetes.io/component=db-init -o jsonpath='{.items[*].status.succeeded}')" 1 "$1: schema Job succeeded"
}

# The examples, set up as their README says: the packed package installed with npm (TypeScript), and
# `pulumi package add` of this repository (YAML, Python). Each renders the same settings as the stack
# program, and the YAML and Python ones deploy.
step_package_examples() {
  local why src=$PKG/src lang tgz logs=$WORK/logs
  why=$(package_hosts_missing)
  if [ -n "$why" ]; then echo "$why"; return 0; fi
  # The package's source with a node_modules of its own: `pulumi package add` runs npm install in it.
  project_copy "$ROOT" "$src" && rm "$src/node_modules" && cp -a "$ROOT/node_modules" "$src/" || return 1
  (cd "$src" && npm pack --pack-destination "$PKG" >"$logs/package-pack.log" 2>&1) || { echo "npm pack failed: $(tail -3 "$logs/package-pack.log")"; return 1; }
  tgz=$(ls "$PKG"/tinode-k8s-*.tgz)
  for lang in typescript yaml python; do cp -r "$ROOT/examples/$lang" "$PKG/$lang"; done
  (cd "$PKG/typescript" && npm install --no-audit --no-fund "$tgz" >"$logs/package-typescript-install.log" 2>&1) ||
    { echo "npm install of $(basename "$tgz") failed"; return 1; }
  for lang in yaml python; do
    example_stack "$PKG/$lang" render namespace=pkg-render "renderYamlTo=$PKG/render-$lang" || return 1
    # Python: the program's virtualenv with its requirements (pulumi), where package add installs the SDK.
    [ "$lang" = yaml ] || (cd "$PKG/$lang" && with_hosts timeout 600 pulumi install) >"$logs/package-$lang-install.log" 2>&1 ||
      { echo "$lang: pulumi install failed: $(tail -1 "$logs/package-$lang-install.log")"; return 1; }
    (cd "$PKG/$lang" && with_hosts timeout 600 pulumi package add "$src") >"$logs/package-$lang-add.log" 2>&1 ||
      { echo "$lang: pulumi package add failed: $(grep -m1 -i error "$logs/package-$lang-add.log")"; return 1; }
  done
  example_stack "$PKG/typescript" render namespace=pkg-render "renderYamlTo=$PKG/render-typescript" || return 1
  new_stack pkgrender namespace=pkg-render mysqlStorageSize=1Gi schemaDumpStorageSize=1Gi "renderYamlTo=$PKG/render-stack" || return 1
  P pkgrender up --yes --skip-preview >"$logs/package-render-stack.log" 2>&1 || { echo "the stack program's render failed"; return 1; }
  for lang in typescript yaml python; do
    X "$PKG/$lang" render up --yes --skip-preview >"$logs/package-render-$lang.log" 2>&1 ||
      { echo "$lang: render failed: $(grep -m1 -iE 'error|invalid' "$logs/package-render-$lang.log")"; return 1; }
  done
  npx ts-node --transpile-only e2e/renderedObjects.ts "$PKG"/render-{stack,typescript,yaml,python} >"$logs/package-compare.log" 2>&1 ||
    { cat "$logs/package-compare.log"; echo "the programs' objects differ"; return 1; }
  cat "$logs/package-compare.log"
  # Deployed: YAML and Python side by side, each in a namespace of its own.
  local pids=() failed=0 pid
  for lang in yaml python; do
    example_stack "$PKG/$lang" cluster "namespace=pkg-$lang" || return 1
    X "$PKG/$lang" cluster up --yes --skip-preview >"$logs/package-up-$lang.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed = 0 ] || { echo "pulumi up of an example failed: $(grep -h -m1 -i error "$logs"/package-up-{yaml,python}.log)"; return 1; }
  ready pkg-yaml && ready pkg-python || return 1
  echo "stack program, TypeScript (npm pack + install), YAML and Python (pulumi package add) render the same $(grep -oE '[0-9]+ objects' "$logs/package-compare.log" | head -1); YAML and Python stacks up: tinode 3/3, mysql 1/1, schema Job complete in pkg-yaml and pkg-python"
}

# CrossGuard on a real preview: a stack as production has it (the defaults) passes the pack; two
# Tinode replicas on it, and the main stack's sample data outside a dev stack, are reported.
step_policy_pack() {
  local why out=$WORK/logs/policy-preview
  why=$(package_hosts_missing)
  if [ -n "$why" ]; then echo "$why"; return 0; fi
  [ -d "$ROOT/policy/node_modules" ] || npm --prefix "$ROOT/policy" ci --no-audit --no-fund >/dev/null 2>&1 || { echo "policy pack: npm ci failed"; return 1; }
  new_stack policy namespace=tinode-policy || return 1
  with_hosts P policy preview --policy-pack "$ROOT/policy" >"$out.log" 2>&1 ||
    { echo "preview with the pack failed: $(grep -m2 -E 'error|mandatory' "$out.log" | tr -s ' ')"; return 1; }
  grep -q "✅ tinode-policies" "$out.log" || { echo "the pack's pass line is missing"; return 1; }
  P policy config set tinode:replicas 2 || return 1
  local replicas_rc sample_rc
  with_hosts P policy preview --policy-pack "$ROOT/policy" >"$out-replicas.log" 2>&1
  replicas_rc=$?
  with_hosts P $MAIN preview --policy-pack "$ROOT/policy" >"$out-sample.log" 2>&1
  sample_rc=$?
  [ $replicas_rc -ne 0 ] && grep -q "\[mandatory\]  tinode-replicas-odd-min-3" "$out-replicas.log" ||
    { echo "2 replicas not reported by the pack (preview exit $replicas_rc)"; return 1; }
  [ $sample_rc -ne 0 ] && grep -q "\[mandatory\]  tinode-sample-data-dev-only" "$out-sample.log" ||
    { echo "sample data on stack $MAIN not reported by the pack (preview exit $sample_rc)"; return 1; }
  echo "stack with the defaults: ✅ tinode-policies; replicas 2: exit $replicas_rc, [mandatory] tinode-replicas-odd-min-3; stack $MAIN (sampleData): exit $sample_rc, [mandatory] tinode-sample-data-dev-only"
}
