#!/usr/bin/env bash
# README command 2: installs what is needed, builds everything and runs the whole test suite.
# Exits non-zero on any failure. Run from the checkout, as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

start=$(date +%s)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBARICADR_BUILD_GUI=ON
cmake --build "$BUILD_DIR" -j "$JOBS"
built=$(date +%s)

# Tests start their own loopback servers (rclone serve sftp, PostgreSQL, SMTP sink) on free ports.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 900
done_at=$(date +%s)
echo "run-tests.sh: build $((built - start)) s, tests $((done_at - built)) s"
