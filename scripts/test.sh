#!/usr/bin/env bash
# Installs what is missing, builds incrementally and runs the whole test suite (CTest).
# Extra arguments go to ctest (for example -R test_data or -L engine). Every test is labelled by
# its folder under tests/: engine, ui, cli, and below engine the folder (engine/store, ...).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/setup.sh"
build_dir=${BT_BUILD_DIR:-$repo/build}
# Engine and UI tests run on Qt's offscreen platform; tests that need a real window start Xvfb.
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build_dir" --output-on-failure -j "${BT_TEST_JOBS:-2}" "$@"
# A few seconds of each fuzz target, built with clang in build-fuzz (scripts/fuzz.sh; skipped
# without clang, or with BT_SKIP_FUZZ=1).
if [[ ${BT_SKIP_FUZZ:-0} != 1 ]]; then
    "$repo/scripts/fuzz.sh" --fresh --seconds "${BT_FUZZ_SECONDS:-5}"
fi
