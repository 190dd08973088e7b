#!/usr/bin/env bash
# tests/ui/app/test-process.sh — hangar as real processes: a second invocation
# hands its --connect to the running one over D-Bus, bad URIs leave the
# app usable, and the app exits 0 when asked to quit. TAP output.
#
# Usage: test-process.sh BUILD_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

build=${1:?build dir}
# GApplication's uniqueness needs a session bus; start a private one if
# the caller has none.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- "$0" "$@"
fi

export G_MESSAGES_DEBUG=Hangar
export GSETTINGS_SCHEMA_DIR="$build/data"
export GSETTINGS_BACKEND=memory
unset G_DEBUG   # GTK may warn about the missing accessibility bus; not our subject

log=$(mktemp)
log2=$(mktemp)
trap 'rm -f "$log" "$log2"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null' EXIT

echo "1..5"

wait_for() { # PATTERN FILE SECONDS
  for _ in $(seq $(( $3 * 10 ))); do
    grep -q "$1" "$2" && return 0
    sleep 0.1
  done
  return 1
}

"$build/src/hangar" --connect nonsense://x --connect qemu+tcp://127.0.0.1:1/system >"$log" 2>&1 &
pid=$!

if wait_for "qemu+tcp://127.0.0.1:1/system: Could not connect" "$log" 20; then
  echo "ok 1 unreachable host reported as failed"
else
  echo "not ok 1 unreachable host reported as failed"; sed 's/^/# /' "$log"
fi

# The second process must hand over and leave at once.
start=$(date +%s%N)
if timeout 20 "$build/src/hangar" --connect test:///default >"$log2" 2>&1; then
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "ok 2 second invocation returned 0 in $ms ms"
else
  echo "not ok 2 second invocation returned 0"; sed 's/^/# /' "$log2"
fi

if wait_for "test:///default: listed 1 machines" "$log" 20 &&
   ! grep -q "listed" "$log2"; then
  echo "ok 3 the running instance opened the second invocation's connection"
else
  echo "not ok 3 the running instance opened the second invocation's connection"
  sed 's/^/# /' "$log" "$log2"
fi

if kill -0 "$pid" 2>/dev/null; then
  echo "ok 4 still running after bad URIs"
else
  echo "not ok 4 still running after bad URIs"
fi

# Quit as a desktop would, through the exported app.quit action.
gdbus call --session --dest org.hangar.Hangar --object-path /org/hangar/Hangar \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
status=124
for _ in $(seq 100); do
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; status=$?
    break
  fi
  sleep 0.1
done
pid=
if [ "$status" -eq 0 ]; then
  echo "ok 5 exits 0 when quit"
else
  echo "not ok 5 exits 0 when quit (status $status)"; sed 's/^/# /' "$log"
fi
