#!/usr/bin/env bash
# The .desktop file validates, runs the binary the package installs and names an icon that the
# package installs (SVG source present, rendered sizes declared in packaging/CMakeLists.txt).
# Usage: desktop_file.sh SOURCE_DIR
SOURCE_DIR=$1
. "$(dirname "$0")/common.sh"
command -v desktop-file-validate >/dev/null || skip "desktop-file-validate not installed (package desktop-file-utils)"

desktop=$SOURCE_DIR/resources/baricadr-gui.desktop
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate reports: $out"
pass "desktop-file-validate (no error, no hint)"

grep -qx 'Exec=baricadr-gui' "$desktop" || fail "Exec= is not baricadr-gui"
grep -qx 'Icon=baricadr' "$desktop" || fail "Icon= is not baricadr"
[ -f "$SOURCE_DIR/resources/icons/baricadr.svg" ] || fail "resources/icons/baricadr.svg is missing"
if command -v rsvg-convert >/dev/null; then
    rsvg-convert --width=48 --height=48 --output="$SCRATCH/icon.png" "$SOURCE_DIR/resources/icons/baricadr.svg" \
        || fail "the SVG icon does not render"
    file "$SCRATCH/icon.png" | grep -q 'PNG image data, 48 x 48' || fail "rendered icon: $(file -b "$SCRATCH/icon.png")"
fi
pass "Exec and Icon match what baricadr-gui installs; the SVG renders"
