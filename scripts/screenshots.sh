#!/usr/bin/env bash
# Renders each view of the desktop app after a real small run, under Xvfb, into docs/screenshots/
# (PNG), for the README and for looking at what users see. The app saves its own window
# (--screenshots), so no window manager or screen grabber is needed.
#
# Runs: resources/screenshots/mnist-per-layer.json (the 1,000 MNIST digits, MLP 784-100-10, two
# λ, every method; about a minute on two cores) for every view, and mnist-three-layers.json
# (three λ, bilevel only) for the surrogate's slices; a TorchScript network and NumPy files that
# scripts/own-network-demo.py writes (python3-torch) for the form with your own network. Needs
# the build (scripts/setup.sh) and the MNIST digits it fetches. Environment: BT_BUILD_DIR
# (default build), BT_SCREENSHOTS (output folder, default docs/screenshots).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BT_BUILD_DIR:-$repo/build}
app=$build/app/bilevel-tuner
out=${BT_SCREENSHOTS:-$repo/docs/screenshots}
[[ -x $app ]] || { echo "error: $app not built; run scripts/setup.sh" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "error: install xvfb" >&2; exit 1; }
mkdir -p "$out"

work=$(mktemp -d)
display=:97
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sizes_xvfb=()
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1

# A fresh settings folder: the window opens at its default size with no remembered state.
run_app() {
    DISPLAY=$display XDG_CONFIG_HOME=$work/config QT_QPA_PLATFORM=xcb \
        timeout 600 "$app" --no-store "$@"
}

echo "==> the window before a run"
run_app --preset fmnist-mlp-3l2 --screenshots "$work/start" >"$work/start.log" 2>&1
cp "$work/start/environment.png" "$out/main-window.png"

echo "==> a run of every method (two λ)"
run_app --config "$repo/resources/screenshots/mnist-per-layer.json" --start \
    --screenshots "$work/run" >"$work/run.log" 2>&1 || { tail -20 "$work/run.log" >&2; exit 1; }
for view in trajectories constraint losses surrogate comparison hyperparameters; do
    cp "$work/run/$view.png" "$out/$view.png"
done

echo "==> the surrogate's slices (three λ)"
run_app --config "$repo/resources/screenshots/mnist-three-layers.json" --start \
    --screenshots "$work/slices" >"$work/slices.log" 2>&1 || { tail -20 "$work/slices.log" >&2; exit 1; }
cp "$work/slices/surrogate.png" "$out/surrogate-slices.png"

echo "==> your own network in the form (a scripted CNN, the digits as NumPy files)"
python=/usr/bin/python3
[[ -x $python ]] || python=python3
digits=$("$build/app/bilevel-tuner-cli" data dir)/mnist
# A folder of a fixed name, so that the form shows a path that reads well.
demo=/tmp/bilevel-tuner-demo
rm -rf "$demo"
"$python" "$repo/scripts/own-network-demo.py" "$digits" "$demo"
run_app --config "$demo/own-network.json" --screenshots "$work/own-shots" \
    >"$work/own.log" 2>&1 || { tail -20 "$work/own.log" >&2; exit 1; }
cp "$work/own-shots/trajectories.png" "$out/own-network.png"
rm -rf "$demo"

echo "==> the window at 1024 × 640, 1400 × 900, 2560 × 1440 and 3840 × 2160, light and dark"
# One view per size and palette (docs/screenshots/sizes/SIZE-PALETTE-VIEW.png), each from its own
# run on a screen of that size: the window opens fitted to the screen.
mkdir -p "$out/sizes"
sizes=(1024x640 1400x900 2560x1440 3840x2160)
views=(trajectories constraint losses comparison surrogate trials)
n=0
for size in "${sizes[@]}"; do
    screen=:$((98 + n / 2))
    if ((n % 2 == 0)); then
        Xvfb "$screen" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
        sizes_xvfb+=($!)
        sleep 1
    fi
    for palette in light dark; do
        flag=()
        [[ $palette == dark ]] && flag=(--dark)
        view=${views[n % ${#views[@]}]}
        DISPLAY=$screen XDG_CONFIG_HOME=$work/config-$size-$palette QT_QPA_PLATFORM=xcb \
            timeout 600 "$app" --no-store "${flag[@]}" \
            --config "$repo/resources/screenshots/mnist-per-layer.json" --start \
            --screenshots "$work/$size-$palette" >"$work/$size-$palette.log" 2>&1 ||
            { tail -20 "$work/$size-$palette.log" >&2; exit 1; }
        cp "$work/$size-$palette/$view.png" "$out/sizes/$size-$palette-$view.png"
        n=$((n + 1))
    done
done
kill "${sizes_xvfb[@]}" 2>/dev/null || true

ls -1 "$out"/*.png "$out"/sizes/*.png
