#!/usr/bin/env bash
# README command 1: installs what is needed, builds, creates a demo and starts the service.
#
# The demo: a local repository with a few files, a "remote" backup directory served over SFTP by
# `rclone serve sftp` on 127.0.0.1, SQLite under the data dir, and `baricadr serve` on
# 127.0.0.1:9100 (BARICADR_DEMO_PORT), left running in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

bash packaging/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j "$(nproc)" --target baricadr

DEMO=${BARICADR_DEMO_DIR:-/var/tmp/baricadr-demo}
PORT=${BARICADR_DEMO_PORT:-9100}
mkdir -p "$DEMO"
DEMO=$(realpath "$DEMO")

# Stop a previous demo, if any.
for pidfile in "$DEMO/baricadr.pid" "$DEMO/sftp.pid"; do
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    fi
done
sleep 0.5

mkdir -p "$DEMO/repo" "$DEMO/remote" "$DEMO/data" "$DEMO/logs/tasks" "$DEMO/sftp-cache"

# The backup: a small tree, as an `rclone sync` backup would hold it.
if [ ! -e "$DEMO/.demo-created" ]; then
    mkdir -p "$DEMO/remote/subdir/subsubdir" "$DEMO/remote/results/2024"
    echo "hello from the backup" > "$DEMO/remote/file.txt"
    echo "another file" > "$DEMO/remote/file2.txt"
    echo "nested" > "$DEMO/remote/subdir/subfile.txt"
    printf 'a\tb\n1\t2\n' > "$DEMO/remote/subdir/subsubdir/poutrelle.tsv"
    head -c 1048576 /dev/urandom > "$DEMO/remote/results/2024/run1.bin"
    head -c 524288 /dev/urandom > "$DEMO/remote/results/2024/run2.bin"
    # The local copy starts with some of it, made to look unread for a year.
    cp -a "$DEMO/remote/file.txt" "$DEMO/remote/subdir" "$DEMO/repo/"
    find "$DEMO/repo" -type f -exec touch -a -d '400 days ago' {} +
    touch "$DEMO/.demo-created"
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
SFTP_PORT=$(free_port)
SFTP_PASS=demo-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

# The loopback SFTP server standing in for the backup host. Its password goes through the
# environment (RCLONE_PASS), never on a command line.
RCLONE_CONFIG=/dev/null RCLONE_USER=demo RCLONE_PASS="$SFTP_PASS" nohup rclone serve sftp \
    --addr "127.0.0.1:$SFTP_PORT" --cache-dir "$DEMO/sftp-cache" --dir-cache-time 1s \
    "$DEMO" > "$DEMO/sftp.log" 2>&1 &
echo $! > "$DEMO/sftp.pid"

umask 077
cat > "$DEMO/repos.yml" <<YAML
# Demo repository: the local tree $DEMO/repo, backed up on a loopback SFTP server.
$DEMO/repo:
    backend: sftp
    url: 127.0.0.1:remote
    port: $SFTP_PORT
    user: demo
    password: $SFTP_PASS
    freezable: true
    freeze_age: 180
    exclude: "*.tsv"
YAML
umask 022

export BARICADR_REPOS_CONF="$DEMO/repos.yml"
export DATABASE_URI="sqlite://$DEMO/data/baricadr.sqlite"
export TASK_LOG_DIR="$DEMO/logs/tasks"
export BARICADR_DATA_DIR="$DEMO/data"
nohup "$SRC/$BUILD_DIR/headless/baricadr" serve --listen "127.0.0.1:$PORT" > "$DEMO/baricadr.log" 2>&1 &
echo $! > "$DEMO/baricadr.pid"

for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/version" > /dev/null; then
        break
    fi
    if ! kill -0 "$(cat "$DEMO/baricadr.pid")" 2>/dev/null; then
        echo "baricadr serve exited; its log:" >&2
        cat "$DEMO/baricadr.log" >&2
        exit 1
    fi
    sleep 0.1
done

cat <<TXT

Baricadr is running on http://127.0.0.1:$PORT (log: $DEMO/baricadr.log)
  repository:  $DEMO/repo      backup: sftp://127.0.0.1:$SFTP_PORT/remote (files in $DEMO/remote)

Try:
  curl -s 127.0.0.1:$PORT/version
  curl -s -X POST 127.0.0.1:$PORT/list   -H 'Content-Type: application/json' -d '{"path": "$DEMO/repo", "max_depth": 0}'
  curl -s -X POST 127.0.0.1:$PORT/pull   -H 'Content-Type: application/json' -d '{"path": "$DEMO/repo/results"}'
  curl -s -X POST 127.0.0.1:$PORT/freeze -H 'Content-Type: application/json' -d '{"path": "$DEMO/repo", "dry_run": true}'
  curl -s -X POST 127.0.0.1:$PORT/freeze -H 'Content-Type: application/json' -d '{"path": "$DEMO/repo"}'
  curl -s 127.0.0.1:$PORT/tasks
  curl -s 127.0.0.1:$PORT/tasks/status/<task id>

Stop it:  kill \$(cat $DEMO/baricadr.pid) \$(cat $DEMO/sftp.pid)
TXT
