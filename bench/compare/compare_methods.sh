#!/usr/bin/env bash
# Times methods against each other on one task, fairly: each method runs alone in its own process
# (one thread), the repeats are interleaved (A B C A B C ...) or run side by side on a machine
# with cores to spare, and the table reports medians and each method's ratios to the first one.
#
#   bench/compare/compare_methods.sh --cli PATH --config RUN.json --out DIR
#       [--methods bilevel,random,bayesian] [--repeats 3] [--parallel N]
#
# --parallel N runs up to N processes at once (default 1: strictly one after the other). Use it
# only where N cores are idle: the processes then share nothing but memory bandwidth. Each run's
# result.json lands in DIR/<method>-<repeat>/; DIR/summary.md gets the table.
set -euo pipefail
cli="" config="" out="" methods="bilevel,random,bayesian" repeats=3 parallel=1
while (($#)); do
    case $1 in
    --cli) cli=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ -x $cli && -f $config && -n $out ]] || { echo "usage: see the head of $0" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
IFS=, read -r -a list <<<"$methods"

# One config per method: the task's, with that method alone and one thread.
for m in "${list[@]}"; do
    python3 - "$config" "$m" "$out/$m.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["methods"] = [sys.argv[2]]
c.setdefault("training", {})["threads"] = 1
json.dump(c, open(sys.argv[3], "w"), indent=1)
PY
done

jobs=()
for ((r = 1; r <= repeats; r++)); do
    for m in "${list[@]}"; do
        jobs+=("$m $r")
    done
done
running=0
for job in "${jobs[@]}"; do
    read -r m r <<<"$job"
    (
        "$cli" run --config "$out/$m.json" --out "$out/$m-$r" --store "$out/runs.db" --quiet \
            >"$out/$m-$r.log" 2>&1 || echo "exit $? for $m repeat $r" >>"$out/$m-$r.log"
    ) &
    running=$((running + 1))
    if ((running >= parallel)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true
python3 "$here/summarise.py" "$out" "${list[@]}" | tee "$out/summary.md"
