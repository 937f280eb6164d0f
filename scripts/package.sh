#!/usr/bin/env bash
# Builds the Debian package (CPack), checks it (lintian, desktop-file-validate, appstreamcli),
# installs it with apt on this machine, runs the installed programs from their installed paths
# (version, the example ridge configuration headless, the GUI's offscreen start and headless report export),
# then purges it again and checks that nothing it installed is left behind.
#
# Run as root on Debian 12: bash scripts/package.sh
# Environment: BT_PKG_BUILD_DIR (default build-pkg), BT_JOBS (default nproc),
#              BT_PKG_KEEP=1 leaves the package installed (for trying it by hand).
# The .deb is left in the build folder. Exit status 0 only when every check passed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BT_PKG_BUILD_DIR:-$repo/build-pkg}
jobs=${BT_JOBS:-$(nproc)}
package=bilevel-tuner
appstream_id=org.bileveltuner.BilevelTuner
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() {
    printf '\033[1;31mFAILED: %s\033[0m\n' "$*" >&2
    exit 1
}

[[ $(id -u) == 0 ]] || fail "run as root: the script installs and removes a package with apt"
export DEBIAN_FRONTEND=noninteractive

# ---- 1. tools ------------------------------------------------------------------------------
# dpkg-dev: dpkg-shlibdeps for the Depends field; file: CPack finds the executables with it;
# jq reads and writes JSON in the checks. The build itself needs what scripts/setup.sh installs.
tools=(dpkg-dev file lintian desktop-file-utils appstream jq)
missing=()
for p in "${tools[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) != ii* ]]; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    say "Installing the packaging tools: ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. build the package ------------------------------------------------------------------
export CCACHE_BASEDIR=$repo
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [[ ! -f $build_dir/build.ninja ]]; then
    # Debian's hardening flags (stack protector, _FORTIFY_SOURCE, full RELRO with BIND_NOW), as a
    # Debian build of the package would get them; the file-prefix map keeps the checkout's path
    # out of the binaries.
    flags() { DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"; }
    say "Configuring in $build_dir"
    cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBT_WARNINGS_AS_ERRORS=ON -DBT_BUILD_TESTS=OFF -DBT_BUILD_BENCH=OFF \
        -DCMAKE_INSTALL_PREFIX=/usr \
        -DCMAKE_CXX_FLAGS="$(flags CPPFLAGS) $(flags CXXFLAGS | sed "s|-ffile-prefix-map=[^ ]*|-ffile-prefix-map=$repo=.|")" \
        -DCMAKE_EXE_LINKER_FLAGS="$(flags LDFLAGS)" >/dev/null
fi
say "Building ($jobs jobs)"
cmake --build "$build_dir" -j "$jobs"
say "Packaging with CPack"
rm -f "$build_dir/${package}"_*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
debs=("$build_dir/${package}"_*.deb)
[[ -f ${debs[0]} ]] || fail "CPack wrote no ${package}_*.deb into $build_dir"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
say "Built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Package Version Architecture Installed-Size Depends Recommends | sed 's/^/    /'
dpkg-deb -f "$deb" Depends | grep -q 'dataset-fashion-mnist' ||
    fail "Depends lacks dataset-fashion-mnist"
dpkg-deb -f "$deb" Depends | grep -q 'libc6' ||
    fail "Depends lacks the shared libraries (dpkg-shlibdeps did not run)"

# ---- 3. static checks ----------------------------------------------------------------------
say "lintian (errors fail the script; warnings are explained in packaging/README.md)"
lintian --fail-on error --tag-display-limit 0 "$deb" || fail "lintian reported errors"
say "desktop-file-validate and appstreamcli validate"
desktop-file-validate "$repo/packaging/$package.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$repo/packaging/$appstream_id.metainfo.xml" ||
    fail "appstreamcli validate"

# ---- 4. install with apt -------------------------------------------------------------------
before=$(mktemp)
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^ii/ {print $2}' | sort >"$before"
grep -qx "$package" "$before" && say "$package is installed already: it is replaced, then purged"
files=$(mktemp)
# dpkg-deb -c lists ./usr/...: keep the absolute paths of the files, not the folders.
dpkg-deb -c "$deb" | awk '{print substr($6, 2)}' | grep -v '/$' >"$files"
work=$(mktemp -d)
installed=0
pulled=()

cleanup() {
    local code=$?
    if ((installed)) && [[ ${BT_PKG_KEEP:-0} != 1 ]]; then
        say "Purging $package ${pulled[*]}"
        apt-get remove --purge -y -qq "$package" "${pulled[@]}" >/dev/null || code=1
    fi
    rm -rf "$work" "$before" "$files"
    exit "$code"
}
trap cleanup EXIT

say "apt-get install $deb"
if ! apt-get install -y -qq "$deb" >"$work/apt.log" 2>&1; then
    # The dependencies may be missing from a stale package index.
    apt-get update -qq
    apt-get install -y -qq "$deb" >"$work/apt.log" 2>&1 || {
        cat "$work/apt.log" >&2
        fail "apt-get install $deb"
    }
fi
installed=1
mapfile -t pulled < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' |
    awk '$1 ~ /^ii/ {print $2}' | sort | comm -13 "$before" - | grep -vx "$package" || true)
