#!/usr/bin/env bash
# A/B latency of POST /pull between two builds of `baricadr serve`, fair on a shared machine:
#   tests/bench/api_ab.sh BUILD_DIR OLD_BARICADR NEW_BARICADR
# Both services run at once, each on its own store (10,000 tasks), and short wrk runs alternate
# between them (A B B A A B ...), so both see the same machine load, including each other's
# background pulls (every POST /pull queues a task that really runs rclone). Prints, per mode,
# the median over the rounds of req/s, p50, p99 and max for each build, and the ratio new/old.
# Env: BACKENDS ("sqlite postgresql"), ROUNDS (6), SLICE (3s), TASKS (10000),
#      MODES ("control paced sequential saturation"), CONNECTIONS (50), PULL_RATE_DELAY_MS (20).
# Modes: status = GET /tasks/status/<id> with CONNECTIONS connections (not in the default list),
# control = GET /version paced like `paced` (a request that does no work: the floor this
# machine's load sets), paced = 4 connections each waiting PULL_RATE_DELAY_MS between requests,
# sequential = 1 connection closed loop, saturation = CONNECTIONS connections closed loop.
set -euo pipefail
BUILD=$(realpath "${1:?usage: api_ab.sh BUILD_DIR OLD_BARICADR NEW_BARICADR}")
OLD=$(realpath "${2:?old binary}")
NEW=$(realpath "${3:?new binary}")
BACKENDS=${BACKENDS:-sqlite postgresql}
ROUNDS=${ROUNDS:-6}
SLICE=${SLICE:-3s}
TASKS=${TASKS:-10000}
MODES=${MODES:-control paced sequential saturation}
CONNECTIONS=${CONNECTIONS:-50}
PULL_RATE_DELAY_MS=${PULL_RATE_DELAY_MS:-20}
SEED="$BUILD/tests/bench/bench_api_seed"
PGBIN=/usr/lib/postgresql/15/bin
HERE=$(dirname "$(realpath "$0")")
for exe in "$OLD" "$NEW" "$SEED"; do
    [ -x "$exe" ] || { echo "missing $exe" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

WORK=$(mktemp -d /var/tmp/baricadr-bench-api-ab.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    if [ -d "$WORK/pg" ]; then
        runas "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
runas() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_pg() {
    mkdir -p "$WORK/pg/data" "$WORK/pg/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$WORK/pg"
    chmod 700 "$WORK/pg/data"
    runas "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    PGPORT=$(free_port)
    runas "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
        -o "-p $PGPORT -k $WORK/pg/sock -c listen_addresses=''" -w start >/dev/null
    SOCK=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$WORK/pg/sock")
}

# start NAME BINARY BACKEND: a service with its own repo, store and logs; sets URL_<NAME>.
start() {
    local name=$1 bin=$2 backend=$3 dir="$WORK/$1-$3" uri port
    mkdir -p "$dir/repo" "$dir/remote" "$dir/logs" "$dir/data"
    printf '%s:\n    backend: local\n    path: %s\n' "$dir/repo" "$dir/remote" > "$dir/repos.yml"
    if [ "$backend" = sqlite ]; then
        uri="sqlite://$dir/data/bench.sqlite"
    else
        runas "$PGBIN/createdb" -h "$WORK/pg/sock" -p "$PGPORT" -U postgres "$name"
        uri="postgresql://postgres@$SOCK:$PGPORT/$name"
    fi
    printf -v "ID_$name" '%s' "$("$SEED" "$uri" "$dir/repo" "$TASKS")"
    port=$(free_port)
    BARICADR_REPOS_CONF="$dir/repos.yml" DATABASE_URI="$uri" TASK_LOG_DIR="$dir/logs" \
        BARICADR_DATA_DIR="$dir/data" "$bin" serve --listen "127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/version" >/dev/null 2>&1 && break
        sleep 0.1
    done
    printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
    printf -v "REPO_$name" '%s' "$dir/repo"
}

# one NAME MODE -> "rps p50 p99 max" (ms)
one() {
    local name=$1 mode=$2 url repo id threads conns delay out get=""
    url=URL_$name; url=${!url}; repo=REPO_$name; repo=${!repo}; id=ID_$name; id=${!id}
    case $mode in
    status) threads=2 conns=$CONNECTIONS delay=0 get=/tasks/status/$id ;;
    control) threads=1 conns=4 delay=$PULL_RATE_DELAY_MS get=/version ;;
    paced) threads=1 conns=4 delay=$PULL_RATE_DELAY_MS ;;
    sequential) threads=1 conns=1 delay=0 ;;
    saturation) threads=2 conns=$CONNECTIONS delay=0 ;;
    esac
    out=$(BENCH_REPO="$repo" BENCH_GET="$get" PULL_DELAY_MS="$delay" wrk -t"$threads" -c"$conns" -d"$SLICE" --timeout 10s \
        -s "$HERE/api_pull.lua" "$url/pull")
    local rps
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    awk -v rps="$rps" '$1=="LATENCY" {print rps, $3, $5, $7}' <<<"$out"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds of $SLICE per build and mode"
echo "old: $OLD"
echo "new: $NEW"
echo
echo "| store | run | build | req/s | p50 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|"
for BACKEND in $BACKENDS; do
    if [ "$BACKEND" = postgresql ]; then
        [ -x "$PGBIN/initdb" ] || { echo "| postgresql | skipped: not installed | | | | | |"; continue; }
        [ -d "$WORK/pg" ] || start_pg
    fi
    start old "$OLD" "$BACKEND"
    start new "$NEW" "$BACKEND"
    for mode in $MODES; do
        : > "$WORK/old.$mode"
        : > "$WORK/new.$mode"
        for r in $(seq 1 "$ROUNDS"); do
            if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
            for name in $order; do one "$name" "$mode" >> "$WORK/$name.$mode"; done
        done
        for name in old new; do
            f="$WORK/$name.$mode"
            echo "raw $BACKEND $mode $name: $(tr '\n' ';' < "$f")" >&2
            printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$BACKEND" "$mode" "$name" \
                "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" \
                "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)"
        done
    done
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    PIDS=()
    echo "| | load after $BACKEND: $(cut -d' ' -f1-3 /proc/loadavg) | | | | | |"
done
