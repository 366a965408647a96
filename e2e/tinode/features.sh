#!/usr/bin/env bash
# npm run e2e:features — the Tinode features this program configures (tinode:email, push, webrtc,
# mediaCorsOrigins, housekeeping), all on at once, run by the real Tinode server: the generated
# config is accepted and every feature is initialised; email verification works end to end through
# a real SMTP server (mailpit, with STARTTLS and a password); the ICE servers reach clients in the
# answer to {hi}. Clients are Tinode's official JavaScript SDK (features.ts). See README.md.
#
# One node, in its own network namespace and root laid out like the image, as run.sh does (same
# helpers, cluster.sh); MariaDB and mailpit in the hub namespace. Prints PASS/FAIL per check with its
# evidence above it and "N passed, M failed" last; exits non-zero on any failure. Without the tools
# (Tinode, mailpit, the database root) it prints SKIPPED and exits 0. Needs root. E2E_TIMEOUT
# (seconds, default 300) bounds the run; KEEP_LOGS=1 keeps the logs (always kept on failure).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
CHECKS=10
MAILPIT_BIN="$(tool_dir mailpit "$MAILPIT_VERSION")/bin/mailpit"

missing=()
tool_present tinode "$TINODE_VERSION" tinode init-db || missing+=("tinode (npm run e2e:tools)")
tool_present mailpit "$MAILPIT_VERSION" mailpit || missing+=("mailpit (npm run e2e:tools)")
[ -f "$DB_READY" ] || missing+=("the database root (npm run e2e:tinode:setup)")
# The email templates of the Tinode release (the image has them in /opt/tinode/templ): from the Go
# module the Tinode build downloaded.
TEMPL_DIR="$(go env GOMODCACHE 2>/dev/null || true)/github.com/tinode/chat@v$TINODE_VERSION/server/templ"
[ -f "$TEMPL_DIR/email-validation-en.templ" ] || missing+=("Tinode's email templates ($TEMPL_DIR; built with the tinode tool)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIPPED: Tinode features e2e: missing $(IFS=';'; echo "${missing[*]}" | sed 's/;/, /g')"
  exit 0
fi
require_root_and "Tinode features e2e" "$CHECKS" ip jq curl nsenter openssl
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"
cd "$REPO_DIR"
TS_NODE="$REPO_DIR/node_modules/.bin/ts-node"
POD=tinode-0
MAIL_SMTP_PORT=1025
MAIL_HTTP_PORT=8025
MAIL_DOMAIN=features.test
WEB_ORIGIN=https://web.features.test

# ----------------------------------------------------------------------------------------------
# Bookkeeping: the harness's steps (e2e/lib/harness.sh), the session's cleanup and deadline. The
# checks do not depend on each other's success: none is critical.

MAIL_PID=""
# Only mailpit: the pods and the database are still running until cluster_cleanup stops them.
stop_mail() { { [ -n "$MAIL_PID" ] && kill "$MAIL_PID" && wait "$MAIL_PID"; } 2>/dev/null; }
E2E_TIMEOUT=${E2E_TIMEOUT:-300}
cluster_session "$E2E_TIMEOUT" stop_mail
harness_init "$CHECKS" "$LOGS" stream
rand() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# client COMMAND ARGS...: the SDK client in the hub namespace; prints its one JSON line.
client() {
  ip netns exec "$HUB" "$TS_NODE" --transpile-only "$HERE/features.ts" "$1" --url "ws://${POD_IP[$POD]}:6060" --api-key "$API_KEY" \
    "${@:2}" 2>>"$LOGS/client.log"
}
mail_api() { in_hub curl -s -m 5 "http://$HUB_IP:$MAIL_HTTP_PORT/api/v1/$1"; }

# ----------------------------------------------------------------------------------------------
# Set-up: certificates, mailpit, the stack config with every feature on, the pod

# A CA and the SMTP server's certificate for its address: Tinode checks it (insecureSkipVerify off),
# against the CA placed where Go looks for system roots in the pod's root.
make_certs() {
  local d=$RUN/tls
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 1 -subj "/CN=features-e2e CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$d/smtp.key" -out "$d/smtp.csr" -subj "/CN=$HUB_IP" 2>/dev/null
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$HUB_IP" >"$d/ext"
  openssl x509 -req -in "$d/smtp.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -out "$d/smtp.pem" -days 1 \
    -extfile "$d/ext" 2>/dev/null
}

# mailpit on the hub's address: STARTTLS required, SMTP login required (user tinode, SMTP_PASSWORD).
mail_start() {
  mkdir -p "$RUN/mail"
  echo "tinode:$(openssl passwd -apr1 "$SMTP_PASSWORD")" >"$RUN/mail/auth"
  (exec ip netns exec "$HUB" "$MAILPIT_BIN" --smtp "$HUB_IP:$MAIL_SMTP_PORT" --listen "$HUB_IP:$MAIL_HTTP_PORT" \
    --database "$RUN/mail/mailpit.db" --smtp-tls-cert "$RUN/tls/smtp.pem" --smtp-tls-key "$RUN/tls/smtp.key" \
    --smtp-require-starttls --smtp-auth-file "$RUN/mail/auth" --smtp-disable-rdns --disable-version-check) \
    >"$LOGS/mailpit.log" 2>&1 &
  MAIL_PID=$!
  local i
  for i in $(seq 1 100); do
    mail_api info >/dev/null 2>&1 && return 0
    kill -0 "$MAIL_PID" 2>/dev/null || { tail -n 5 "$LOGS/mailpit.log"; return 1; }
    sleep 0.1
  done
  echo "  mailpit did not answer"; return 1
}

# A service account of the right shape with a freshly made key (never used: no network here).
fcm_credentials() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null |
    jq -Rsc '{type: "service_account", project_id: "features-e2e", private_key_id: "e2e", private_key: .,
      client_email: "push@features-e2e.iam.gserviceaccount.com", client_id: "1", token_uri: "https://oauth2.googleapis.com/token"}'
}

