#!/usr/bin/env bash
# Installs what is missing, builds incrementally and launches the desktop app.
# Without a display ($DISPLAY / $WAYLAND_DISPLAY unset) it runs on a virtual X server (Xvfb).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Only what the app needs (the app and the CLI that fetches the data): no tests or benchmarks.
BT_TARGETS=${BT_TARGETS:-bilevel-tuner bilevel-tuner-cli} "$repo/scripts/setup.sh"
app=${BT_BUILD_DIR:-$repo/build}/app/bilevel-tuner
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    echo "No display found: starting Bilevel Tuner on a virtual X server (xvfb-run)." >&2
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@"
fi
exec "$app" "$@"
