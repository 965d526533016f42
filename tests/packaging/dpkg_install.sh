#!/usr/bin/env bash
# Installs the built packages on THIS machine with dpkg -i, checks what the maintainer scripts
# did (system user, directories with their owners and modes, config files 0640 root:baricadr),
# runs the installed `baricadr --version` and verifies the installed unit, then purges them and
# checks that purge kept /var/lib/baricadr (the freeze journal) and removed the logs. Leaves the
# machine as it found it.
#
# It changes the system, so it runs only when asked: CI=true (a throwaway CI machine) or
# BARICADR_TEST_DPKG_INSTALL=1; as root; with no baricadr package installed already.
# Usage: dpkg_install.sh BUILD_DIR SOURCE_DIR VERSION
BUILD_DIR=$1 SOURCE_DIR=$2 VERSION=$3
. "$(dirname "$0")/common.sh"

if [ "${CI:-}" != true ] && [ "${BARICADR_TEST_DPKG_INSTALL:-}" != 1 ]; then
    skip "installs packages system-wide: set BARICADR_TEST_DPKG_INSTALL=1 (CI=true does) to run it"
fi
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
for p in baricadr baricadr-gui; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
        skip "package $p is already installed on this machine: not touching it"
    fi
done

had_user=no; getent passwd baricadr >/dev/null && had_user=yes
had_lib=no; [ -e /var/lib/baricadr ] && had_lib=yes

out=$SCRATCH/debs
build_packages "$out"
debs=("$BARICADR_DEB")
[ -n "$GUI_DEB" ] && debs+=("$GUI_DEB")

purge() {
    dpkg --purge baricadr-gui baricadr >/dev/null 2>&1 || true
    [ "$had_lib" = no ] && rm -rf /var/lib/baricadr
    if [ "$had_user" = no ] && getent passwd baricadr >/dev/null; then
        deluser --system --quiet baricadr >/dev/null 2>&1 || userdel baricadr || true
        getent group baricadr >/dev/null && { delgroup --system --quiet baricadr >/dev/null 2>&1 || groupdel baricadr || true; }
    fi
}
CLEANUP+=(purge)

dpkg -i "${debs[@]}" >"$SCRATCH/dpkg.log" 2>&1 \
    || { cat "$SCRATCH/dpkg.log" >&2; fail "dpkg -i failed"; }
cat "$SCRATCH/dpkg.log"
dpkg-query -W -f='${Status}\n' baricadr | grep -q 'install ok installed' || fail "baricadr is not installed ok"
pass "dpkg -i ${debs[*]##*/}"

getent passwd baricadr >/dev/null || fail "postinst did not create the user baricadr"
[ "$(getent passwd baricadr | cut -d: -f7)" = /usr/sbin/nologin ] || fail "user baricadr has a login shell"
check_stat() { # path expected "user:group mode"
    local got
    got=$(stat -c '%U:%G %a' "$1") || fail "$1 does not exist"
    [ "$got" = "$2" ] || fail "$1 is $got, expected $2"
}
check_stat /var/lib/baricadr "baricadr:baricadr 750"
check_stat /var/log/baricadr "baricadr:adm 2750"
check_stat /var/log/baricadr/tasks "baricadr:adm 2750"
check_stat /etc/baricadr "root:baricadr 750"
check_stat /etc/baricadr/baricadr.conf "root:baricadr 640"
check_stat /etc/baricadr/repos.yml "root:baricadr 640"
pass "user, directories and config permissions"

printed=$(/usr/bin/baricadr --version)
grep -Eq "(^| )$VERSION$" <<<"$printed" || fail "installed baricadr --version printed \"$printed\""
# The service user can run it too (its home is the data dir, no shell).
runuser -u baricadr -- /usr/bin/baricadr --version >/dev/null || fail "the baricadr user cannot run baricadr"
pass "installed /usr/bin/baricadr --version prints $VERSION"

if command -v systemd-analyze >/dev/null; then
    messages=$(systemd-analyze verify /lib/systemd/system/baricadr.service 2>&1) \
        || fail "systemd-analyze verify failed: $messages"
    [ -z "$messages" ] || fail "systemd-analyze verify on the installed unit: $messages"
    pass "installed unit verifies clean"
fi

# Upgrade (a reinstall is one for dpkg): preinst keeps a copy of the SQLite database first.
echo "pretend database" >/var/lib/baricadr/baricadr.sqlite
dpkg -i "$BARICADR_DEB" >"$SCRATCH/upgrade.log" 2>&1 || { cat "$SCRATCH/upgrade.log" >&2; fail "reinstall failed"; }
copy=$(ls /var/lib/baricadr/pre-upgrade/baricadr.sqlite."$VERSION"-* 2>/dev/null | head -n1)
[ -n "$copy" ] || fail "no copy of the database in /var/lib/baricadr/pre-upgrade after an upgrade"
cmp -s "$copy" /var/lib/baricadr/baricadr.sqlite || fail "the pre-upgrade copy differs from the database"
check_stat /var/lib/baricadr/pre-upgrade "root:root 700"
pass "upgrade: database copied to $copy first"

dpkg --purge baricadr-gui baricadr >"$SCRATCH/purge.log" 2>&1 || { cat "$SCRATCH/purge.log" >&2; fail "dpkg --purge failed"; }
cat "$SCRATCH/purge.log"
[ -e /usr/bin/baricadr ] && fail "purge left /usr/bin/baricadr"
[ -e /var/log/baricadr ] && fail "purge left /var/log/baricadr"
[ -d /var/lib/baricadr ] || fail "purge removed /var/lib/baricadr (it holds the freeze journal)"
[ -e /etc/baricadr/baricadr.conf ] && fail "purge left /etc/baricadr/baricadr.conf"
pass "purge: binaries, config and logs gone; /var/lib/baricadr kept"
