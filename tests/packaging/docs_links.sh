#!/usr/bin/env bash
# The operator documentation hangs together: every relative link of docs/*.md, CHANGELOG.md and
# README.md points at a file that exists (and, for a #anchor into a Markdown file, at a heading
# that exists); every key of the packaged example configuration files is described in
# docs/configuration.md.
# Usage: docs_links.sh SOURCE_DIR
SOURCE_DIR=$1
. "$(dirname "$0")/common.sh"
cd "$SOURCE_DIR"

# Documents written by other parts of the project, possibly not merged into this tree yet.
others='docs/configuration.md docs/api.md docs/openapi.yaml'

anchor_of() { # GitHub-style heading anchors of a Markdown file, one per line
    grep -E '^#{1,6} ' "$1" | sed -E 's/^#+ //' | tr '[:upper:]' '[:lower:]' \
        | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

bad=0
for doc in docs/*.md CHANGELOG.md README.md; do
    [ -f "$doc" ] || continue
    dir=$(dirname "$doc")
    # [text](target) with a relative target
    while IFS= read -r target; do
        case "$target" in http://*|https://*|mailto:*|file://*) continue ;; esac
        path=${target%%#*}
        anchor=
        [[ "$target" == *'#'* ]] && anchor=${target#*#}
        [ -z "$path" ] && path=$(basename "$doc")
        resolved=$(realpath -m "$dir/$path")
        rel=${resolved#"$PWD"/}
        if [ ! -e "$resolved" ]; then
            if [[ " $others " == *" $rel "* ]]; then
                echo "note: $doc links to $rel, not in this tree yet"
                continue
            fi
            echo "broken link in $doc: $target"; bad=1; continue
        fi
        if [ -n "$anchor" ] && [[ "$resolved" == *.md ]]; then
            anchor_of "$resolved" | grep -qx -- "$anchor" \
                || { echo "broken anchor in $doc: $target"; bad=1; }
        fi
    done < <(grep -oE '\]\([^) ]+\)' "$doc" | sed -E 's/^\]\(//; s/\)$//')
done
[ "$bad" -eq 0 ] || fail "broken links (above)"
pass "every relative link and anchor resolves"

if [ ! -f docs/configuration.md ]; then
    echo "note: docs/configuration.md not in this tree yet: example keys not compared with it"
    exit 0
fi
missing=
for key in $(sed -nE 's/^#? ?([A-Z][A-Z0-9_]+) = .*/\1/p' packaging/etc/baricadr.conf | sort -u); do
    grep -q "$key" docs/configuration.md || missing="$missing $key"
done
for key in $(sed -nE 's/^#? {4}([a-z_]+):.*/\1/p' packaging/etc/repos.yml | sort -u); do
    grep -q "$key" docs/configuration.md || missing="$missing $key"
done
[ -z "$missing" ] || fail "keys of the packaged examples missing from docs/configuration.md:$missing"
pass "every key of the packaged baricadr.conf and repos.yml is in docs/configuration.md"
