#!/usr/bin/env bash
# Sourced by the e2e and bench scripts: numbered PASS/FAIL steps with their evidence, the closing
# "N passed, M failed" line, and a watchdog that bounds a whole run.
#
#   harness_init TOTAL LOG_DIR [stream]
#                                   before the first step. With "stream", all of a step's stdout is
#                                   shown (details above its PASS/FAIL line), not only its last line.
#   watchdog_start SECONDS          SIGTERM to this shell when the time is up (no child outlives it)
#   run_step TITLE FUNCTION [critical]
#                                   runs FUNCTION in this shell (steps share state); its stdout's
#                                   last line is the evidence, stderr goes to LOG_DIR/FUNCTION.err.
#                                   After a failed critical step the later ones are reported as
#                                   failed without running (they would only wait on a broken setup).
#   harness_summary                 prints "N passed, M failed" and returns non-zero on any failure
#   harness_end RC                  the closing line of a run that ends with status RC, and exit:
#                                   a run cut short (a timeout, a signal, a shell error) counts every
#                                   step not passed as failed
#   require_root_and NAME TOTAL COMMAND...
#                                   the one prerequisite check of the harnesses that need root: fails
#                                   the run at once (every step counted failed) without it or a command

# median: the median of the numbers on stdin, one a line ("-" for none; the mean of the middle two
# for an even count), as e2e/lib/cli.ts median does for the TypeScript harnesses.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

harness_init() {
  H_TOTAL=$1
  H_LOGS=$2
  H_STREAM=${3:-}
  H_PASSED=0
  H_FAILED=0
  H_STEP=0
  H_BROKEN=""
  # A watchdog started before (by a session that needed its log folder first) stays known.
  H_WATCHDOG=${H_WATCHDOG:-}
  mkdir -p "$H_LOGS"
}

watchdog_start() {
  local fifo fd
  fifo=$(mktemp -u "${TMPDIR:-/tmp}/watchdog.XXXXXX")
  mkfifo "$fifo"
  # A read that times out on a FIFO nobody writes: no sleeping child is left behind. The FIFO is
  # opened here, before it is unlinked, and the watchdog reads the inherited descriptor.
  exec {fd}<>"$fifo"
  rm -f "$fifo"
  ( read -r -t "$1" _ <&"$fd" || kill -TERM $$ ) >/dev/null 2>&1 &
  H_WATCHDOG=$!
  exec {fd}<&-
}

watchdog_stop() {
  if [ -n "${H_WATCHDOG:-}" ]; then
    { kill "$H_WATCHDOG" && wait "$H_WATCHDOG"; } 2>/dev/null || true
    H_WATCHDOG=""
  fi
}

run_step() {
  local title=$1 fn=$2 critical=${3:-} out status=0 t0
  H_STEP=$((H_STEP + 1))
  if [ -n "$H_BROKEN" ]; then
    echo "FAIL $H_STEP/$H_TOTAL $title (not run: step $H_BROKEN failed)"
    H_FAILED=$((H_FAILED + 1))
    return 0
  fi
  t0=$(date +%s)
  # Not in a subshell (a redirection, not $(...)): later steps need what this one set.
  # errexit does not apply inside `if`, so a step checks and returns by itself.
  if "$fn" >"$H_LOGS/$fn.out" 2>>"$H_LOGS/$fn.err"; then status=0; else status=$?; fi
  out=$(cat "$H_LOGS/$fn.out")
  # "stream": every line of the evidence, above the verdict.
  if [ -n "$H_STREAM" ]; then
    [ -z "$out" ] || echo "$out"
    out=""
  fi
  if [ "$status" = 0 ]; then
    H_PASSED=$((H_PASSED + 1))
    echo "PASS $H_STEP/$H_TOTAL $title ($(( $(date +%s) - t0 )) s)${out:+: $(tail -n 1 <<<"$out")}"
  else
    H_FAILED=$((H_FAILED + 1))
    echo "FAIL $H_STEP/$H_TOTAL $title ($(( $(date +%s) - t0 )) s)${out:+: $(tail -n 1 <<<"$out")}"
    tail -n 12 "$H_LOGS/$fn.err" 2>/dev/null | sed 's/^/    | /'
    [ -z "$critical" ] || H_BROKEN=$H_STEP
  fi
}

harness_summary() {
  echo "$H_PASSED passed, $H_FAILED failed"
  [ "$H_FAILED" = 0 ] && [ "$H_PASSED" -gt 0 ]
}

harness_end() {
  local rc=$1
  if [ "$rc" -ne 0 ] || [ $((H_PASSED + H_FAILED)) -lt "$H_TOTAL" ]; then
    [ "$rc" -ne 0 ] || echo "FAIL: the run stopped after step $H_STEP of $H_TOTAL"
    echo "$H_PASSED passed, $((H_TOTAL - H_PASSED)) failed"
    exit 1
  fi
  harness_summary
  exit $?
}

require_root_and() {
  local name=$1 total=$2 cmd
  shift 2
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL: the $name needs root (network namespaces, chroot)"; echo "0 passed, $total failed"; exit 1
  fi
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || { echo "FAIL: '$cmd' not found"; echo "0 passed, $total failed"; exit 1; }
  done
}
