#!/usr/bin/env bash
# Runs clang-tidy (the checked-in .clang-tidy) on every source file of core/ and fails on any
# finding. Usage: tests/static/clang-tidy.sh [BUILD_DIR] [FILE...]
#   BUILD_DIR  a configured build dir holding compile_commands.json (default: build)
#   FILE...    only these files (default: core/**/*.cpp)
# JOBS sets the parallelism (default: nproc); TIDY_ARGS adds clang-tidy options (e.g.
# --checks=-clang-analyzer-* for a quick pass). clang-tidy is Debian's clang-tidy package.
# The findings are also left in BUILD_DIR/clang-tidy.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
shift || true
JOBS=${JOBS:-$(nproc)}
TIDY=${CLANG_TIDY:-clang-tidy}

if ! command -v "$TIDY" >/dev/null; then
    echo "clang-tidy.sh: $TIDY not found (apt-get install clang-tidy)" >&2
    exit 2
fi
if [ ! -f "$BUILD/compile_commands.json" ]; then
    echo "clang-tidy.sh: $BUILD/compile_commands.json missing: configure first (cmake -S . -B $BUILD -G Ninja)" >&2
    exit 2
fi

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    mapfile -t files < <(find core -name '*.cpp' | sort)
fi

# The findings, kept for reading after the run (and while it runs).
log=$BUILD/clang-tidy.log
: >"$log"
start=$(date +%s)
# One clang-tidy per file; --quiet drops the "N warnings generated/suppressed" chatter, so the
# log holds findings (and compiler errors) only.
status=0
printf '%s\n' "${files[@]}" | xargs -P "$JOBS" -I{} "$TIDY" -p "$BUILD" --quiet ${TIDY_ARGS:-} {} >>"$log" 2>&1 || status=$?
# Findings are errors (WarningsAsErrors: '*'); keep the lines that say so, plus their context.
if [ $status -ne 0 ] || grep -qE '(warning|error):' "$log"; then
    grep -vE '^[0-9]+ (warning|error)s? generated\.$' "$log" >&2 || true
    echo "clang-tidy.sh: findings in ${#files[@]} files checked ($(($(date +%s) - start)) s)" >&2
    exit 1
fi
echo "clang-tidy.sh: ${#files[@]} files, no findings ($(($(date +%s) - start)) s)"
