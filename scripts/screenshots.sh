#!/usr/bin/env bash
# Renders the desktop app's views under Xvfb into docs/screenshots/ (PNG), for the README and
# for looking at what users see. Needs the build (scripts/setup.sh) and ImageMagick's `import`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=${BT_BUILD_DIR:-$repo/build}/app/bilevel-tuner
out=$repo/docs/screenshots
mkdir -p "$out"
command -v import >/dev/null || { echo "error: install imagemagick for 'import'" >&2; exit 1; }
display=:97
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display "$app" --quit-after 6000 >/dev/null 2>&1 &
app_pid=$!
sleep 4
DISPLAY=$display import -window root png:- | convert png:- -trim +repage "$out/main-window.png"
wait "$app_pid" || true
echo "wrote $out/main-window.png"
