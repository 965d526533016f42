#!/usr/bin/env bash
# Builds both Debian packages with CPack from the existing build tree, checks them with lintian
# (no errors allowed; warnings listed), their metadata (dependencies: the service never pulls in
# Qt Widgets), their contents (config examples 0640 and conffiles, unit, man pages, icons,
# docs), then extracts them into a scratch root and runs the extracted `baricadr --version`.
# Usage: deb_packages.sh BUILD_DIR SOURCE_DIR VERSION GUI(ON|OFF)
BUILD_DIR=$1 SOURCE_DIR=$2 VERSION=$3 GUI=$4
. "$(dirname "$0")/common.sh"

for tool in cpack dpkg-deb lintian; do
    command -v "$tool" >/dev/null || skip "$tool not installed (packaging/install-deps.sh installs it)"
done

out=$SCRATCH/debs
build_packages "$out"
pass "cpack built $(cd "$out" && ls ./*.deb | tr '\n' ' ')"
if [ "$GUI" = ON ]; then
    [ -n "$GUI_DEB" ] || fail "GUI is built but cpack made no baricadr-gui package"
fi

# --- lintian: errors fail the test, warnings are printed --------------------------------------
lintian_out=$SCRATCH/lintian.txt
set +e
lintian --fail-on error --tag-display-limit 0 "$out"/*.deb >"$lintian_out" 2>&1
lintian_rc=$?
set -e
grep -v '^running with root privileges' "$lintian_out" || true
grep -q '^E: ' "$lintian_out" && fail "lintian reports errors (above)"
[ "$lintian_rc" -eq 0 ] || fail "lintian exited with $lintian_rc"
pass "lintian: no errors ($(grep -c '^W: ' "$lintian_out" || true) warnings)"

# --- control fields -------------------------------------------------------------------------
depends=$(dpkg-deb -f "$BARICADR_DEB" Depends)
echo "baricadr Depends: $depends"
for dep in rclone libqt6core6 libqt6network6 libqt6httpserver6 libqt6sql6-sqlite adduser; do
    grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "baricadr does not depend on $dep"
done
if grep -Eiq 'libqt6widgets|libqt6gui|libqt6svg|libx11|libgl' <<<"$depends"; then
    fail "baricadr (the headless service) depends on a GUI library: $depends"
fi
pass "baricadr depends on rclone and the Qt runtime, not on Qt Widgets/Gui"
[ "$(dpkg-deb -f "$BARICADR_DEB" Version)" = "$VERSION-1" ] || fail "baricadr version is not $VERSION-1"

if [ -n "$GUI_DEB" ]; then
    gdepends=$(dpkg-deb -f "$GUI_DEB" Depends)
    echo "baricadr-gui Depends: $gdepends"
    grep -q "baricadr (= $VERSION-" <<<"$gdepends" || fail "baricadr-gui does not depend on baricadr (= $VERSION-…)"
    grep -q 'libqt6widgets6' <<<"$gdepends" || fail "baricadr-gui does not depend on libqt6widgets6"
    grep -q 'libqt6svg6' <<<"$gdepends" || fail "baricadr-gui does not depend on libqt6svg6"
    pass "baricadr-gui depends on baricadr, Qt Widgets and Qt Svg"
fi

# --- maintainer scripts and conffiles --------------------------------------------------------
ctrl=$SCRATCH/control
dpkg-deb -e "$BARICADR_DEB" "$ctrl"
for s in preinst postinst prerm postrm; do
    [ -x "$ctrl/$s" ] || fail "baricadr has no executable $s"
    sh -n "$ctrl/$s" || fail "$s is not valid sh"
done
grep -q 'adduser --system' "$ctrl/postinst" || fail "postinst does not create the system user"
diff <(sort "$ctrl/conffiles") <(printf '/etc/baricadr/baricadr.conf\n/etc/baricadr/repos.yml\n') \
    || fail "conffiles must list exactly the two files of /etc/baricadr"
pass "maintainer scripts and conffiles"

# --- contents ---------------------------------------------------------------------------------
root=$SCRATCH/root
mkdir -p "$root"
dpkg-deb -x "$BARICADR_DEB" "$root"
[ -n "$GUI_DEB" ] && dpkg-deb -x "$GUI_DEB" "$root"

listing=$(dpkg-deb -c "$BARICADR_DEB")
for f in baricadr.conf repos.yml; do
    grep -Eq "^-rw-r----- root/root .* \./etc/baricadr/$f$" <<<"$listing" \
        || fail "/etc/baricadr/$f is not shipped 0640 root:root: $(grep "$f" <<<"$listing")"
done
for f in usr/bin/baricadr lib/systemd/system/baricadr.service usr/share/man/man1/baricadr.1.gz \
         usr/share/doc/baricadr/copyright usr/share/doc/baricadr/changelog.Debian.gz \
         usr/share/doc/baricadr/changelog.gz usr/share/doc/baricadr/install.md \
         usr/share/doc/baricadr/operate.md usr/share/doc/baricadr/upgrading.md \
         usr/share/doc/baricadr/troubleshooting.md \
         usr/share/doc/baricadr/examples/nginx-baricadr.conf; do
    [ -f "$root/$f" ] || fail "baricadr does not ship /$f"
done
if dpkg-deb -c "$BARICADR_DEB" | grep -Eq 'baricadr-gui|/applications/|/icons/'; then
    fail "the baricadr package ships desktop files"
fi
pass "baricadr contents"

check_man() { # a man page that renders without a single warning
    local warnings
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man page $1 has warnings: $warnings"
}
check_man "$root/usr/share/man/man1/baricadr.1.gz"
zcat "$root/usr/share/man/man1/baricadr.1.gz" | grep -q "baricadr $VERSION" \
    || fail "baricadr.1 does not carry version $VERSION"

if [ -n "$GUI_DEB" ]; then
    for f in usr/bin/baricadr-gui usr/share/applications/baricadr-gui.desktop \
             usr/share/metainfo/org.baricadr.Baricadr.metainfo.xml \
             usr/share/icons/hicolor/scalable/apps/baricadr.svg \
             usr/share/man/man1/baricadr-gui.1.gz usr/share/doc/baricadr-gui/copyright; do
        [ -f "$root/$f" ] || fail "baricadr-gui does not ship /$f"
    done
    for size in 16 22 24 32 48 64 128 256 512; do
        png=$root/usr/share/icons/hicolor/${size}x${size}/apps/baricadr.png
        [ -f "$png" ] || fail "no ${size}x${size} icon"
        file "$png" | grep -q "PNG image data, $size x $size" || fail "$png: $(file -b "$png")"
    done
    check_man "$root/usr/share/man/man1/baricadr-gui.1.gz"
    pass "baricadr-gui contents (icons 16..512 with the right sizes)"

    # The extracted GUI answers --version and --help without a display, and every option of its
    # --help is in baricadr-gui(1).
    gui_env=(env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$SCRATCH" HOME="$SCRATCH")
    gprinted=$(timeout 30 "${gui_env[@]}" "$root/usr/bin/baricadr-gui" --version 2>/dev/null) \
        || fail "baricadr-gui --version failed or hung"
    grep -Eq "(^| )$VERSION$" <<<"$gprinted" || fail "baricadr-gui --version printed \"$gprinted\""
    ghelp=$(timeout 30 "${gui_env[@]}" "$root/usr/bin/baricadr-gui" --help 2>/dev/null) \
        || fail "baricadr-gui --help failed or hung"
    gman=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$root/usr/share/man/man1/baricadr-gui.1.gz" 2>/dev/null)
    for opt in $(grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' <<<"$ghelp" | grep -oE -- '--[a-z-]+' | sort -u); do
        grep -qE "^ {7}(-[a-z], )?$opt( |,|$)" <<<"$gman" \
            || fail "option $opt of baricadr-gui --help is not documented in baricadr-gui(1)"
    done
    pass "baricadr-gui --version prints $VERSION; baricadr-gui(1) documents every option of --help"
fi

# --- the extracted binary runs and prints the project version ---------------------------------
printed=$("$root/usr/bin/baricadr" --version)
echo "extracted baricadr --version: $printed"
grep -Eq "(^| )$VERSION$" <<<"$printed" || fail "baricadr --version printed \"$printed\", not $VERSION"
pass "extracted usr/bin/baricadr --version prints $VERSION"

# --- every command of `baricadr --help` is documented in baricadr(1) --------------------------
help=$("$root/usr/bin/baricadr" --help)
commands=$(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^[^ ]/{on=0}' <<<"$help" \
           | sed 's/[|,].*//' | sort -u)
if [ -z "$commands" ]; then
    echo "note: no \"Commands:\" section in baricadr --help; command coverage of baricadr(1) not checked"
else
    man_text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$root/usr/share/man/man1/baricadr.1.gz" 2>/dev/null)
    for c in $commands; do
        grep -Eq "^ {7}(task )?$c( |$)|^ {7}[^ ].*\| ?$c( |$)" <<<"$man_text" \
            || fail "command \"$c\" of baricadr --help is not documented in baricadr(1)"
    done
    pass "baricadr(1) documents every command of --help: $(echo $commands)"
fi
