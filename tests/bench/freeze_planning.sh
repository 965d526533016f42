#!/bin/bash
# Freeze-planning benchmark (issue "Proof", benchmark 1): dry-run freeze of a generated repo
# against a loopback SFTP remote (`rclone serve sftp`), compared with the floor
#   find REPO -type f -printf '%A@ %s\n'  +  rclone lsf -R --format pst REMOTE
# measured in the same run. Prints wall times, peak RSS and ratios; no pass/fail.
#
#   tests/bench/freeze_planning.sh [BUILD_DIR]
#   SIZES="10000 100000 1000000" COLD="0.5 0.01" WORKDIR=/var/tmp/bench tests/bench/freeze_planning.sh build
#   LOOKUPS="auto perfile dirs listing" tests/bench/freeze_planning.sh build   # each way of asking the remote
#   REMOTES="sftp local" tests/bench/freeze_planning.sh build   # also the `local` backend (default: sftp)
#     local: the remote is the served directory itself; its floor lists it with `rclone lsf`
# REPEAT (default 3): floor and plan are measured that many times, alternating; medians printed.
# BENCH_B=/other/build/tests/bench/bench_freezeplan: also measure that build on the same trees
# (rows labelled "<lookup>/B"), each with its own floor runs: a before/after in one run.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
BUILD="${1:-$HERE/../../build}"
BENCH="${BENCH:-$BUILD/tests/bench/bench_freezeplan}" # BENCH=…: another build of it (A/B)
SIZES="${SIZES:-10000 100000}"
COLD="${COLD:-0.5 0.01}"
LOOKUPS="${LOOKUPS:-auto}"
REMOTES="${REMOTES:-sftp}"
REPEAT="${REPEAT:-3}"
PY=/usr/bin/python3
[ -x "$BENCH" ] || { echo "build bench_freezeplan first: ninja -C $BUILD bench_freezeplan" >&2; exit 2; }
command -v rclone >/dev/null || { echo "rclone not found" >&2; exit 2; }

WORK="${WORKDIR:-$(mktemp -d /tmp/baricadr-bench-XXXXXX)}"
mkdir -p "$WORK"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

USER_NAME=bench
PASS="bench-$RANDOM-$RANDOM"
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

