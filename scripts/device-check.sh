#!/usr/bin/env bash
# Builds the engine, the CLI and the benchmarks on a GPU machine that has a compiler, CMake,
# Ninja, CUDA and PyTorch's pip package but no Qt and no Debian packages, then runs them on the CPU
# and on CUDA. Needs the folders scripts/device-deps.sh makes here (.devdeps, .devdata), carried
# along with the working tree.
#
#   OUT=DIR bash scripts/device-check.sh        # from the repository root
#
# Writes at most 8 files into $OUT (default build-dev/device-out): summary.txt (what ran, exit
# codes, seconds, the key figures), device-check.log (everything, the build's output included),
# the result.json of each CLI run, and the run configurations. A failing step is logged and the
# script goes on; every step runs under `timeout`, and the whole script keeps within
# BT_DEVICE_BUDGET_S seconds (default 450), skipping the optional steps when time runs short.
#
# Environment:
#   DEVICE_CHECK_NO_CUDA=1  dry run on a machine without CUDA: Debian's LibTorch from the system,
#                           CPU only (the CUDA steps are skipped)
#   BT_DEVICE_BUILD_DIR     build folder (default build-dev)
#   BT_DEVICE_BUILD_TYPE    CMake build type (default Release)
#   BT_JOBS                 parallel compile jobs (default: all cores)
#   PYTHON                  the Python that holds torch (default python3)
#   BT_DEVICE_COMPARE=0     skip the timing comparison of the methods on fmnist-mlp-3l2
#   BT_DEVICE_SEEDS=0,1,..  run bilevel, random search and Bayesian optimisation for these seeds on
#                           the idle cores (with BT_DEVICE_COMPARE=0); BT_DEVICE_SEEDS_TASK names
#                           the configuration in resources/configs (default fmnist-mlp-3l2.json)
set -uo pipefail

started=$SECONDS
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2
no_cuda=${DEVICE_CHECK_NO_CUDA:-0}
build=${BT_DEVICE_BUILD_DIR:-build-dev}
build_type=${BT_DEVICE_BUILD_TYPE:-Release}
jobs=${BT_JOBS:-$(nproc)}
budget=${BT_DEVICE_BUDGET_S:-450}
py=${PYTHON:-python3}
out=${OUT:-$root/$build/device-out}
mkdir -p "$out" "$build"
out=$(cd "$out" && pwd)
log=$out/device-check.log
summary=$out/summary.txt
work=$root/$build/device-work # scratch: configs, run folders, the CLI's data and state folders
rm -rf "$work"
mkdir -p "$work"
: >"$log"
: >"$summary"

# note TEXT: a line for the summary and the log (the summary is printed in full at the end).
note() { printf '%s\n' "$*" >>"$summary"; printf '%s\n' "$*" >>"$log"; }
remaining() { echo $((budget - (SECONDS - started))); }

# step NAME LIMIT_S [--show] CMD...: runs CMD under timeout (clipped to the time left), output
# to the log (and the summary with --show); one status line in the summary. Returns CMD's status.
step() {
    local name=$1 limit=$2 show=0
    shift 2
    if [[ ${1:-} == --show ]]; then
        show=1
        shift
    fi
    local left
    left=$(($(remaining) - 5))
    if ((left < 10)); then
        note "$(printf '%-24s SKIPPED (%ss of the budget left)' "$name" "$(remaining)")"
        return 99
    fi
    ((limit > left)) && limit=$left
    local t0=$SECONDS rc
    printf '\n===== [%s] (limit %ss) %s\n' "$name" "$limit" "$*" >>"$log"
    printf '[%4ss] %s ...\n' $((SECONDS - started)) "$name"
    if declare -F "$1" >/dev/null; then
        # A function of this script: timeout runs programs, so run it in a child bash.
        # shellcheck disable=SC2163 # exports the function whose name is in $1
        export -f "$1"
        set -- bash -c '"$@"' bash "$@"
    fi
    timeout --kill-after=5 "$limit" "$@" >"$work/step.out" 2>&1
    rc=$?
    cat "$work/step.out" >>"$log"
    if ((show)); then
        { printf -- '--- %s\n' "$name"; cat "$work/step.out"; } >>"$summary"
    fi
    local status=ok
    ((rc == 124 || rc == 137)) && status=TIMEOUT
    ((rc != 0 && rc != 124 && rc != 137)) && status=FAILED
    note "$(printf '%-24s %-7s rc=%-3s %4ss' "$name" "$status" "$rc" $((SECONDS - t0)))"
    if ((rc != 0)); then
        { printf '    last lines:\n'; tail -n 15 "$work/step.out" | sed 's/^/    | /'; } >>"$summary"
    fi
    return $rc
}

