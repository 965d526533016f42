#!/usr/bin/env bash
# Runs the systemd unit's ExecStart line as it is (systemctl may be absent here), with the
# packaged example baricadr.conf moved to temporary directories and a free loopback port, and one
# local-backend repository: the service must start, answer GET /version with the project
# version, and exit cleanly (status 0) on SIGTERM.
# Usage: service_execstart.sh BUILD_DIR SOURCE_DIR VERSION
BUILD_DIR=$1 SOURCE_DIR=$2 VERSION=$3
. "$(dirname "$0")/common.sh"
command -v curl >/dev/null || skip "curl not installed"

binary=$BUILD_DIR/headless/baricadr
[ -x "$binary" ] || fail "$binary not built"
if ! "$binary" serve --help 2>/dev/null | grep -q -- '--config'; then
    skip "this build's 'baricadr serve' has no --config option yet: the unit's ExecStart cannot run"
fi

# --- a configuration derived from the packaged examples ----------------------------------------
port=$(free_port)
etc=$SCRATCH/etc data=$SCRATCH/data log=$SCRATCH/log
mkdir -p "$etc" "$data" "$log/tasks" "$SCRATCH/repo" "$SCRATCH/backup" "$SCRATCH/home"
echo "hello" >"$SCRATCH/backup/hello.txt"
sed -e "s#/etc/baricadr/repos.yml#$etc/repos.yml#" \
    -e "s#/var/lib/baricadr#$data#g" \
    -e "s#/var/log/baricadr#$log#g" \
    -e "s#^BARICADR_LISTEN = 127.0.0.1:9100\$#BARICADR_LISTEN = 127.0.0.1:$port#" \
    "$SOURCE_DIR/packaging/etc/baricadr.conf" >"$etc/baricadr.conf"
grep -q "^BARICADR_LISTEN = 127.0.0.1:$port\$" "$etc/baricadr.conf" \
    || fail "the example baricadr.conf has no 'BARICADR_LISTEN = 127.0.0.1:9100' line to move"
cp "$SOURCE_DIR/packaging/etc/repos.yml" "$etc/repos.yml"
cat >>"$etc/repos.yml" <<YAML

$SCRATCH/repo:
    backend: local
    path: $SCRATCH/backup
YAML

# --- the unit's ExecStart, word for word, with the two paths moved -----------------------------
execstart=$(sed -n 's/^ExecStart=//p' "$SOURCE_DIR/packaging/systemd/baricadr.service")
read -r -a cmd <<<"$execstart"
for i in "${!cmd[@]}"; do
    case "${cmd[$i]}" in
    /usr/bin/baricadr) cmd[$i]=$binary ;;
    /etc/baricadr/baricadr.conf) cmd[$i]=$etc/baricadr.conf ;;
    esac
done
echo "running: ${cmd[*]}"

# A clean environment, as systemd gives (no BARICADR_* override from the caller).
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$SCRATCH/home" LANG=C.UTF-8 \
    "${cmd[@]}" >"$SCRATCH/service.log" 2>&1 &
pid=$!
CLEANUP+=("kill -KILL $pid 2>/dev/null")

answer=
for _ in $(seq 1 150); do # up to 30 s
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$SCRATCH/service.log" >&2
        fail "the service exited before answering (log above)"
    fi
    answer=$(curl -sf --max-time 2 "http://127.0.0.1:$port/version" || true)
    [ -n "$answer" ] && break
    sleep 0.2
done
cat "$SCRATCH/service.log"
[ -n "$answer" ] || fail "no answer on http://127.0.0.1:$port/version within 30 s"
echo "GET /version: $answer"
/usr/bin/python3 -c 'import json,sys; v=json.loads(sys.argv[1])["version"]; sys.exit(0 if v == sys.argv[2] else 1)' \
    "$answer" "$VERSION" || fail "/version answered $answer, expected version $VERSION"
pass "ExecStart line serves /version = $VERSION"

kill -TERM "$pid"
for _ in $(seq 1 100); do # up to 20 s
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$pid" 2>/dev/null && fail "the service did not exit within 20 s of SIGTERM"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat "$SCRATCH/service.log" >&2; fail "the service exited with status $rc after SIGTERM"; }
pass "SIGTERM: clean exit"
