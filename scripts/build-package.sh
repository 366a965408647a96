#!/usr/bin/env bash
# npm run build:package (and npm pack, through prepack) — the package's JavaScript and type
# declarations in dist/, what a TypeScript or JavaScript program that installs tinode-k8s loads
# (package.json "exports"). `pulumi package add` runs the TypeScript source instead (package.ts).
# The builders read two scripts from disk next to their own folder; they are copied along.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.package.json
for f in healer/healer.js canary/canary.js; do install -D -m 0644 "$f" "dist/$f"; done
echo "dist/: $(find dist -name '*.js' | wc -l) modules, entry dist/package.js"