# The device's copy of the tree may carry other git metadata than the tree it copied: report
# both what its git says and the commit scripts/device-deps.sh recorded where it was prepared.
commit=$(git rev-parse --short HEAD 2>/dev/null) &&
    { git diff --quiet HEAD 2>/dev/null || commit="$commit + uncommitted changes"; }
[[ -r .devdeps/prepared-at.txt ]] && commit="${commit:-unknown} (its git); prepared at $(cat .devdeps/prepared-at.txt)"
note "device-check $(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${commit:-unknown}, no_cuda=$no_cuda, jobs=$jobs, build=$build ($build_type), budget ${budget}s"
export py build # read by the step functions, which run in child shells

# ---- 1. the machine -------------------------------------------------------------------------
machine() {
    echo "## os"; grep -E '^(PRETTY_NAME|VERSION_ID)=' /etc/os-release 2>/dev/null; uname -srm
    echo "## cpu: $(nproc) cores; memory: $(free -g 2>/dev/null | awk '/Mem:/{print $2 " GiB"}')"
    echo "## glibc: $(ldd --version 2>&1 | head -1)"
    echo "## gcc: $(gcc --version | head -1)"; echo "## g++: $(g++ --version | head -1)"
    echo "## cmake: $(cmake --version | head -1)"; echo "## ninja: $(ninja --version 2>&1)"
    echo "## ccache: $(command -v ccache || echo none)"
    echo "## nvcc: $(command -v nvcc || echo 'not on PATH') $(nvcc --version 2>/dev/null | tail -2 | head -1)"
    echo "## nvidia-smi"; nvidia-smi 2>&1 || true
    echo "## python: $(command -v "$py") $("$py" --version 2>&1)"
    return 0
}
step machine 60 --show machine

# ---- 2. LibTorch and CUDA ---------------------------------------------------------------------
cmake_args=(-G Ninja "-DCMAKE_BUILD_TYPE=$build_type" "-DBT_VENDORED_DEPS=$root/.devdeps"
            -DBT_BUILD_GUI=OFF -DBT_BUILD_TESTS=OFF -DBT_BUILD_BENCH=ON -DBT_WITH_MPI=OFF)
fallback_args=()
if [[ $no_cuda == 1 ]]; then
    note "LibTorch: the system's (dry run without CUDA)"
    torch_pkg=""
