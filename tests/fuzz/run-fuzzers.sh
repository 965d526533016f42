#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for SECONDS (default 60).
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
shift || true
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}

CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBARICADR_BUILD_FUZZERS=ON -DBARICADR_BUILD_GUI=OFF -DBARICADR_BUILD_TESTS=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" > /dev/null
cmake --build "$BUILD" -j "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(find "$BUILD/tests/fuzz" -maxdepth 1 -type f -executable -name 'fuzz_*' -printf '%f\n' | sort)
fi

status=0
for t in "${targets[@]}"; do
    corpus_seed="tests/fuzz/corpus/${t#fuzz_}"
    work=$(mktemp -d)
    [ -d "$corpus_seed" ] && cp -r "$corpus_seed/." "$work/"
    echo "== $t for ${SECONDS_EACH}s"
    if ! (cd "$BUILD" && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "tests/fuzz/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 -print_final_stats=1 "$work" 2>&1 | tail -15); then
        echo "$t: FAILED (crash input left in $BUILD)" >&2
        status=1
    fi
    rm -rf "$work"
done
exit $status
