#!/bin/bash
# Runs bench_pull (see tests/bench/README.md): builds it if needed, prints the machine and the
# figures. Everything it needs (data, loopback SFTP server, engine) is set up by the program.
#
#   tests/bench/bench_pull.sh [BUILD_DIR] [WORKDIR]
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
BUILD="${1:-$HERE/../../build}"
command -v rclone >/dev/null || { echo "rclone not found" >&2; exit 2; }
ninja -C "$BUILD" bench_pull >/dev/null
echo "machine: $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg), $(rclone version | head -1)"
shift || true
exec "$BUILD/tests/bench/bench_pull" "$@"
