#!/usr/bin/env bash
# The AppStream metadata validates (appstreamcli, no network) and its newest release is the
# project version, as is the CHANGELOG's newest section.
# Usage: appstream.sh SOURCE_DIR VERSION
SOURCE_DIR=$1 VERSION=$2
. "$(dirname "$0")/common.sh"
command -v appstreamcli >/dev/null || skip "appstreamcli not installed (package appstream)"

metainfo=$SOURCE_DIR/resources/org.baricadr.Baricadr.metainfo.xml
appstreamcli validate --no-net --explain "$metainfo" || fail "appstreamcli validate failed"
pass "appstreamcli validate --no-net"

newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)
[ "$newest" = "$VERSION" ] \
    || fail "newest <release> in the metainfo is \"$newest\", the project version is $VERSION: add a release entry"
grep -q '<launchable type="desktop-id">baricadr-gui.desktop</launchable>' "$metainfo" \
    || fail "the metainfo does not launch baricadr-gui.desktop"
pass "metainfo release $newest = project version"

changelog_newest=$(grep -oE '^## \[[0-9][^]]*\]' "$SOURCE_DIR/CHANGELOG.md" | head -n1 | tr -d '#[] ')
[ "$changelog_newest" = "$VERSION" ] \
    || fail "newest release in CHANGELOG.md is \"$changelog_newest\", the project version is $VERSION"
grep -q '^## \[Unreleased\]' "$SOURCE_DIR/CHANGELOG.md" || fail "CHANGELOG.md has no [Unreleased] section"
pass "CHANGELOG.md newest release $changelog_newest = project version"
