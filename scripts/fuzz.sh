#!/bin/sh
# Fuzzes packet-path's input readers with libFuzzer: builds Tests/Fuzz with Swift's fuzzer and
# address sanitizers, makes the starting corpora (scripts/fuzz-corpus.py: committed seeds,
# fixtures, and ../shared/corpus when present) and runs each harness for SECONDS (default 60).
# An input that crashes a harness is copied into Tests/Fuzz/Regressions/<harness>/ (commit it
# with the fix: FuzzRegressionTests replays it on every test run) and the script exits 1.
#
#   sh scripts/fuzz.sh [SECONDS] [HARNESS…]     harnesses: FrameDecoder Capture Snapshot Scenario FlowFile FlowLog Summary
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-FrameDecoder Capture Snapshot Scenario FlowFile FlowLog Summary}
sh scripts/install-deps.sh
# -use-ld=lld: gold fails on these sanitizer objects. libFuzzer's driver is called from the
# fuzzer's own main (Tests/Fuzz/Fuzzer/main.swift).
swift build --package-path Tests/Fuzz --scratch-path .build-fuzz -c release \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld
work=.build-fuzz/work
rm -rf "$work"
python3 scripts/fuzz-corpus.py "$work/corpus"
status=0
for harness in $harnesses; do
    mkdir -p "$work/artifacts/$harness"
    if ! .build-fuzz/release/packet-path-fuzzer "$harness" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
        -artifact_prefix="$work/artifacts/$harness/" -print_final_stats=1 "$work/corpus/$harness" >"$work/$harness.log" 2>&1; then
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$harness.log")
    echo "fuzz: $harness: ${runs:-0} executions in ${seconds} s"
    for found in "$work/artifacts/$harness"/*; do
        [ -e "$found" ] || continue
        cp "$found" "Tests/Fuzz/Regressions/$harness/"
        echo "fuzz: $harness: FOUND $(basename "$found"), copied to Tests/Fuzz/Regressions/$harness/; the log: $work/$harness.log" >&2
        grep -m 5 -E "ERROR|Fatal error|Precondition failed" "$work/$harness.log" >&2 || true
        status=1
    done
    if [ "$status" -ne 0 ] && [ -z "$(ls -A "$work/artifacts/$harness")" ]; then
        tail -20 "$work/$harness.log" >&2
    fi
done
exit $status