# The stack config: every feature on, as `pulumi config set` would store it.
stack_config() {
  STACK=(
    replicas=1
    ingressHost=chat.features.test ingressClusterIssuer=e2e ingressGrpcHost=grpc.features.test
    "email=$(jq -nc --arg h "$HUB_IP" --argjson p "$MAIL_SMTP_PORT" --arg pw "$SMTP_PASSWORD" --arg d "$MAIL_DOMAIN" \
      '{smtpHost: $h, smtpPort: $p, sender: "Tinode <noreply@\($d)>", hostUrl: "http://chat.\($d)/", login: "tinode", password: $pw, domains: [$d]}')"
    "push=$(jq -nc --arg t "$(rand)" --arg c "$(fcm_credentials)" \
      '{tnpg: {enabled: true, org: "features-e2e", token: $t}, fcm: {enabled: true, credentials: $c,
        android: {enabled: true, icon: "ic_logo_push", color: "#3949AB", msg: {title_loc_key: "new_message"}}}}')"
    "webrtc=$(jq -nc --arg c "$TURN_CREDENTIAL" \
      '{enabled: true, callTimeoutSeconds: 45, iceServers: [{urls: ["stun:stun.features.test:3478"]},
        {urls: ["turn:turn.features.test:3478?transport=udp", "turns:turn.features.test:5349?transport=tcp"], username: "e2e", credential: $c}]}')"
    mediaHandler=fs "mediaCorsOrigins=[\"$WEB_ORIGIN\"]"
    unverifiedAccountGcHours=1 maxMessageKb=2048 defaultCountryCode=DE permanentAccounts=true
  )
}

# render: tinode.conf, launch.json and the FCM file from the program (scripts/render-tinode.ts).
render() {
  (cd "$REPO_DIR" && npx ts-node --transpile-only scripts/render-tinode.ts --out "$RUN/render" --dsn "$DB_DSN" "${STACK[@]}") \
    >>"$LOGS/render.log" 2>&1 || { cat "$LOGS/render.log"; return 1; }
  LAUNCH="$RUN/render/launch.json" CONF="$RUN/render/tinode.conf"
  PODS=("$POD")
  declare -gA POD_IP=([$POD]="$SUBNET.10" [job]="$SUBNET.9") POD_HOST=([$POD]="$POD")
  API_KEY=$(jq -r .apiKey "$LAUNCH")
}

