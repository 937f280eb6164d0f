"""Share of each run's completed trainings whose validation loss is at chance level (> 2.0; ln 10
= 2.303 for ten classes: the network collapsed to a constant output), and where each bilevel
run's λ* was trained. Usage: python3 chance_share.py RUNS_FOLDER (variants.py's --out)."""
import glob
import json
import statistics
import sys

folder = sys.argv[1]
for setting in ["select", "random", "bayesian", "bayesian12"]:
    shares = []
    for run in sorted(glob.glob(f"{folder}/{setting}-s*")):
        methods = json.load(open(run + "/result.json"))["methods"]
        trace = next(iter(methods.values()))
        ok = [s for s in trace["samples"] if s["status"] == "ok"]
        shares.append(sum(s["metrics"]["val_loss"] > 2.0 for s in ok) / len(ok))
    if shares:
        print(f"{setting}: {statistics.mean(shares):.3f} of trainings at chance level, per seed",
              [round(x, 2) for x in shares])
for run in sorted(glob.glob(f"{folder}/select-s*")):
    trace = json.load(open(run + "/result.json"))["methods"]["bilevel"]
    lam = trace["lambda"]
    phases = [s["phase"] for s in trace["samples"]
              if s["status"] == "ok" and all(abs(a - b) < 1e-9 for a, b in zip(s["lambda"], lam))]
    print(run.split("/")[-1], "λ* trained in phase", phases)
