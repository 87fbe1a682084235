#!/bin/sh
# Installs what the tests need, then builds and runs every test.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
swift build --build-tests
swift test
