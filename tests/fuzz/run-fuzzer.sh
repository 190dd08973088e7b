#!/bin/sh
# run-fuzzer.sh — one libFuzzer target over its seeds, for a bounded time.
#
#   run-fuzzer.sh FUZZER NAME SEED_DIR WORK_DIR
#
# New inputs go to WORK_DIR (in the build tree: the seeds in the source
# tree are never written), so the corpus grows from run to run. A crash,
# leak, timeout or sanitizer report fails the run and leaves the input as
# $HANGAR_TEST_LOGDIR/fuzz-NAME-crash-… (or meson-logs in the build dir).
#   HANGAR_FUZZ_SECONDS  how long to fuzz (default 30); 0 only replays the
#                        corpus (libFuzzer's own 0 would mean forever)
#   HANGAR_FUZZ_SEED     libFuzzer's random seed (default 1, so that a CI
#                        run takes the same path as the last one and a
#                        change, not luck, decides whether it passes); 0
#                        picks a new seed each run, for fuzzing to find
#                        something new, e.g. HANGAR_FUZZ_SEED=0
#                        HANGAR_FUZZ_SECONDS=600 tools/test-sanitizers
#                        --suite fuzz (then add what it finds to the
#                        seeds in tests/fuzz/corpus)
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

fuzzer=$1
name=$2
seeds=$3
work=$4
seconds=${HANGAR_FUZZ_SECONDS:-30}
seed=${HANGAR_FUZZ_SEED:-1}
logdir=${HANGAR_TEST_LOGDIR:-${HANGAR_BUILD_DIR:-.}/meson-logs}

mkdir -p "$work" "$logdir"
log="$work.log"
echo "$name: fuzzing for ${seconds}s with seed $seed; seeds $seeds, corpus $work, artifacts $logdir/fuzz-$name-*"

case "$seconds" in
  ''|*[!0-9]*) echo "$name: HANGAR_FUZZ_SECONDS must be a number of seconds" >&2; exit 1 ;;
esac
case "$seed" in
  ''|*[!0-9]*) echo "$name: HANGAR_FUZZ_SEED must be a number" >&2; exit 1 ;;
esac
if [ "$seconds" -eq 0 ]; then
  bound=-runs=0
else
  bound=-max_total_time=$seconds
fi

status=0
"$fuzzer" "$bound" -seed="$seed" -print_final_stats=1 -timeout=25 -rss_limit_mb=2560 \
  -artifact_prefix="$logdir/fuzz-$name-" "$work" "$seeds" >"$log" 2>&1 || status=$?
# libFuzzer's own progress lines, shortened to the last ones and the stats.
grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' "$log" | tail -n 60

# One line to read the figures from: executions per second and corpus size.
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
corpus=$(sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' "$log" | tail -n 1)
echo "$name: ${execs:-?} runs, ${rate:-?} exec/s, corpus ${corpus:-?} (inputs/bytes), exit $status"
# libFuzzer reports a finding with exit status 77, which meson reads as
# "skipped": any finding is a failure here.
[ "$status" -eq 0 ] || exit 1
