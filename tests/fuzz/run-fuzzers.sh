#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan: the `asan` preset's build dir, shared with the
# sanitizer test run) and runs each for SECONDS (default 60), starting from its seed corpus in
# tests/fuzz/corpus/<name>/. A crash leaves its input in BUILD/fuzz-artifacts/: copy it into the
# seed corpus once fixed, so that every later run replays it.
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
# Env:   FUZZ_BUILD_DIR (default build-asan, configured with `cmake --preset asan` when missing)
#        FUZZ_JOBS      fuzzers run side by side (default 1)
#        FUZZ_SEED      libFuzzer's -seed (default: a random one, printed); CI fixes it so that a
#                       failure there replays with the same command
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
shift || true
BUILD=${FUZZ_BUILD_DIR:-build-asan}
PARALLEL=${FUZZ_JOBS:-1}
SEED=${FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}

if [ ! -f "$BUILD/build.ninja" ]; then
    if [ "$BUILD" = build-asan ]; then
        cmake --preset asan >/dev/null
    else
        CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DBARICADR_BUILD_FUZZERS=ON -DBARICADR_BUILD_GUI=OFF -DBARICADR_BUILD_TESTS=OFF \
            -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" >/dev/null
    fi
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(find tests/fuzz -maxdepth 1 -name 'fuzz_*.cpp' -printf '%f\n' | sed 's/\.cpp$//' | sort)
fi
cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$BUILD/fuzz-artifacts"
run_one() {
    local t=$1 corpus_seed work out status=0
    corpus_seed="tests/fuzz/corpus/${t#fuzz_}"
    work=$(mktemp -d)
    out=$(mktemp)
    [ -d "$corpus_seed" ] && cp -r "$corpus_seed/." "$work/"
    # Leaks: the targets keep Qt statics and a few function-local statics alive on purpose.
    ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=25 \
        -print_final_stats=1 -seed="$SEED" -artifact_prefix="$BUILD/fuzz-artifacts/$t-" "$work" >"$out" 2>&1 || status=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
    if [ $status -ne 0 ]; then
        tail -60 "$out"
        echo "== $t: FAILED after ${runs:-?} runs, seed $SEED (input in $BUILD/fuzz-artifacts/)" >&2
    else
        echo "== $t: ${runs:-?} runs in ${SECONDS_EACH} s, seed $SEED, no crash ($(grep -c . <(ls "$work")) corpus entries)"
    fi
    rm -rf "$work" "$out"
    return $status
}

status=0
if [ "$PARALLEL" -gt 1 ]; then
    pids=()
    for t in "${targets[@]}"; do
        run_one "$t" &
        pids+=($!)
        if [ ${#pids[@]} -ge "$PARALLEL" ]; then
            wait "${pids[0]}" || status=1
            pids=("${pids[@]:1}")
        fi
    done
    for p in "${pids[@]}"; do wait "$p" || status=1; done
else
    for t in "${targets[@]}"; do run_one "$t" || status=1; done
fi
exit $status