# The pod's root as its Secret volume and image give it: the config Secret's other files next to
# tinode.conf, the image's templates, the upload volume's mount point; plus the test CA as system roots.
pod_extras() {
  local root="$RUN/pods/$POD/rootfs" f
  for f in $(jq -r '.configFiles[]' "$LAUNCH"); do install -o root -g "$TINODE_UID" -m 0440 "$RUN/render/$f" "$root/etc/tinode/$f"; done
  rm -rf "$root/opt/tinode/templ"; cp -r "$TEMPL_DIR" "$root/opt/tinode/templ"; chmod -R a+rX "$root/opt/tinode/templ"
  install -d -o "$TINODE_UID" -g "$TINODE_UID" "$root/var/lib/tinode/uploads"
  install -D -m 0444 "$RUN/tls/ca.pem" "$root/etc/ssl/certs/ca-certificates.crt"
}

setup() {
  SMTP_PASSWORD="smtp$(rand)" TURN_CREDENTIAL="turn$(rand)"
  net_up && db_start "e2e$(rand)" >/dev/null || return 1
  make_certs && mail_start || return 1
  stack_config && render || return 1
  local n initdb
  for n in "$POD" job; do pod_net "$n" "${POD_IP[$n]}" && pod_root "$n" "$CONF" || return 1; done
  pod_extras
  mapfile -t initdb < <(jq -r '.initDb[]' "$LAUNCH")
  (pod_exec job "${initdb[@]}") >>"$LOGS/init-db.log" 2>&1 || { echo "  init-db failed"; tail -n 5 "$LOGS/init-db.log"; return 1; }
  node_start "$POD"
  local deadline=$(( $(now_ms) + 30000 ))
  until [ -n "$(expvar "$POD")" ]; do
    node_died "$POD" && return 1
    [ "$(now_ms)" -lt "$deadline" ] || { echo "  no HTTP answer within 30 s"; return 1; }
    sleep 0.2
  done
}

# ----------------------------------------------------------------------------------------------
# Checks

check1() {
  info "stack config: $(printf '%s\n' "${STACK[@]}" | cut -d= -f1 | tr '\n' ' ')"
  info "tinode.conf sections: $(jq -r 'keys | join(" ")' "$CONF"); files next to it: $(jq -r '.configFiles | join(" ")' "$LAUNCH")"
  local ok=0 line
  for line in "Push handlers configured: \[tnpg fcm\]" "Video calls enabled with 2 ICE servers" \
      "Stale account GC started with period" "Large media handling enabled fs" "Restricted tags: .*'email'"; do
    if grep -qE "$line" "$LOGS/$POD.log"; then info "log: $(grep -oE "$line.*" "$LOGS/$POD.log" | head -n 1)"; else info "log lacks: $line"; ok=1; fi
  done
  kill -0 "${NODE_PID[$POD]}" 2>/dev/null || { info "the server exited"; ok=1; }
  return $ok
}

check2() {
  local hi want
  hi=$(client hi) || { info "client failed: $(tail -n 3 "$LOGS/client.log")"; return 1; }
  want=$(jq -c '.webrtc.ice_servers' "$CONF")
  info "{hi} answer: $(jq -c '.params | {iceServers, callTimeout, maxMessageSize, reqCred}' <<<"$hi")"
  jq -e --argjson want "$want" '.params.iceServers == $want and .params.callTimeout == 45
    and .params.maxMessageSize == 2097152 and .params.reqCred == {auth: ["email"]}' <<<"$hi" >/dev/null
}

check3() {
  USER_LOGIN="alice$(rand | cut -c1-6)" USER_PASSWORD="pw$(rand)" USER_EMAIL="alice-$(rand | cut -c1-6)@$MAIL_DOMAIN"
  local out i list id
  out=$(client signup --login "$USER_LOGIN" --password "$USER_PASSWORD" --email "$USER_EMAIL") || return 1
  info "{acc} for $USER_EMAIL: $(jq -c '{code, text, cred: .params.cred, authenticated}' <<<"$out")"
  [ "$(jq -r .code <<<"$out")" = 300 ] || return 1
  for i in $(seq 1 100); do
    list=$(mail_api "search?query=to:$USER_EMAIL")
    [ "$(jq -r '.messages | length' <<<"$list" 2>/dev/null)" = 1 ] && break
    sleep 0.1
  done
  id=$(jq -r '.messages[0].ID // empty' <<<"$list")
  if [ -z "$id" ]; then info "no mail to $USER_EMAIL in mailpit; Tinode: $(grep -i smtp "$LOGS/$POD.log" | tail -n 1)"; return 1; fi
  MAIL=$(mail_api "message/$id")
  info "mailpit received it after $((i * 100)) ms, through STARTTLS with SMTP login (both required by mailpit):"
  info "  From: $(jq -r '.From.Address' <<<"$MAIL")  Subject: $(jq -r '.Subject' <<<"$MAIL")"
  CODE=$(jq -r '.Text' <<<"$MAIL" | grep -oE 'code=[0-9]+' | head -n 1 | cut -d= -f2)
  [ -n "$CODE" ] || CODE=$(jq -r '.HTML' <<<"$MAIL" | grep -oE 'code=[0-9]+' | head -n 1 | cut -d= -f2)
  info "  the code in the mail: $CODE"
  [[ "$CODE" =~ ^[0-9]{6}$ ]]
}

