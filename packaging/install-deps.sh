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
