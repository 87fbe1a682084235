#!/bin/sh
# Runs the test suite under AddressSanitizer (with LeakSanitizer) and the --jobs tests under
# ThreadSanitizer, each in its own build folder (the tests are Swift Testing's: XCTest's runner,
# which leaks, is not started); the binary the command-line tests run is built
# with the same sanitizer, so a report in it fails its test (non-zero exit). CI runs this after
# scripts/test.sh.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
export PACKETPATH_SANITIZER LSAN_OPTIONS
# Leaks inside Foundation itself are suppressed (the file says which); any other leak fails.
LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan-suppressions.txt:print_suppressions=0"
PACKETPATH_SANITIZER=address
swift build --build-tests --sanitize=address --scratch-path .build-asan
swift test --skip-build --disable-xctest --sanitize=address --scratch-path .build-asan
PACKETPATH_SANITIZER=thread
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
# The tests that run replays on several threads (--jobs), and the mutated captures.
swift test --skip-build --disable-xctest --sanitize=thread --scratch-path .build-tsan --filter 'jobs|Jobs|signals|Mutation'
