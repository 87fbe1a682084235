#!/bin/sh
# Installs the Debian packages packet-path needs to build and test, when they are missing.
# Idempotent; uses sudo when not root. Swift itself (6.1 or later) must already be installed.
set -eu
PACKAGES="libpcap-dev pkg-config tshark python3"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: swift is not on PATH; install Swift 6.1 or later from swift.org first" >&2
    exit 1
fi
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
