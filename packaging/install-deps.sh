#!/usr/bin/env bash
# Installs every Debian package that building, testing and running Baricadr needs.
# Idempotent; run as root on Debian 12 (bookworm). Nothing is fetched from outside
# Debian's archive except s3rver from the npm registry (tests of the s3 backend only).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (it calls apt-get)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
    # build
    g++ cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-svg-dev qt6-charts-dev
    libyaml-cpp-dev libcurl4-openssl-dev libcrypt-dev
    # runtime
    rclone libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 qt6-translations-l10n
    # tests and benchmarks
    xvfb xauth python3-aiosmtpd postgresql wrk curl openssl apache2-utils
    clang libclang-rt-14-dev clang-tidy clang-format
    # packaging
    dpkg-dev fakeroot lintian appstream file
    librsvg2-bin desktop-file-utils man-db
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps.sh: all ${#PACKAGES[@]} packages present"

# S3 test server (tests of the s3 backend only): s3rver 3.7.1 from npm, into the source tree's
# tests/s3/node_modules (git-ignored), where tests/testutils/s3server.cpp looks for it.
# A node/npm already on PATH (e.g. NodeSource's, which bundles npm) is used as it is: Debian's
# npm package would pull Debian's nodejs over it. Otherwise Debian's nodejs and npm.
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends nodejs npm
fi
if [ ! -x "$SRC_DIR/tests/s3/node_modules/.bin/s3rver" ]; then
    if command -v npm >/dev/null 2>&1; then
        npm install --prefix "$SRC_DIR/tests/s3" --no-audit --no-fund s3rver@3.7.1 >/dev/null
        echo "install-deps.sh: s3rver 3.7.1 installed in $SRC_DIR/tests/s3/node_modules"
    else
        echo "install-deps.sh: npm missing: the s3 backend tests will be skipped" >&2
    fi
fi
