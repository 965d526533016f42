#!/usr/bin/env bash
# API benchmark: wrk against a real `baricadr serve` whose store holds 10,000 tasks.
#   tests/bench/api.sh BUILD_DIR            (SQLite, then PostgreSQL when PostgreSQL 15 is installed)
# Env: TASKS (10000), CONNECTIONS (50), DURATION (10s), THREADS (2), BACKENDS ("sqlite postgresql"),
#      REQUESTS ("status list all pull": which rows to run), BARICADR (the binary to measure,
#      default BUILD_DIR/headless/baricadr: point it at an older build for an A/B comparison),
#      PULL_RATE_DELAY_MS (20: pause of each of the 4 connections of the paced POST /pull run).
# Prints requests/s and latency for GET /tasks/status/<id>, GET /tasks (paged and unpaged) and
# POST /pull (queueing a new task for a distinct path each time). POST /pull runs three ways:
#   paced       4 connections, each waiting PULL_RATE_DELAY_MS between requests (~200 req/s offered):
#               the time a client waits for its answer on a busy but not saturated service
#   sequential  1 connection, closed loop: one request at a time, so no request queues behind
#               another; the latency is the service time
#   saturation  CONNECTIONS connections, closed loop: the throughput; its latency is mostly
#               queueing (Little's law: CONNECTIONS / req/s)
# Every task really runs (rclone, `local` backend, the file is not on the remote), on the
# service's workers, while the later requests arrive. Loopback only.
set -euo pipefail
BUILD=$(realpath "${1:-build}")
TASKS=${TASKS:-10000}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgresql}
REQUESTS=${REQUESTS:-status list all pull}
PULL_RATE_DELAY_MS=${PULL_RATE_DELAY_MS:-20}
BARICADR=${BARICADR:-"$BUILD/headless/baricadr"}
HERE=$(dirname "$(realpath "$0")")
SEED="$BUILD/tests/bench/bench_api_seed"
PGBIN=/usr/lib/postgresql/15/bin
for exe in "$BARICADR" "$SEED"; do
    [ -x "$exe" ] || { echo "missing $exe: ninja -C $BUILD baricadr bench_api_seed" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (packaging/install-deps.sh)" >&2; exit 2; }

WORK=$(mktemp -d /var/tmp/baricadr-bench-api.XXXXXX)
chmod 755 "$WORK"
SERVE_PID=""
cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
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

mkdir -p "$WORK/repo" "$WORK/remote" "$WORK/logs"
cat > "$WORK/repos.yml" <<YAML
$WORK/repo:
    backend: local
    path: $WORK/remote
YAML

# wrk prints "Requests/sec: N", "Latency avg stdev max" and, with --latency, "99% X" (units kept).
run_wrk() { # label, url
    local label=$1 url=$2
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$url")
    local rps p50 p99 max errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    max=$(awk '$1=="Latency" {print $4}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
    printf '| %s | %s | %s | %s | %s | | %s | %s |\n' "$BACKEND" "$label" "$rps" "$p50" "$p99" "$max" \
        "${errors:-none}"
}

# POST /pull through tests/bench/api_pull.lua, which prints p50/p90/p99/p99.9/max in ms.
run_pull() { # label, threads, connections, delay ms
    local label=$1 threads=$2 connections=$3 delay=$4
    local out
    out=$(BENCH_REPO="$WORK/repo" PULL_DELAY_MS="$delay" wrk -t"$threads" -c"$connections" \
        -d"$DURATION" --timeout 10s -s "$HERE/api_pull.lua" "$URL/pull")
    local rps errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
    read -r _ _ p50 _ p99 p999 max < <(grep '^LATENCY' <<<"$out")
    printf '| %s | %s | %s | %sms | %sms | %sms | %sms | %s |\n' "$BACKEND" "$label" "$rps" "$p50" "$p99" \
        "$p999" "$max" "${errors:-none}"
}
wants() { [[ " $REQUESTS " == *" $1 "* ]]; }

# Requests wrk sent but the service had not answered when wrk stopped (50 unpaged GET /tasks take
# seconds each) are still served afterwards: wait until a GET /version answers at once again, so
# that the next run does not start behind them (bounded: 120 tries).
settle() {
    local t
    for _ in $(seq 1 120); do
        t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 30 "$URL/version" || echo 99)
        awk -v t="$t" 'BEGIN {exit !(t < 0.05)}' && return 0
        sleep 0.5
    done
}

start_serve() { # DATABASE_URI
    local port
    port=$(free_port)
    BARICADR_REPOS_CONF="$WORK/repos.yml" DATABASE_URI="$1" TASK_LOG_DIR="$WORK/logs" \
        BARICADR_DATA_DIR="$WORK/data" "$BARICADR" serve --listen "127.0.0.1:$port" \
        > "$WORK/serve.log" 2>&1 &
    SERVE_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/version" >/dev/null 2>&1 && { URL="http://127.0.0.1:$port"; return 0; }
        sleep 0.1
    done
    echo "baricadr serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1
}

stop_serve() {
    kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $TASKS tasks in the store"
echo
echo "| store | request | req/s | p50 | p99 | p99.9 | max | errors |"
echo "|---|---|---|---|---|---|---|---|"
for BACKEND in $BACKENDS; do
    case $BACKEND in
    sqlite)
        URI="sqlite://$WORK/data/bench.sqlite"
        ;;
    postgresql)
        [ -x "$PGBIN/initdb" ] || { echo "| postgresql | skipped: PostgreSQL 15 not installed | | | | |"; continue; }
        mkdir -p "$WORK/pg/data" "$WORK/pg/sock"
        [ "$(id -u)" = 0 ] && chown -R postgres: "$WORK/pg"
        chmod 700 "$WORK/pg/data"
        runas "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        PGPORT=$(free_port)
        runas "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
            -o "-p $PGPORT -k $WORK/pg/sock -c listen_addresses=''" -w start >/dev/null
        runas "$PGBIN/createdb" -h "$WORK/pg/sock" -p "$PGPORT" -U postgres baricadr
        SOCK=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$WORK/pg/sock")
        URI="postgresql://postgres@$SOCK:$PGPORT/baricadr"
        ;;
    *) echo "unknown backend $BACKEND" >&2; exit 2 ;;
    esac
    ID=$("$SEED" "$URI" "$WORK/repo" "$TASKS")
    start_serve "$URI"
    curl -sf "$URL/tasks/status/$ID" >/dev/null
    wants status && settle && run_wrk "GET /tasks/status/<id>" "$URL/tasks/status/$ID"
    wants list && settle && run_wrk "GET /tasks?limit=50" "$URL/tasks?limit=50"
    wants all && settle && run_wrk "GET /tasks (all $TASKS)" "$URL/tasks"
    if wants pull; then
        settle
        run_pull "POST /pull paced (4 conn, ${PULL_RATE_DELAY_MS} ms apart)" 1 4 "$PULL_RATE_DELAY_MS"
        settle
        run_pull "POST /pull sequential (1 conn)" 1 1 0
        settle
        run_pull "POST /pull saturation ($CONNECTIONS conn)" "$THREADS" "$CONNECTIONS" 0
    fi
    echo "| | load after the $BACKEND runs: $(cut -d' ' -f1-3 /proc/loadavg) | | | | | | |"
    stop_serve
done
