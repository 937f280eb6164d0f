#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/: the config parser, the IDX, CIFAR-10, CSV and .npy readers) with
# clang, ASan and UBSan in their own build folder, and runs each from its seed corpus.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [--fresh] [TARGET...]
#
# --seconds N  seconds per target (default 5; scripts/test.sh runs the default)
# --jobs J     targets run at once (default 2)
# --fresh      start from the seed corpus alone, forgetting inputs found by earlier runs
# TARGET       config, idx, cifar, csv (default all)
#
# New inputs are kept in $BT_FUZZ_BUILD_DIR/fuzz/work/<target> (default build folder:
# build-fuzz), never in the committed seeds. A crash, a sanitizer report or a broken invariant
# leaves crash-*/leak-*/timeout-* files there; the script then names them with the command that
# reproduces each and exits 1. Without clang or libFuzzer (Debian: clang, libclang-rt-14-dev) it
# says so and exits 0, so the test suite runs on machines without them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BT_FUZZ_BUILD_DIR:-$repo/build-fuzz}
seconds=5
jobs=2
fresh=0
targets=()
while (($#)); do
    case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    config | idx | cifar | csv | npy) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
((${#targets[@]})) || targets=(config idx cifar csv npy)
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

cxx=${BT_FUZZ_CXX:-$(command -v clang++ || true)}
if [[ -z $cxx ]]; then
    say "Fuzzing skipped: clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)"
    exit 0
fi

export CCACHE_BASEDIR=$repo
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [[ ! -f $build_dir/build.ninja ]]; then
    say "Configuring the fuzz targets in $build_dir ($cxx)"
    cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="$cxx" -DBT_FUZZ=ON -DBT_WARNINGS_AS_ERRORS=ON \
        -DBT_BUILD_GUI=OFF -DBT_BUILD_TESTS=OFF -DBT_BUILD_BENCH=OFF >/dev/null
fi
if ! grep -q '^BT_HAVE_LIBFUZZER:INTERNAL=1' "$build_dir/CMakeCache.txt"; then
    say "Fuzzing skipped: $cxx cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev)"
    exit 0
fi
say "Building the fuzz targets (incremental)"
cmake --build "$build_dir" --target fuzz_all -j "${BT_JOBS:-$(nproc)}"

say "Fuzzing ${targets[*]} for ${seconds} s each, $jobs at a time"
work=$build_dir/fuzz/work
fuzz_one() {
    local name=$1 dir=$work/$1
    ((fresh)) && rm -rf "$dir"
    mkdir -p "$dir"
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
    "$build_dir/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/" "$dir" "$repo/fuzz/corpus/$name" \
        >"$dir.log" 2>&1 || true
}
export -f fuzz_one
export build_dir repo seconds fresh work
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'fuzz_one {}'

failed=0
for name in "${targets[@]}"; do
    log=$work/$name.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    found=$(sed -n 's/^stat::new_units_added: *//p' "$log")
    shopt -s nullglob
    artifacts=("$work/$name"/crash-* "$work/$name"/leak-* "$work/$name"/timeout-* "$work/$name"/oom-*)
    shopt -u nullglob
    if ((${#artifacts[@]})) || [[ -z $runs ]]; then
        failed=1
        echo "fuzz_$name: FAILED (log: $log)"
        grep -m1 -E 'ERROR|invariant broken|runtime error' "$log" || tail -5 "$log"
        for a in "${artifacts[@]}"; do
            echo "  reproduce: $build_dir/fuzz/fuzz_$name $a"
        done
    else
        printf 'fuzz_%-7s %8s runs, %6s/s, %5s new inputs\n' "$name" "$runs" "$rate" "$found"
    fi
done
exit $failed