check4() {
  local out
  out=$(client login --login "$USER_LOGIN" --password "$USER_PASSWORD") || return 1
  info "{login} with the password only: $(jq -c '{code, text, cred: .params.cred, authenticated, me}' <<<"$out")"
  jq -e '.code == 300 and .authenticated == false and .me >= 400' <<<"$out" >/dev/null
}

check5() {
  local wrong out
  wrong=$(client login --login "$USER_LOGIN" --password "$USER_PASSWORD" --code 000000) || return 1
  info "{login} with a wrong code: $(jq -c '{code, text, authenticated}' <<<"$wrong")"
  out=$(client login --login "$USER_LOGIN" --password "$USER_PASSWORD" --code "$CODE") || return 1
  info "{login} with the mailed code: $(jq -c '{code, text, authenticated, me}' <<<"$out")"
  jq -e '.authenticated == false' <<<"$wrong" >/dev/null && jq -e '.code == 200 and .authenticated and .me == 200' <<<"$out" >/dev/null
}

check6() {
  local out
  out=$(client login --login "$USER_LOGIN" --password "$USER_PASSWORD") || return 1
  info "{login} with the password only, after confirming: $(jq -c '{code, text, authenticated, me}' <<<"$out")"
  info "database: $(db_sql "SELECT CONCAT(method, ':', value, ' done=', done) FROM tinode.credentials WHERE value='$USER_EMAIL'")"
  jq -e '.code == 200 and .authenticated and .me == 200' <<<"$out" >/dev/null
}

check7() {
  local out
  out=$(client signup --login "bob$(rand | cut -c1-6)" --password "pw$(rand)" --email "bob@elsewhere.example") || return 1
  info "{acc} with bob@elsewhere.example (email.domains is [$MAIL_DOMAIN]): $(jq -c '{code, text}' <<<"$out")"
  # ErrPolicy from the validator's PreCheck (server/validate/email/validate.go): 422 "policy violation".
  jq -e '.code == 422' <<<"$out" >/dev/null
}

check8() {
  local allowed other url="http://${POD_IP[$POD]}:6060/v0/file/s/abc.jpg"
  allowed=$(in_hub curl -s -m 5 -o /dev/null -D - -X OPTIONS -H "Origin: $WEB_ORIGIN" -H "Access-Control-Request-Method: GET" "$url" |
    grep -i '^access-control-allow-origin:' | tr -d '\r')
  other=$(in_hub curl -s -m 5 -o /dev/null -D - -X OPTIONS -H "Origin: https://evil.example" -H "Access-Control-Request-Method: GET" "$url" |
    grep -i '^access-control-allow-origin:' | tr -d '\r' || true)
  info "preflight from $WEB_ORIGIN: ${allowed:-no Access-Control-Allow-Origin}"
  info "preflight from https://evil.example: ${other:-no Access-Control-Allow-Origin}"
  [ "${allowed#*: }" = "$WEB_ORIGIN" ] && [ -z "$other" ]
}