now() { date +%s.%N; }
elapsed() { $PY -c "print('%.3f' % ($2 - $1))"; }
median() { $PY -c "import statistics, sys; print('%.3f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }

start_server() {
    # Credentials through the environment, never on the command line.
    RCLONE_CONFIG=/dev/null RCLONE_USER="$USER_NAME" RCLONE_PASS="$PASS" \
        rclone serve sftp --addr "127.0.0.1:$PORT" --cache-dir "$WORK/cache" --dir-cache-time 1s "$WORK/served" \
        >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "SFTP server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}

export RCLONE_CONFIG=/dev/null
export RCLONE_CONFIG_BENCH_TYPE=sftp RCLONE_CONFIG_BENCH_HOST=127.0.0.1 RCLONE_CONFIG_BENCH_PORT="$PORT"
export RCLONE_CONFIG_BENCH_USER="$USER_NAME"
RCLONE_CONFIG_BENCH_PASS="$(printf '%s' "$PASS" | rclone obscure -)"
export RCLONE_CONFIG_BENCH_PASS
export BENCH_SFTP_PORT="$PORT" BENCH_SFTP_USER="$USER_NAME" BENCH_SFTP_PASS="$PASS"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(rclone version | head -1)"
printf '%-6s %-9s %-6s %-8s %9s %9s %9s %9s %7s %8s %10s %8s %10s\n' remote N cold lookup find_s lsf_s floor_s plan_s ratio rss_MiB rclone_MiB scan_s scan/find

for N in $SIZES; do
    # KEEP=1 WORKDIR=… keeps the generated trees; a later run with the same WORKDIR and N
    # reuses them (only the last-access times are set again).
    reuse=0
    if [ -f "$WORK/generated-$N" ]; then reuse=1; else rm -rf "$WORK/local" "$WORK/served" "$WORK"/generated-*; fi
    mkdir -p "$WORK/served"
    first=1
    for C in $COLD; do
        if [ $first = 1 ] && [ $reuse = 0 ]; then
            $PY "$HERE/genrepo.py" --files "$N" --cold "$C" --local "$WORK/local" --remote "$WORK/served/backup" >&2
            touch "$WORK/generated-$N"
        else
            $PY "$HERE/genrepo.py" --files "$N" --cold "$C" --local "$WORK/local" --atime-only >&2
        fi
        if [ $first = 1 ] && [[ " $REMOTES " == *" sftp "* ]]; then
            start_server
        fi
        first=0
        scan_s=$("$BENCH" scan "$WORK/local" - | sed -n 's/^RESULT wall_s=\([0-9.]*\).*/\1/p')
        for R in $REMOTES; do
        case $R in
        sftp) REMOTE_SPEC=bench:backup; REMOTE_ARG=backup ;;
        local) REMOTE_SPEC="$WORK/served/backup"; REMOTE_ARG="$WORK/served/backup" ;;
        *) echo "REMOTES: sftp or local, not $R" >&2; exit 2 ;;
        esac
        # Warm the caches once (both sides), then measure.
        find "$WORK/local" -type f -printf '%A@ %s\n' >/dev/null
        rclone lsf -R --format pst "$REMOTE_SPEC" >/dev/null
        for L in $LOOKUPS; do
          for BIN in "$BENCH" ${BENCH_B:+"$BENCH_B"}; do
            label="$L"; [ "$BIN" = "$BENCH" ] || label="$L/B"
            # Floor and plan alternate REPEAT times (the floor right before each plan: on a
            # loaded machine, ratios of neighbours); the medians are printed.
            finds=""; lsfs=""; plans=""
            for _ in $(seq 1 "$REPEAT"); do
                t0=$(now); find "$WORK/local" -type f -printf '%A@ %s\n' >/dev/null; t1=$(now)
                rclone lsf -R --format pst "$REMOTE_SPEC" >/dev/null; t2=$(now)
                finds="$finds $(elapsed "$t0" "$t1")"; lsfs="$lsfs $(elapsed "$t1" "$t2")"
                if [ "$L" = auto ]; then
                    out=$(env -u BENCH_LOOKUP "$BIN" "$R" "$WORK/local" "$REMOTE_ARG")
                else
                    out=$(BENCH_LOOKUP="$L" "$BIN" "$R" "$WORK/local" "$REMOTE_ARG")
                fi
                echo "$out" | grep -v RESULT | sed 's/^/    /' >&2
                res=$(echo "$out" | grep '^RESULT') || { echo "$out" >&2; exit 1; }
                plans="$plans $(echo "$res" | sed 's/.*wall_s=\([0-9.]*\).*/\1/')"
            done
            find_s=$(median $finds); lsf_s=$(median $lsfs); plan_s=$(median $plans)
            floor_s=$($PY -c "print('%.3f' % ($find_s + $lsf_s))")
            rss=$(echo "$res" | sed 's/.* rss_mib=\([0-9]*\).*/\1/') # not child_rss_mib
            crss=$(echo "$res" | sed 's/.*child_rss_mib=\([0-9]*\).*/\1/')
            ratio=$($PY -c "print('%.2f' % ($plan_s / $floor_s))")
            scan_ratio=$($PY -c "print('%.2f' % ($scan_s / $find_s))")
            printf '%-6s %-9s %-6s %-8s %9s %9s %9s %9s %7s %8s %10s %8s %10s\n' "$R" "$N" "$C" "$label" "$find_s" "$lsf_s" "$floor_s" "$plan_s" "$ratio" "$rss" "$crss" "$scan_s" "$scan_ratio"
          done
        done
        done
    done
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
done
