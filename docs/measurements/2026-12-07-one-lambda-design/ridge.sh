#!/bin/bash
# ridge.json's bilevel with 9 (as shipped) vs 5 design points (initial_samples), and BO, on data sets 1000+s.
set -e
OUT=${OUT:-/tmp/ridge}; CLI=${CLI:-build/app/bilevel-tuner-cli}
cd "$(dirname "$0")/../../.."
for s in $(seq 0 19); do
  d=$OUT/data-$s; mkdir -p $d
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
  /usr/bin/python3 bench/compare/variants.py --cli $CLI --config $d/config.json --out $OUT/out-$s --seeds $s --jobs 1 --variant base: --variant init5:bilevel.initial_samples=5,bilevel.refine_trials=-1 --variant auto:bilevel.refine_trials=-1 --variant 'bayesian:methods=["bayesian"]' > $OUT/log-$s.txt 2>&1
done
