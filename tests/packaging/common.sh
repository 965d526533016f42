# Shared helpers of the packaging tests (sourced). Every wait is bounded; every temp dir removed.
set -euo pipefail

SKIP=77 # CTest SKIP_RETURN_CODE

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit "$SKIP"; }
pass() { echo "ok: $*"; }

# A scratch directory removed on exit; extra cleanup commands go in CLEANUP (array).
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/baricadr-pkgtest.XXXXXX")
CLEANUP=()
cleanup() {
    local c
    for c in "${CLEANUP[@]}"; do eval "$c" || true; done
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

# Builds the packages from the existing build tree into $1 (no recompilation: the build tree's
# binaries are packaged as they are).
build_packages() {
    local out=$1
    cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$out" >"$out.cpack.log" 2>&1 \
        || { cat "$out.cpack.log" >&2; fail "cpack -G DEB failed"; }
    BARICADR_DEB=$(ls "$out"/baricadr_"$VERSION"-*_*.deb 2>/dev/null | head -n1)
    [ -n "$BARICADR_DEB" ] || fail "no baricadr_${VERSION}-*.deb in $out: $(ls "$out")"
    GUI_DEB=$(ls "$out"/baricadr-gui_"$VERSION"-*_*.deb 2>/dev/null | head -n1 || true)
}

# A free TCP port on loopback.
free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
