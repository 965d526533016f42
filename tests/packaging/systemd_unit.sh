#!/usr/bin/env bash
# The unit passes `systemd-analyze verify` with no message at all (its exit status alone
# ignores unknown keys and bad values), and keeps the sandbox the package promises.
# Usage: systemd_unit.sh BUILD_DIR SOURCE_DIR
BUILD_DIR=$1 SOURCE_DIR=$2
. "$(dirname "$0")/common.sh"
unit=$SOURCE_DIR/packaging/systemd/baricadr.service

# --- what the unit must say -------------------------------------------------------------------
expect() { grep -qxF "$1" "$unit" || fail "baricadr.service lacks the line: $1"; }
expect 'ExecStart=/usr/bin/baricadr serve --config /etc/baricadr/baricadr.conf'
expect 'User=baricadr'
expect 'ProtectSystem=strict'
expect 'NoNewPrivileges=yes'
expect 'Restart=on-failure'
expect 'ReadWritePaths=/var/lib/baricadr /var/log/baricadr'
grep -q 'CAP_CHOWN' "$unit" || fail "baricadr.service does not document CAP_CHOWN for chown_uid"
grep -qi 'repositor.*ReadWritePaths\|ReadWritePaths.*repositor' "$unit" \
    || fail "baricadr.service does not say that repositories must be added to ReadWritePaths"
pass "unit contents"

# --- systemd-analyze verify -------------------------------------------------------------------
command -v systemd-analyze >/dev/null || skip "systemd-analyze not available: unit not verified"
# verify wants ExecStart's binary and the man page of Documentation= to exist: point them at the
# build tree.
binary=$BUILD_DIR/headless/baricadr
[ -x "$binary" ] || fail "$binary not built"
sed "s#^ExecStart=/usr/bin/baricadr #ExecStart=$binary #" "$unit" >"$SCRATCH/baricadr.service"
mkdir -p "$SCRATCH/man/man1"
cp "$BUILD_DIR/packaging/generated/baricadr.1.gz" "$SCRATCH/man/man1/" \
    || fail "baricadr.1.gz not generated (target baricadr_packaging_files)"
set +e
messages=$(cd "$SCRATCH" && MANPATH=$SCRATCH/man SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$SCRATCH/baricadr.service" 2>&1)
rc=$?
set -e
echo "$messages"
[ "$rc" -eq 0 ] || fail "systemd-analyze verify exited with $rc"
[ -z "$messages" ] || fail "systemd-analyze verify printed messages (above)"
pass "systemd-analyze verify: clean"