((${#pulled[@]})) && say "apt also installed: ${pulled[*]}"

# ---- 5. run from the installed paths -------------------------------------------------------
# A throw-away home, data and state folder: nothing the checks write lands in the user's.
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_STATE_HOME=$work/home/.local/state
export XDG_CONFIG_HOME=$work/home/.config XDG_RUNTIME_DIR=$work/runtime
export BILEVEL_TUNER_DATA_DIR=$work/data
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$BILEVEL_TUNER_DATA_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cli=/usr/bin/bilevel-tuner-cli
gui=/usr/bin/bilevel-tuner
configs=/usr/share/$package/configs

say "$cli --version"
"$cli" --version | tee "$work/version.txt"
grep -q "bilevel-tuner-cli $version " "$work/version.txt" ||
    fail "--version does not print the package version $version"
[[ $(man -w bilevel-tuner-cli) == /usr/share/man/man1/bilevel-tuner-cli.1.gz ]] ||
    fail "man bilevel-tuner-cli does not find the installed manual page"
desktop-file-validate /usr/share/applications/$package.desktop || fail "installed desktop entry"
appstreamcli validate --no-net /usr/share/metainfo/$appstream_id.metainfo.xml ||
    fail "installed AppStream metadata"

# The ridge task's data: synthetic linear data as BENCHMARK.md describes it (train 120,
# validation 200, test 1000; 60 standard normal features, 10 non-zero coefficients, noise σ = 1),
# written where the installed ridge.json looks for it (relative to the data folder).
say "Writing the ridge data into $BILEVEL_TUNER_DATA_DIR/ridge"
mkdir -p "$BILEVEL_TUNER_DATA_DIR/ridge"
awk -v dir="$BILEVEL_TUNER_DATA_DIR/ridge" 'BEGIN {
    srand(7); p = 60; pi = atan2(0, -1)
    for (j = 0; j < 10; j++) beta[int(rand() * p)] = normal()
    split("train validation test", names, " "); split("120 200 1000", sizes, " ")
    for (s = 1; s <= 3; s++) {
        f = dir "/" names[s] ".csv"
        for (j = 0; j < p; j++) printf "x%d,", j > f
        print "y" > f
        for (i = 0; i < sizes[s]; i++) {
            y = 0
            for (j = 0; j < p; j++) { x = normal(); y += x * beta[j]; printf "%.6f,", x > f }
            printf "%.6f\n", y + normal() > f
        }
        close(f)
    }
}
function normal() { return sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand()) }'

# The desktop app's options decide which of its checks can run.
export QT_QPA_PLATFORM=offscreen
gui_help=$("$gui" --help 2>/dev/null) || fail "$gui --help exited with $?"
export_report=0
grep -q -- '--export-report' <<<"$gui_help" && export_report=1
store_args=()
((export_report)) && store_args=(--store "$work/runs.sqlite")

# The installed ridge configuration as it is: all five methods (about 15 s).
say "Headless run: $cli run --config $configs/ridge.json ${store_args[*]}"
start=$(date +%s)
"$cli" run --config "$configs/ridge.json" --out "$work/run" --quiet "${store_args[@]}" ||
    fail "bilevel-tuner-cli run exited with $?"
say "  took $(($(date +%s) - start)) s"
result=$work/run/result.json
[[ $(jq -r .status "$result") == completed ]] || fail "the run did not complete"
for method in $(jq -r '.methods[]' "$configs/ridge.json"); do
    loss=$(jq -r ".methods.$method.metrics.test_loss" "$result")
    [[ $loss =~ ^[0-9] ]] || fail "result.json has no test loss for $method (got '$loss')"
    say "  $method: test MSE $loss at λ* $(jq -c ".methods.$method.lambda" "$result")"
done

# The desktop app, offscreen: it must start from the installed paths and close by itself.
# With --preset it also loads a reference task compiled into it.
grep -q -- '--quit-after' <<<"$gui_help" || fail "$gui --help does not offer --quit-after"
gui_args=(--quit-after 1500)
grep -q -- '--preset' <<<"$gui_help" && gui_args+=(--preset ridge)
say "$gui ${gui_args[*]} (offscreen)"
timeout 120 "$gui" "${gui_args[@]}" >"$work/gui.log" 2>&1 || {
    cat "$work/gui.log" >&2
    fail "the desktop app did not start and close cleanly"
}

# The GUI's headless report export of the stored run (bilevel-tuner --export-report RUN_ID
# [--store FILE] --out report.pdf|report.html).
if ((export_report)); then
    run_id=$(jq -r .run_id "$result")
    for out in "$work/report.html" "$work/report.pdf"; do
        say "$gui --export-report $run_id --store ${store_args[1]} --out $out"
        timeout 300 "$gui" --export-report "$run_id" "${store_args[@]}" --out "$out" ||
            fail "bilevel-tuner --export-report exited with $?"
        [[ -s $out ]] || fail "the report export wrote no $out"
        say "  $(basename "$out"): $(du -h "$out" | cut -f1)"
    done
    head -c 5 "$work/report.pdf" | grep -q '%PDF' || fail "report.pdf is not a PDF"
else
    say "SKIPPED: the headless report export ($gui --help offers no --export-report yet)"
fi

# ---- 6. remove and check -------------------------------------------------------------------
if [[ ${BT_PKG_KEEP:-0} == 1 ]]; then
    say "BT_PKG_KEEP=1: $package stays installed; remove it with apt-get remove --purge $package"
    exit 0
fi
say "apt-get remove --purge $package ${pulled[*]}"
apt-get remove --purge -y -qq "$package" "${pulled[@]}" >/dev/null
installed=0
status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
[[ -z $status || $status == un* ]] || fail "dpkg still lists $package as '$status'"
left=()
while read -r f; do
    [[ -e $f || -L $f ]] && left+=("$f")
done <"$files"
for d in /usr/share/$package /usr/share/doc/$package; do
    [[ -e $d ]] && left+=("$d")
done
((${#left[@]} == 0)) || fail "left behind after the purge: ${left[*]}"
say "OK: $deb built, lint-free of errors, installed, run and purged without leftovers"
