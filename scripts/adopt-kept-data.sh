#!/usr/bin/env bash
# Takes over the data a destroyed stack (or one whose state was lost) left in the cluster: reads the
# generated secrets from the kept Secrets, stores them in the stack's config as the secret
# tinode:keptSecrets, and deletes the two kept Secrets, which the next `pulumi up` makes again from
# the stack config and those secrets (the same values: the database's passwords, the same UID key).
#
#   bash scripts/adopt-kept-data.sh [STACK] [NAMESPACE]    (defaults: the current stack, tinode)
#
# Needs kubectl pointed at the cluster and the pulumi CLI logged in to the stack's backend. Run it
# before the first `pulumi up` of the stack that takes the data over; see README, "Operations that
# touch data". Nothing is printed that holds a secret.
set -euo pipefail
STACK=${1:-$(pulumi stack --show-name)}
NS=${2:-tinode}
k() { kubectl -n "$NS" "$@"; }
secret_value() { k get secret "$1" -o "jsonpath={.data.$2}" | base64 -d; }

k get secret tinode-config tinode-mysql-credentials >/dev/null \
  || { echo "no kept Secrets tinode-config and tinode-mysql-credentials in namespace $NS" >&2; exit 1; }
# Node, which the project needs anyway, reads tinode.conf (JSON) and writes the config value; the
# secrets pass through environment variables and stdin, never through the command line.
value=$(CONF="$(secret_value tinode-config 'tinode\.conf')" \
  ROOT="$(secret_value tinode-mysql-credentials MYSQL_ROOT_PASSWORD)" \
  USER_PW="$(secret_value tinode-mysql-credentials MYSQL_PASSWORD)" \
  node -e '
    const c = JSON.parse(process.env.CONF);
    const v = { uidKey: c.store_config.uid_key, tokenKey: c.auth_config.token.key,
                mysqlRootPassword: process.env.ROOT, mysqlPassword: process.env.USER_PW };
    for (const [k, x] of Object.entries(v)) if (!x) { console.error("kept data has no " + k); process.exit(1); }
    process.stdout.write(JSON.stringify(v));')
printf '%s' "$value" | pulumi config set --secret tinode:keptSecrets --stack "$STACK"
# Only once the stack holds them: the Secrets are made again by the next up.
[ "$(pulumi config get tinode:keptSecrets --stack "$STACK")" = "$value" ] || { echo "the stack's config does not hold the secrets; nothing deleted" >&2; exit 1; }
k delete secret tinode-config tinode-mysql-credentials >/dev/null
echo "stack $STACK now holds the kept secrets of namespace $NS (tinode:keptSecrets); run pulumi up"
