#!/usr/bin/env bash
# The benchmark harness: runs the reference tasks and measurements of BENCHMARK.md and writes
# BENCHMARKS.md with tables and charts.
#
#   bench/harness/run.sh [--quick|--full] [--out DIR] [--seeds N] [--jobs N]
#                        [--build DIR] [--work DIR] [--tasks a,b] [--methods a,b] [--dry-run]
#                        [--report-only] [--keep-programs]
#
# --quick (default)  every task and measurement shrunk to a sanity check of a few minutes; its
#                    accuracy figures mean nothing, and the report says so.
# --full             the real tasks (hours). Run it in the background:
#                        nohup bench/harness/run.sh --full > bench-full.log 2>&1 &
#                    It writes the report after every task, and a rerun skips every run whose
#                    result.json exists and resumes an unfinished one from its run store (its
#                    finished trainings are replayed), so it can be stopped and started again.
# --out DIR          where BENCHMARKS.md goes (default: the repository root); its charts go to
#                    DIR/docs/benchmarks/.
# --work DIR         the runs (result.json, logs, peak memory); default bench/harness/work-<mode>
#                    (ignored by git), or DIR/work with --out DIR.
# --seeds N          seeds per task (default: quick 1; full 3: one training is noisy, and a
#                    difference is judged against the spread over seeds).
# --jobs N           runs at a time, each one thread (default 1). More only where cores are idle.
# --build DIR        the build folder with app/bilevel-tuner-cli and bench/*/bench_* (default:
#                    build-bench if it holds the CLI, else build). The programs are copied into
#                    the work folder first, so a rebuild during a long run changes nothing.
# --tasks a,b        only these tasks (ridge, mnist-mlp-1k, mnist-mlp-1k-per-layer, mnist-mlp-5k,
#                    mnist-mlp-5k-per-layer, fmnist-mlp-3l2, fmnist-mlp-6l2, fmnist-lenet5,
#                    cifar10-lenet5); the
#                    report still covers every task from the work folder.
# --methods a,b      only these methods' runs (bilevel, grid, random, bayesian, hyperband); the
#                    report still counts each task's other methods as runs not done, and a
#                    later start without --methods runs them. Full mode leaves the LeNet-5
#                    tasks' grid search (243 trainings a seed, hours) out unless named here.
# --keep-programs    a later session on the same work folder runs the programs an earlier one
#                    copied there (and records their commit) instead of copying the build
#                    folder's again, so a benchmark started in several sessions is of one build
#                    while the tree changes; the first session copies them as usual.
# --dry-run          writes every full-mode configuration and runs each once, cut to 1 epoch on a
#                    few samples, to prove the CLI accepts it and its data load; reports nothing.
# --report-only      rewrites BENCHMARKS.md from the work folder without running anything.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mode=quick out="" work="" seeds=0 jobs=1 build="" tasks="" methods="" extra=() dry=0 report_only=0
keep=0
command_line="bench/harness/run.sh $*"
while (($#)); do
    case $1 in
    --quick) mode=quick; shift ;;
    --full) mode=full; shift ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --work) work=${2:?--work needs a folder}; shift 2 ;;
    --seeds) seeds=${2:?--seeds needs a number}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --build) build=${2:?--build needs a folder}; shift 2 ;;
    --tasks) tasks=${2:?--tasks needs a list}; shift 2 ;;
    --methods) methods=${2:?--methods needs a list}; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --report-only) extra+=(--report-only); report_only=1; shift ;;
    --keep-programs) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if ((dry)); then mode=full; extra+=(--dry-run); fi  # a dry run checks the full configurations
[[ $seeds =~ ^[0-9]+$ ]] || { echo "run.sh: --seeds expects a whole number, got '$seeds'" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --jobs expects a positive whole number, got '$jobs'" >&2; exit 2; }

# The harness's own tools: python3 with numpy and matplotlib (ridge optimum, charts) and GNU time
# (peak memory). Installed here when missing and we may, else a clear message. Debian's own
# python3, the one the python3-* packages serve (a pyenv or venv python3 may come first on PATH).
py=/usr/bin/python3
[[ -x $py ]] || py=$(command -v python3) || { echo "run.sh: python3 is missing" >&2; exit 2; }
missing=()
"$py" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
"$py" -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "run.sh: installing ${missing[*]}" >&2
        apt-get install -y --no-install-recommends "${missing[@]}" >&2
    else
        echo "run.sh: missing ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
        exit 2
    fi
fi

if [[ -z $build ]]; then
    if [[ -x $repo/build-bench/app/bilevel-tuner-cli ]]; then build=$repo/build-bench; else build=$repo/build; fi
fi
build=$(cd "$build" 2>/dev/null && pwd) || { echo "run.sh: --build folder does not exist" >&2; exit 2; }
((report_only)) || [[ -x $build/app/bilevel-tuner-cli ]] || {
    echo "run.sh: $build/app/bilevel-tuner-cli is not built; build it with" >&2
    echo "  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-bench --target bilevel-tuner-cli bench_trainer bench_gp bench_data_load" >&2
    exit 2
}
if [[ -n $out ]]; then
    mkdir -p "$out" && out=$(cd "$out" && pwd)
    [[ -n $work ]] || work=$out/work
else
    out=$repo
    [[ -n $work ]] || work=$repo/bench/harness/work-$mode
fi
mkdir -p "$work" && work=$(cd "$work" && pwd)

# Private copies of the programs, so that a rebuild during a long run changes nothing. A report
# rewrite runs nothing, so it leaves the copies a running harness may be using alone.
# Each is copied beside its place and renamed into it, so that another harness session on the
# same work folder never starts a program half-copied (its running ones keep their own file).
bin=$work/bin
install_program() { # source, destination; the copy's name is hidden from the harness's globs
    local part="${2%/*}/.${2##*/}.$$"
    cp -f "$1" "$part" && mv -f "$part" "$2"
}
if ((!report_only && keep)) && [[ -x $bin/app/bilevel-tuner-cli && -s $bin/commit.txt ]]; then
    echo "run.sh: --keep-programs: running the programs already in $bin (commit $(<"$bin/commit.txt"))" >&2
elif ((!report_only)); then
    mkdir -p "$bin/app" "$bin/bench/train" "$bin/bench/gp" "$bin/bench/data" "$bin/bench/ui"
    install_program "$build/app/bilevel-tuner-cli" "$bin/app/bilevel-tuner-cli"
    for p in train/bench_trainer gp/bench_gp data/bench_data_load; do
        if [[ -x $build/bench/$p ]]; then install_program "$build/bench/$p" "$bin/bench/$p"; fi
    done
    for p in "$build"/bench/ui/bench_*; do
        if [[ -f $p && -x $p ]]; then install_program "$p" "$bin/bench/ui/${p##*/}"; fi
    done
    # The commit the programs were presumably built from (a harness session records it).
    { git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown; } | tr -d '\n' >"$bin/commit.txt"
    if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no -- engine app 2>/dev/null) ]]; then
        echo -n "+changes" >>"$bin/commit.txt"
    fi
fi

exec "$py" "$repo/bench/harness/harness.py" --mode "$mode" --out "$out" --work "$work" \
    --charts "$out/docs/benchmarks" --seeds "$seeds" --jobs "$jobs" --cli "$bin/app/bilevel-tuner-cli" \
    --bench-bin "$bin" --configs "$repo/resources/configs" --repo "$repo" --tasks "$tasks" --methods "$methods" \
    --command "$command_line" ${extra[@]+"${extra[@]}"}
