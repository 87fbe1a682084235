#!/bin/sh
# The main job on the bundled default scenario: the seed's flows from alpha5, before and after
# adding VPC endpoints, side by side; then one flow hop by hop.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
swift build -c release --product packet-path >&2
BIN=.build/release/packet-path
echo "== Seed scenario: the same flows from alpha5, before and after adding VPC endpoints =="
$BIN compare --before Scenarios/seed/before.yaml --after Scenarios/seed/after.yaml --flows Scenarios/seed/flows.yaml
echo
echo "== Hop by hop: alpha5 to S3, after =="
$BIN trace --topology Scenarios/seed/after.yaml --from alpha5 --to s3