else
    torch_info() {
        "$py" - <<'EOF'
import os, torch
print("torch_version", torch.__version__)
print("torch_cuda", torch.version.cuda)
print("cuda_available", torch.cuda.is_available())
print("device_name", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-")
print("cxx11_abi", int(torch.compiled_with_cxx11_abi()))
print("cmake_prefix", torch.utils.cmake_prefix_path)
print("package", os.path.dirname(torch.__file__))
EOF
    }
    step torch-python 90 --show torch_info
    torch_field() { awk -v k="$1" '$1 == k {print $2}' "$work/step.out"; }
    torch_cmake=$(torch_field cmake_prefix)
    torch_pkg=$(torch_field package)
    torch_abi=$(torch_field cxx11_abi)
    nvcc_path=$(command -v nvcc || true)
    [[ -z $nvcc_path && -x /usr/local/cuda/bin/nvcc ]] && nvcc_path=/usr/local/cuda/bin/nvcc
    cuda_home=${CUDA_HOME:-${nvcc_path:+$(dirname "$(dirname "$nvcc_path")")}}
    nvtx_dir=""
    for d in "$cuda_home/include" "$cuda_home/targets/x86_64-linux/include" "$torch_pkg/include" \
             "$torch_pkg/../nvidia/nvtx/include" "$torch_pkg/../nvidia/cu13/include"; do
        [[ -d $d/nvtx3 ]] && { nvtx_dir=$(cd "$d" && pwd); break; }
    done
    note "LibTorch: $torch_pkg (CMake: $torch_cmake, cxx11 abi $torch_abi); CUDA: ${cuda_home:-none}; nvtx3: ${nvtx_dir:-none}"
    cmake_args+=("-DTorch_DIR=$torch_cmake/Torch")
    [[ -n $cuda_home ]] && cmake_args+=("-DCUDAToolkit_ROOT=$cuda_home" "-DCMAKE_CUDA_COMPILER=$nvcc_path")
    # Torch's CMake package looks for the NVTX3 headers in its own source tree only; point it at
    # the toolkit's, else it falls back to nvToolsExt, which CUDA 12.9 and later no longer ship.
    [[ -n $nvtx_dir ]] && cmake_args+=("-Dnvtx3_dir=$nvtx_dir")
    export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
    fallback_args=("-DBT_TORCH_PREFIX=$torch_pkg" "-DBT_TORCH_CXX11_ABI=${torch_abi:-1}")
fi

# ---- 3. configure and build -----------------------------------------------------------------
configured=0
if step configure 150 cmake -S . -B "$build" "${cmake_args[@]}"; then
    configured=1
    grep -E 'LibTorch|Dependencies but|CUDA|nvtx|cuDNN' "$work/step.out" | sed 's/^/    /' >>"$summary"
elif ((${#fallback_args[@]})); then
    # Torch's own CMake package failed (most often on the CUDA toolkit): take LibTorch's files
    # directly instead, in a folder of its own so that nothing of the first try is cached.
    build=$build-torchprefix
    export build
    rm -rf "$build"
    filtered=()
    for a in "${cmake_args[@]}"; do [[ $a == -DTorch_DIR=* ]] || filtered+=("$a"); done
    if step configure-fallback 120 cmake -S . -B "$build" "${filtered[@]}" "${fallback_args[@]}"; then
        configured=1
        grep -E 'LibTorch|Dependencies but' "$work/step.out" | sed 's/^/    /' >>"$summary"
    fi
fi
bin=$root/$build
if ((configured)); then
    # -k 0: build what can be built even when one program fails to compile.
    step build 330 cmake --build "$build" -j "$jobs" -- -k 0
    grep -E 'error:|undefined reference' "$log" | sort -u | head -n 20 | sed 's/^/    /' >>"$summary"
    # The vendored copies must be the ones compiled against, and no library may be missing.
    check_build() {
        local bad
        bad=$(ninja -C "$build" -t deps 2>/dev/null |
            grep -E '^\s+/usr/(local/)?include/(boost|eigen3|spdlog|fmt|nlohmann|CLI|LBFGS|SQLiteCpp|sqlite3|zlib|zconf)' |
            sort -u)
        if [[ -n $bad ]]; then
            echo "headers of a vendored library taken from the system:"
            echo "$bad" | head -n 20
            return 1
        fi
        echo "no vendored library's header came from the system"
        local exe
        for exe in app/bilevel-tuner-cli bench/train/bench_trainer; do
            [[ -x $build/$exe ]] || continue
            echo "## ldd $exe (missing, LibTorch, CUDA runtime and the vendored libraries' lines)"
            ldd "$build/$exe" | grep -E 'not found|libtorch|libc10|cudart|libsqlite|libz\.so|spdlog|libfmt' || true
        done
        ! ldd "$build/app/bilevel-tuner-cli" 2>/dev/null | grep -q 'not found'
    }
    step check-build 60 --show check_build
fi
cli=$bin/app/bilevel-tuner-cli
bench=$bin/bench/train/bench_trainer

# ---- 4. runs ----------------------------------------------------------------------------------
export BILEVEL_TUNER_DATA_DIR=$root/.devdata
export XDG_STATE_HOME=$work/state
[[ -d $BILEVEL_TUNER_DATA_DIR/fashion-mnist ]] ||
    note "WARNING: $BILEVEL_TUNER_DATA_DIR/fashion-mnist is missing: carry .devdata (scripts/device-deps.sh)"
cuda_device=cuda
[[ $no_cuda == 1 ]] && cuda_device=cpu

# make_config SOURCE DEST DEVICE JSON_OVERRIDES: the reference configuration with some keys
# replaced (one level deep per top-level key).
make_config() {
    "$py" - "$@" <<'EOF'
import json, sys
src, dest, device, overrides = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
config = json.load(open(src))
for key, value in overrides.items():
    if isinstance(value, dict) and isinstance(config.get(key), dict):
        config[key].update(value)
    else:
        config[key] = value
config.setdefault("training", {})["device"] = device
json.dump(config, open(dest, "w"), indent=2)
EOF
}
ridge_overrides='{"methods": ["bilevel"]}'
fmnist_overrides='{"dataset": {"train": [0, 5000], "validation": [50000, 52000], "test": 2000},
  "training": {"epochs": 5}, "methods": ["bilevel"], "bilevel": {"outer_iterations": 3}}'
make_config resources/configs/ridge.json "$work/ridge-$cuda_device.json" "$cuda_device" "$ridge_overrides"
make_config resources/configs/fmnist-mlp-3l2.json "$work/fmnist-small-$cuda_device.json" "$cuda_device" "$fmnist_overrides"
make_config resources/configs/fmnist-mlp-3l2.json "$work/fmnist-small-cpu.json" cpu "$fmnist_overrides"

# run_cli NAME CONFIG LIMIT: one CLI run; its result.json comes back as $OUT/NAME-result.json.
run_cli() {
    local name=$1 config=$2 limit=$3
    step "$name" "$limit" "$cli" run --config "$config" --out "$work/runs/$name" \
        --store "$work/runs.db"
    local rc=$?
    if [[ -f $work/runs/$name/result.json ]]; then
        cp "$work/runs/$name/result.json" "$out/$name-result.json"
        "$py" - "$out/$name-result.json" >>"$summary" 2>&1 <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"    status {r.get('status')}")
for name, m in (r.get("methods") or {}).items():
    cost, metrics = m.get("cost", {}), m.get("metrics", {})
    lam = ", ".join(f"{v:.2f}" for v in m.get("lambda", []))
    print(f"    {name}: lambda [{lam}] val_loss {metrics.get('val_loss')} test_loss {metrics.get('test_loss')}"
          f" test_acc {metrics.get('test_accuracy')} trainings {cost.get('lower_level_trainings')}"
          f" epochs {cost.get('epochs')} seconds {cost.get('wall_seconds')}")
EOF
    fi
    return $rc
}

# The issue-5 timing comparison on the full fmnist-mlp-3l2 task, on the CPU: bilevel, random,
# bayesian and hyperband, 3 repeats each, every run in its own single-thread process, side by
# side on the idle cores (BT_DEVICE_COMPARE=0 skips it). Runs in the background while the steps
# below use the GPU; collected at the end.
compare_pid=""
if [[ -x $cli && ${BT_DEVICE_COMPARE:-1} == 1 ]]; then
    make_config resources/configs/fmnist-mlp-3l2.json "$work/fmnist-full-cpu.json" cpu '{}'
    compare_slots=$(( $(nproc) > 13 ? 12 : $(nproc) - 1 ))
    note "compare: ${BT_DEVICE_COMPARE_METHODS:-bilevel,random,bayesian,hyperband} x ${BT_DEVICE_COMPARE_REPEATS:-3} repeats of fmnist-mlp-3l2 on the CPU, $compare_slots at a time, started at $((SECONDS - started))s"
    bash bench/compare/compare_methods.sh --cli "$cli" --config "$work/fmnist-full-cpu.json" \
        --out "$work/compare" --methods "${BT_DEVICE_COMPARE_METHODS:-bilevel,random,bayesian,hyperband}" \
        --repeats "${BT_DEVICE_COMPARE_REPEATS:-3}" \
        --parallel "$compare_slots" >"$work/compare.out" 2>&1 &
    compare_pid=$!
fi

# Quality over seeds (BT_DEVICE_SEEDS=0,1,...,9 turns it on): bench/compare/variants.py runs
# bilevel, random search and Bayesian optimisation on BT_DEVICE_SEEDS_TASK (a file name in
# resources/configs, default fmnist-mlp-3l2.json) for every seed, on the CPU, one thread a run,
# side by side on the idle cores; its summary.md (mean ± standard deviation of λ* retrained and
# refit) comes back as seeds.md. Not together with the timing comparison above (both want the cores).
seeds_pid=""
if [[ -x $cli && -n ${BT_DEVICE_SEEDS:-} && -z $compare_pid ]]; then
    seeds_slots=$(( $(nproc) > 2 ? $(nproc) - 1 : 1 ))
    make_config "resources/configs/${BT_DEVICE_SEEDS_TASK:-fmnist-mlp-3l2.json}" "$work/seeds-task.json" cpu '{}'
    note "seeds: bilevel, random, bayesian x seeds $BT_DEVICE_SEEDS of ${BT_DEVICE_SEEDS_TASK:-fmnist-mlp-3l2.json} on the CPU, $seeds_slots at a time, started at $((SECONDS - started))s"
    "$py" bench/compare/variants.py --cli "$cli" --config "$work/seeds-task.json" --out "$work/seeds" \
        --seeds "$BT_DEVICE_SEEDS" --jobs "$seeds_slots" --variant bilevel: \
        --variant 'random:methods=["random"]' --variant 'bayesian:methods=["bayesian"]' \
        >"$work/seeds.out" 2>&1 &
    seeds_pid=$!
fi

if [[ -x $cli ]]; then
    step cli-env 60 --show "$cli" env
else
    note "no CLI was built: skipping the CLI runs"
fi
if [[ -x $bench ]]; then
    # REPEATS 3, THREADS 0 (LibTorch's default), DEVICE.
    # On the CPU only when the comparison does not hold the cores (it would skew both).
    [[ -n $compare_pid || -n $seeds_pid ]] || step bench-trainer-cpu 90 --show "$bench" 3 0 cpu
    [[ $no_cuda == 1 ]] || step bench-trainer-cuda 90 --show "$bench" 3 0 cuda
fi
if [[ -x $cli ]]; then
    run_cli "ridge-$cuda_device" "$work/ridge-$cuda_device.json" 120
    run_cli "fmnist-small-$cuda_device" "$work/fmnist-small-$cuda_device.json" 150
    # The whole fmnist-mlp-3l2 comparison (all five methods) on the GPU (BT_DEVICE_FULL_CUDA=1).
    if [[ $no_cuda != 1 && ${BT_DEVICE_FULL_CUDA:-0} == 1 ]]; then
        make_config resources/configs/fmnist-mlp-3l2.json "$work/fmnist-full-cuda.json" cuda '{}'
        run_cli fmnist-full-cuda "$work/fmnist-full-cuda.json" $(($(remaining) - 30))
    fi
    # Optional: the same small run on the CPU, for comparison, when time is left.
    if [[ $no_cuda != 1 && -z $compare_pid && -z $seeds_pid ]] && (($(remaining) > 100)); then
        run_cli fmnist-small-cpu "$work/fmnist-small-cpu.json" $(($(remaining) - 20))
    fi
fi

# await_or_kill PID: waits for a background job until 15 s of the budget are left; then kills it
# and its children and returns 1.
await_or_kill() {
    local pid=$1 left=$(($(remaining) - 15))
    while kill -0 "$pid" 2>/dev/null && ((left > 0)); do
        sleep 5
        left=$((left - 5))
    done
    kill -0 "$pid" 2>/dev/null || return 0
    pkill -P "$pid" 2>/dev/null
    kill "$pid" 2>/dev/null
    return 1
}

if [[ -n $compare_pid ]]; then
    if ! await_or_kill "$compare_pid"; then
        note "compare: still running at the end of the budget; killed (partial results below)"
        sleep 2
        python3 bench/compare/summarise.py "$work/compare" $(tr , ' ' <<<"${BT_DEVICE_COMPARE_METHODS:-bilevel,random,bayesian,hyperband}") \
            >"$work/compare/summary.md" 2>&1
    fi
    note "compare: done at $((SECONDS - started))s"
    cat "$work/compare/summary.md" >>"$summary" 2>/dev/null
    cp "$work/compare/summary.md" "$out/compare.md" 2>/dev/null
fi

if [[ -n $seeds_pid ]]; then
    await_or_kill "$seeds_pid" ||
        note "seeds: still running at the end of the budget; killed (the finished runs are in seeds.out)"
    note "seeds: done at $((SECONDS - started))s"
    cp "$work/seeds.out" "$out/seeds.out" 2>/dev/null
    cp "$work/seeds/summary.md" "$out/seeds.md" 2>/dev/null && tail -n 8 "$out/seeds.md" >>"$summary"
fi

# ---- 5. what comes back -----------------------------------------------------------------------
(cd "$work" && tar -czf "$out/configs.tar.gz" ./*.json)
note "total $((SECONDS - started))s of ${budget}s; files in $out: $(cd "$out" && ls | tr '\n' ' ')"
printf '\n===== summary (%s)\n' "$summary"
cat "$summary"
