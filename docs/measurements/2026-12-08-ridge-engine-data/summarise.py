"""F(λ*)/F_opt and λ* − λ_opt of the runs run.sh made. Usage (from the repository):
OUT=/tmp/ridge-engine /usr/bin/python3 docs/measurements/2026-12-08-ridge-engine-data/summarise.py"""
import json
import os
import statistics
import sys

sys.path.insert(0, "bench/harness")
import ridge  # noqa: E402

out = os.environ.get("OUT", "/tmp/ridge-engine")
ratios, diffs = [], []
for s in range(20):
    m = json.load(open(f"{out}/out-{s}/result.json"))["methods"]["bilevel"]
    lam = m["lambda"][0]
    d = ridge.read_csv(f"{out}/data-{s}")
    fopt, lopt = ridge.optimum(d, -10, 3)
    ratios.append(ridge.validation_loss(d, lam) / fopt)
    diffs.append(lam - lopt)
    print(f"{s} λ* {lam:.3f} λ_opt {lopt:.3f} F(λ*)/F_opt {ratios[-1]:.5f} epochs {m['cost']['epochs']:.0f}")
print(f"median {statistics.median(ratios):.5f} max {max(ratios):.5f}; "
      f"λ* − λ_opt beyond the grid's 0.005: {sum(x > 0.005 for x in diffs)} above, "
      f"{sum(x < -0.005 for x in diffs)} below")
