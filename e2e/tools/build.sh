#!/usr/bin/env bash
# npm run e2e:tools [TOOL...] — builds the end-to-end tools from Go modules into the cache.
# Idempotent: a tool whose binaries are present is skipped. Each tool's build log is kept
# next to it in the cache so a failure can be read afterwards.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$TOOLS_CACHE"
failed=()
while read -r name version bins; do
  [ $# -eq 0 ] || [[ " $* " == *" $name "* ]] || continue
  dir=$(tool_dir "$name" "$version")
  # shellcheck disable=SC2086
  if tool_present "$name" "$version" $bins; then
    echo "[tools] $name $version: present"
    continue
  fi
  mkdir -p "$dir/bin"
  log="$dir/build.log"
  echo "[tools] $name $version: building (log: $log)"
  start=$(date +%s)
  if bash "$TOOLS_DIR/build-$name.sh" "$version" "$dir/bin" >"$log" 2>&1 && \
     tool_present "$name" "$version" $bins; then
    echo "[tools] $name $version: built in $(( $(date +%s) - start ))s"
  else
    echo "[tools] $name $version: FAILED after $(( $(date +%s) - start ))s; see $log" >&2
    tail -n 15 "$log" >&2 || true
    failed+=("$name")
  fi
done < <(tool_list)
if [ ${#failed[@]} -gt 0 ]; then
  echo "[tools] failed: ${failed[*]}" >&2
  exit 1
fi
echo "[tools] all tools present in $TOOLS_CACHE"
