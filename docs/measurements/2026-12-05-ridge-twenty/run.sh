#!/bin/bash
# Bilevel (resources/configs/ridge.json as it is), random search and Bayesian optimisation on the
# harness's ridge data of seeds 1000 + s, s = 0 … 19 (bench/harness/ridge.py), one run each, seed s.
# Usage: OUT=/tmp/ridge run.sh; then OUT=/tmp/ridge summarise.py. DATA_ONLY=1 writes the data
# sets and their configurations and runs nothing (2026-12-07-one-lambda-design/ridge.sh).
# As run: the data came from bench/harness/ridge.py's numpy generator, removed on 2026-12-08 for
# `bilevel-tuner-cli data make-ridge --seed 1000+s --out DIR` (the same recipe, other draws); the
# line below no longer runs with today's ridge.py.
set -e
OUT=${OUT:-/tmp/ridge}
cd "$(dirname "$0")/../../.."
for s in $(seq 0 19); do
  d=$OUT/data-$s
  /usr/bin/python3 - <<PY
import json, sys
sys.path.insert(0, "bench/harness")
import ridge
ridge.write_csv(ridge.make_data(1000 + $s), "$d")
c = json.load(open("resources/configs/ridge.json"))
for k in ("train", "validation", "test"):
    c["dataset"][k + "_path"] = "$d/" + k + ".csv"
json.dump(c, open("$d/config.json", "w"), indent=1)
PY
  [[ ${DATA_ONLY:-0} == 1 ]] && continue
  /usr/bin/python3 bench/compare/variants.py --cli build/app/bilevel-tuner-cli --config $d/config.json --out $OUT/out-$s --seeds $s --jobs 1 --variant base: --variant 'random:methods=["random"]' --variant 'bayesian:methods=["bayesian"]' > $OUT/log-$s.txt 2>&1
done
