"""Share of the λ coordinates of expected-improvement proposals that lie on the box's bounds
(within 0.001 of −10 or 0), and the share of those trainings at chance level (validation loss
> 2.0). Usage: python3 bounds_share.py RUNS_FOLDER (variants.py's --out)."""
import glob
import json
import sys

folder = sys.argv[1]
for setting, phase in [("bayesian", "trial"), ("bayesian12", "trial"), ("select", "refinement")]:
    n = at_bound = coords = collapsed = 0
    for run in sorted(glob.glob(f"{folder}/{setting}-s*")):
        trace = next(iter(json.load(open(run + "/result.json"))["methods"].values()))
        for s in trace["samples"]:
            if s["phase"] != phase:
                continue
            n += 1
            at_bound += sum(x <= -9.999 or x >= -0.001 for x in s["lambda"])
            coords += len(s["lambda"])
            collapsed += s["status"] == "ok" and s["metrics"]["val_loss"] > 2.0
    if n:
        print(f"{setting} ({phase}): {n} proposals, {at_bound / coords:.2f} of coordinates on a bound, "
              f"{collapsed / n:.2f} at chance level")
