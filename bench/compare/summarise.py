"""Summarises compare_methods.sh's runs: per method the median of each figure over its repeats,
and ratios to the first method's medians."""
import json
import pathlib
import statistics
import sys

out = pathlib.Path(sys.argv[1])
methods = sys.argv[2:]
rows = {}
for m in methods:
    runs = []
    for path in sorted(out.glob(f"{m}-*/result.json")):
        r = json.load(open(path))
        res = r["methods"][m]
        runs.append(
            {
                "seconds": res["cost"]["wall_seconds"],
                "epochs": res["cost"]["epochs"],
                "trainings": res["cost"]["lower_level_trainings"],
                "test_acc": (res["metrics"].get("test_accuracy") or float("nan")) * 100,
                "test_loss": res["metrics"]["test_loss"],
                "refit_acc": ((res.get("refit_metrics") or {}).get("test_accuracy") or float("nan")) * 100,
                "lambda": res["lambda"],
            }
        )
    if runs:
        rows[m] = runs

print(f"| method | runs | λ* (first run) | test acc % | refit test acc % | test loss | trainings | epochs | seconds (median; all) | epochs ratio | time ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
base = None
for m, runs in rows.items():
    med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "epochs", "trainings", "test_acc", "refit_acc", "test_loss")}
    if base is None:
        base = med
    lam = "[" + ", ".join(f"{x:.2f}" for x in runs[0]["lambda"]) + "]"
    allsec = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(
        f"| {m} | {len(runs)} | {lam} | {med['test_acc']:.2f} | {med['refit_acc']:.2f} | {med['test_loss']:.4f} | "
        f"{med['trainings']:.0f} | {med['epochs']:.1f} | {med['seconds']:.1f} ({allsec}) | "
        f"{med['epochs'] / base['epochs']:.2f} | {med['seconds'] / base['seconds']:.2f} |"
    )
