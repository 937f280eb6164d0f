#!/bin/bash
# ridge.json's bilevel as shipped (9 design points, 3 refinement trainings), with the automatic
# refinement count, and with 5 design points, and Bayesian optimisation, on the ridge data sets
# 1000 + s, s = 0 … 19, of 2026-12-05-ridge-twenty (its run.sh writes them). Then ridge_sum.py.
# Usage: OUT=/tmp/ridge CLI=build/app/bilevel-tuner-cli ridge.sh
set -e
OUT=${OUT:-/tmp/ridge}; CLI=${CLI:-build/app/bilevel-tuner-cli}
here=$(cd "$(dirname "$0")" && pwd)
OUT=$OUT DATA_ONLY=1 "$here/../2026-12-05-ridge-twenty/run.sh"
cd "$here/../../.."
for s in $(seq 0 19); do
  /usr/bin/python3 bench/compare/variants.py --cli $CLI --config $OUT/data-$s/config.json --out $OUT/out-$s --seeds $s --jobs 1 --variant base: --variant init5:bilevel.initial_samples=5,bilevel.refine_trials=-1 --variant auto:bilevel.refine_trials=-1 --variant 'bayesian:methods=["bayesian"]' > $OUT/log-$s.txt 2>&1
done
