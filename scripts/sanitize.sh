#!/usr/bin/env bash
# Builds the project with AddressSanitizer and UndefinedBehaviorSanitizer (-DBT_SANITIZE=ON, gcc)
# in its own build folder and runs the whole test suite (CTest) under them. Any sanitizer report
# fails the test it happens in (-fno-sanitize-recover=all, halt_on_error).
#
#   scripts/sanitize.sh [CTEST ARGUMENTS...]    e.g. -L engine, -R 'test_(config|data)'
#
# Labels (cmake/BtHelpers.cmake): each test's folder under tests/, engine, ui or cli, and below
# engine the folder itself (-L engine/store).
#
# Environment: BT_ASAN_BUILD_DIR (default build-asan), BT_JOBS (build jobs, default nproc),
# BT_TEST_JOBS (tests at once, default 2), ASAN_OPTIONS / UBSAN_OPTIONS to override the defaults
# below. Run scripts/setup.sh first on a fresh machine (packages and data).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BT_ASAN_BUILD_DIR:-$repo/build-asan}
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export CCACHE_BASEDIR=$repo
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [[ ! -f $build_dir/build.ninja ]]; then
    say "Configuring with ASan + UBSan in $build_dir"
    # gcc's -Wmaybe-uninitialized gives false positives under the sanitizers (its manual says
    # so; here: std::variant<int64_t, IndexRange> in engine/config/run_config.h).
    cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBT_SANITIZE=ON -DBT_WARNINGS_AS_ERRORS=ON -DBT_BUILD_BENCH=OFF \
        -DCMAKE_CXX_FLAGS=-Wno-maybe-uninitialized >/dev/null
fi
say "Building with ASan + UBSan (incremental)"
cmake --build "$build_dir" -j "${BT_JOBS:-$(nproc)}"

# LeakSanitizer stays on: the engine, store and LibTorch suites report no leak under it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
say "Running the test suite under ASan + UBSan"
ctest --test-dir "$build_dir" --output-on-failure -j "${BT_TEST_JOBS:-2}" "$@"