# The refusals happen before Tinode: the same settings with a contradiction stop the render (which
# reads the config with config/readSettings.ts, as a preview does) with the key named.
check9() {
  local out rc=0 bad=() kv
  for kv in "${STACK[@]}"; do case "$kv" in email=* | webrtc=* | push=*) ;; *) bad+=("$kv") ;; esac; done
  bad+=("email={\"sender\":\"x@$MAIL_DOMAIN\"}" 'webrtc={"enabled":true,"iceServers":[{"urls":["turn:t.features.test"]}]}'
    'push={"tnpg":{"token":"x"}}')
  out=$(cd "$REPO_DIR" && npx ts-node --transpile-only scripts/render-tinode.ts --out "$RUN/bad" --dsn "$DB_DSN" "${bad[@]}" 2>&1) || rc=$?
  info "the same stack with email without smtpHost, a TURN URL without credentials, a push token without a handler (exit $rc):"
  grep -E '^\s+- tinode:' <<<"$out" | sed 's/^ */    /'
  [ "$rc" -ne 0 ] && grep -q "tinode:email.smtpHost is required" <<<"$out" && grep -q "tinode:webrtc.iceServers\[0\].username is required for a TURN URL" <<<"$out" &&
    grep -q "tinode:push.tnpg.token is set but tinode:push.tnpg.enabled is not true" <<<"$out" && [ ! -e "$RUN/bad/tinode.conf" ]
}

# The ICE servers from a Secret of the operator's (tinode:webrtc.iceServersSecret): the program's
# webrtc section points at the file the Secret volume puts in /etc/tinode-ice; after a restart with
# it, clients get the file's servers. The rest of tinode.conf stays as it was (same keys).
check10() {
  local root="$RUN/pods/$POD/rootfs" ice hi
  ice='[{"urls":["turn:rotated.features.test:3478"],"username":"1700000000:e2e","credential":"short-lived"}]'
  (cd "$REPO_DIR" && npx ts-node --transpile-only scripts/render-tinode.ts --out "$RUN/render-ice" --dsn "$DB_DSN" replicas=1 \
    'webrtc={"enabled":true,"iceServersSecret":"turn-credentials"}') >>"$LOGS/render.log" 2>&1 || return 1
  info "webrtc section for iceServersSecret: $(jq -c .webrtc "$RUN/render-ice/tinode.conf")"
  jq --argjson w "$(jq -c .webrtc "$RUN/render-ice/tinode.conf")" '.webrtc = $w' "$CONF" >"$RUN/render/tinode-ice.conf"
  install -o root -g "$TINODE_UID" -m 0440 "$RUN/render/tinode-ice.conf" "$root/etc/tinode/tinode.conf"
  install -d -m 0755 "$root/etc/tinode-ice"
  echo "$ice" | install -o root -g "$TINODE_UID" -m 0440 /dev/stdin "$root/etc/tinode-ice/ice-servers.json"
  node_stop "$POD" TERM
  info "restarted $POD with it (previous run exited with status $NODE_STATUS)"
  node_start "$POD"
  local deadline=$(( $(now_ms) + 30000 ))
  until [ -n "$(expvar "$POD")" ]; do
    node_died "$POD" && return 1
    [ "$(now_ms)" -lt "$deadline" ] || { info "no HTTP answer within 30 s"; return 1; }
    sleep 0.2
  done
  info "log: $(grep -oE 'Video calls enabled with [0-9]+ ICE servers' "$LOGS/$POD.log" | tail -n 1)"
  hi=$(client hi) || return 1
  info "{hi} iceServers: $(jq -c .params.iceServers <<<"$hi")"
  jq -e --argjson want "$ice" '.params.iceServers == $want' <<<"$hi" >/dev/null
}

t0=$(now_ms)
if ! setup; then
  echo "FAIL: set-up (database, mailpit, config, init-db, server start); server log ends with:"
  tail -n 10 "$LOGS/$POD.log" 2>/dev/null | sed 's/^/    /'
  exit 1
fi
info "set-up: MariaDB, mailpit $MAILPIT_VERSION, Tinode $TINODE_VERSION standalone at ${POD_IP[$POD]} ($(( $(now_ms) - t0 )) ms)"
run_step "the config with every feature on is accepted: the server runs and logs each feature initialised" check1
run_step "{hi} carries the configured ICE servers, call timeout, message size and the required email credential" check2
run_step "a new account gets the verification mail through real SMTP (STARTTLS, login); the code is read from mailpit" check3
run_step "the unconfirmed account cannot log in (300 credential required, not authenticated, 'me' refused)" check4
run_step "a wrong code is refused; the mailed code confirms the account and logs it in" check5
run_step "the confirmed account logs in with its password alone" check6
run_step "an address outside email.domains cannot register (422 policy violation)" check7
run_step "media CORS: the configured origin gets Access-Control-Allow-Origin, another does not" check8
run_step "contradictions are refused by the program before Tinode, naming the keys" check9
run_step "ICE servers from the operator's Secret: the file the volume mounts reaches clients in {hi}" check10
