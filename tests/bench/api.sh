#!/usr/bin/env bash
# API benchmark: wrk against a real `baricadr serve` whose store holds 10,000 tasks.
#   tests/bench/api.sh BUILD_DIR            (SQLite, then PostgreSQL when PostgreSQL 15 is installed)
# Env: TASKS (10000), CONNECTIONS (50), DURATION (10s), THREADS (2), BACKENDS ("sqlite postgresql").
# Prints requests/s and p99 latency for GET /tasks/status/<id>, GET /tasks (paged and unpaged)
# and POST /pull (queueing a new task for a distinct path each time). Loopback only.
set -euo pipefail
BUILD=$(realpath "${1:-build}")
TASKS=${TASKS:-10000}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
BACKENDS=${BACKENDS:-sqlite postgresql}
BARICADR="$BUILD/headless/baricadr"
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

# wrk prints "Requests/sec: N" and, with --latency, "99% X"; both normalised to ms here.
run_wrk() { # label, url, [lua script]
    local label=$1 url=$2 script=${3:-}
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency ${script:+-s "$script"} "$url")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
    printf '| %s | %s | %s | %s | %s | %s |\n' "$BACKEND" "$label" "$rps" "$p50" "$p99" "${errors:-none}"
}

cat > "$WORK/pull.lua" <<'LUA'
-- POST /pull for a distinct path each time (each request queues a new task).
local counter = 0
request = function()
    counter = counter + 1
    local body = string.format('{"path": "%s/d%d/f%d.dat"}', repo, math.random(1, 1000000000), counter)
    return wrk.format("POST", "/pull", {["Content-Type"] = "application/json"}, body)
end
LUA

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
echo "| store | request | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
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
    run_wrk "GET /tasks/status/<id>" "$URL/tasks/status/$ID"
    run_wrk "GET /tasks?limit=50" "$URL/tasks?limit=50"
    run_wrk "GET /tasks (all $TASKS)" "$URL/tasks"
    sed "1i repo = \"$WORK/repo\"" "$WORK/pull.lua" > "$WORK/pull-run.lua"
    run_wrk "POST /pull (new task each)" "$URL/pull" "$WORK/pull-run.lua"
    stop_serve
done
