# bench/lib.sh — what the benchmarks share: a private X server and session
# bus, clean-up, times and CPU ticks. Sourced by the bench/ scripts after
# they set BENCH_NAME; not run by itself.
# SPDX-License-Identifier: GPL-3.0-or-later

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_build="${HANGAR_BUILD_DIR:-build}"
case "$bench_build" in /*) ;; *) bench_build="$bench_root/$bench_build" ;; esac

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# CPU time (utime + stime, in clock ticks) of a process; the fields after
# the command name, which may hold spaces, are 3… : utime is 14, stime 15.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# Peak resident memory of a process, in MB with one decimal.
peak_rss_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

command -v Xvfb >/dev/null || die "Xvfb missing: run tools/setup first"
command -v dbus-daemon >/dev/null || die "dbus-daemon missing: run tools/setup first"

bench_tmp="$(mktemp -d)"
chmod 755 "$bench_tmp"
bench_pids=''   # killed, last first, at exit

# shellcheck disable=SC2317 # called by the EXIT trap
bench_cleanup() {
  local p
  for p in $bench_pids; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# bench_wait_file FILE WHAT: until FILE has content (10 s).
bench_wait_file() {
  local _
  for _ in $(seq 100); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  die "$2 did not start"
}

# A private X server (Xvfb picks a free display): sets bench_display.
bench_start_x() {
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$bench_tmp/display" \
    2>"$bench_tmp/xvfb.log" &
  bench_pids="$! $bench_pids"
  bench_wait_file "$bench_tmp/display" Xvfb
  bench_display=":$(tr -d '[:space:]' <"$bench_tmp/display")"
}

# A private session bus: sets bench_bus.
bench_start_bus() {
  dbus-daemon --session --nofork --print-address=3 3>"$bench_tmp/bus" \
    >"$bench_tmp/dbus.log" 2>&1 &
  bench_pids="$! $bench_pids"
  bench_wait_file "$bench_tmp/bus" dbus-daemon
  bench_bus="$(head -n 1 "$bench_tmp/bus")"
}

# bench_wait_line LOG REGEX PID TIMEOUT: prints the first line of LOG that
# matches REGEX, waiting up to TIMEOUT seconds while PID lives.
bench_wait_line() {
  local log=$1 regex=$2 pid=$3 deadline line
  deadline=$(( $(date +%s) + $4 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    line="$(grep -Eo "$regex" "$log" | head -n 1 || true)"
    if [ -n "$line" ]; then
      echo "$line"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2
      die "the process exited before printing '$regex' (its log above)"
    fi
    sleep 0.05
  done
  tail -n 30 "$log" >&2
  die "no '$regex' within $4 s (the log above)"
}
