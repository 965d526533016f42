#!/usr/bin/env bash
# README command 2: installs what is needed, builds everything and runs the whole test suite,
# then the proof stages. Exits non-zero on any failure. Run from the checkout, as root on Debian 12.
#
# Stages (all on by default and in CI; skip one for a quick local run with its variable):
#   1. build (gcc, RelWithDebInfo, GUI on) + the whole CTest suite
#   2. clang-tidy on core/ (tests/static/clang-tidy.sh): no finding allowed   BARICADR_SKIP_TIDY=1
#   3. sanitizers: a second build dir (`asan` preset: clang, ASan+UBSan, GUI on) and the whole
#      suite again under it (but the two tests that build and install .debs: packaging the
#      instrumented binaries proves nothing and would install them system-wide)
#                                                                           BARICADR_SKIP_ASAN=1
#   4. fuzz: each libFuzzer target (built in the same dir) for
#      BARICADR_FUZZ_SECONDS (default 30) from its seed corpus              BARICADR_SKIP_FUZZ=1
#      with a fixed seed (BARICADR_FUZZ_SEED, default 1) so a failure replays the same way;
#      longer runs with fresh seeds are for developers (tests/fuzz/run-fuzzers.sh)
# Each stage's time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=build-asan # the asan preset's binaryDir
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${BARICADR_FUZZ_SECONDS:-30}
ASAN_EXCLUDE='^(pkg_deb_packages|pkg_dpkg_install)$'
FUZZERS=$(find tests/fuzz -maxdepth 1 -name 'fuzz_*.cpp' -printf '%f\n' | sed 's/\.cpp$//')

times=()
stage_start=0
begin() {
    stage_start=$(date +%s)
    echo "=== run-tests.sh: $1"
}
end() {
    times+=("$1 $(($(date +%s) - stage_start)) s")
}
summary() {
    echo "=== run-tests.sh stage times:"
    printf '    %s\n' "${times[@]}"
}
trap summary EXIT

begin "build"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBARICADR_BUILD_GUI=ON
cmake --build "$BUILD_DIR" -j "$JOBS"
end "build:"

# Tests start their own loopback servers (rclone serve sftp, PostgreSQL, SMTP sink) on free ports.
begin "tests"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 900
end "tests:"

if [ "${BARICADR_SKIP_TIDY:-0}" != 1 ]; then
    begin "clang-tidy on core/"
    JOBS=$JOBS bash tests/static/clang-tidy.sh "$BUILD_DIR"
    end "clang-tidy:"
fi

if [ "${BARICADR_SKIP_ASAN:-0}" != 1 ] || [ "${BARICADR_SKIP_FUZZ:-0}" != 1 ]; then
    begin "sanitizer build ($ASAN_BUILD_DIR)"
    cmake --preset asan
    if [ "${BARICADR_SKIP_ASAN:-0}" != 1 ]; then
        cmake --build "$ASAN_BUILD_DIR" -j "$JOBS"
    else
        # shellcheck disable=SC2086
        cmake --build "$ASAN_BUILD_DIR" -j "$JOBS" --target $FUZZERS
    fi
    end "sanitizer build:"
fi

if [ "${BARICADR_SKIP_ASAN:-0}" != 1 ]; then
    # The asan test preset holds the sanitizer options (halt on the first error, leaks on,
    # suppressions in tests/sanitizers/ for third-party code only).
    begin "tests under ASan+UBSan"
    ctest --preset asan -j "$JOBS" -E "$ASAN_EXCLUDE"
    end "tests under ASan+UBSan:"
fi

if [ "${BARICADR_SKIP_FUZZ:-0}" != 1 ]; then
    begin "fuzz (${FUZZ_SECONDS} s each)"
    FUZZ_BUILD_DIR=$ASAN_BUILD_DIR FUZZ_JOBS=$JOBS FUZZ_SEED=${BARICADR_FUZZ_SEED:-1} bash tests/fuzz/run-fuzzers.sh "$FUZZ_SECONDS"
    end "fuzz:"
fi
echo "run-tests.sh: all stages passed"
