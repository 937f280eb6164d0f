#!/bin/bash
# Ridge on the engine's data (data make-ridge --seed 1000+s), bilevel default only, data sets 0-19.
cd /work/main
OUT=${OUT:-/tmp/ridge-engine}
for s in $(seq ${FIRST:-0} ${LAST:-19}); do
  d=$OUT/data-$s
  build/app/bilevel-tuner-cli data make-ridge --seed $((1000 + s)) --out $d --force > /dev/null
  /usr/bin/python3 - <<PY
import json
c = json.load(open("resources/configs/ridge.json"))
for k in ("train", "validation", "test"):
    c["dataset"][k + "_path"] = "$d/" + k + ".csv"
c["methods"] = ["bilevel"]
json.dump(c, open("$d/config.json", "w"), indent=1)
PY
  build/app/bilevel-tuner-cli run --config $d/config.json --out $OUT/out-$s --store $OUT/runs.db --quiet > $OUT/log-$s.txt 2>&1
done
echo done > $OUT/finished
