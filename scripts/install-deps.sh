#!/bin/sh
# Installs the Debian packages packet-path needs to build and test, and the Python tools of the
# snapshot collector test, when they are missing.
# Idempotent; uses sudo when not root. Swift itself (6.1 or later) must already be installed.
set -eu
PACKAGES="libpcap-dev zlib1g-dev libzstd-dev liblzma-dev gzip zstd xz-utils pkg-config tshark tcpdump python3 graphviz tmux chromium"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: swift is not on PATH; install Swift 6.1 or later from swift.org first" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {
    echo "install-deps: installing $*" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
[ -z "$missing" ] || apt_install $missing

# The snapshot collector's test runs moto's AWS API server with boto3 and the AWS CLI, from PyPI.
# When python3 lacks them, they go into a virtual environment in .build/python (the test puts its
# bin/ first on PATH); nothing is installed into the system's Python.
if ! { command -v aws >/dev/null 2>&1 && python3 -c 'import boto3, moto.server' 2>/dev/null; } \
    && ! [ -x .build/python/bin/aws ]; then
    python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    echo "install-deps: installing moto, boto3 and the AWS CLI into .build/python" >&2
    rm -rf .build/python
    # Without PyPI the collector's test is skipped (it says so), not the whole run failed.
    if ! { python3 -m venv .build/python && .build/python/bin/pip install -q 'moto[server]' boto3 awscli; }; then
        echo "install-deps: could not install them; the snapshot collector's test will be skipped" >&2
        rm -rf .build/python
    fi
fi

# The Spark job's test runs spark-submit in local mode: PySpark and pyarrow from PyPI, and a Java
# runtime (17 or later) from Debian. When python3 lacks them they go into .build/python too, made
# with the system's site packages so that the collector's tools stay visible through it.
if ! { command -v java >/dev/null 2>&1; }; then apt_install default-jre-headless; fi
if ! { command -v spark-submit >/dev/null 2>&1 && python3 -c 'import pyspark, pyarrow' 2>/dev/null; } \
    && ! [ -x .build/python/bin/spark-submit ]; then
    python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    [ -x .build/python/bin/pip ] || python3 -m venv --system-site-packages .build/python
    echo "install-deps: installing PySpark and pyarrow into .build/python" >&2
    # Without PyPI the Spark job's test is skipped (it says so), not the whole run failed.
    .build/python/bin/pip install -q pyspark pyarrow \
        || echo "install-deps: could not install them; the Spark job's test will be skipped" >&2
fi
