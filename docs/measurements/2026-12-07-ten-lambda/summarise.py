"""Per seed and over the seeds: retrained / refit test accuracy (%) and retrained test loss of
the default (select, 20-point design), the default with bilevel.initial_samples = 10
(select10), random search and Bayesian optimisation; chance-level trainings (validation loss > 2)
of each run; where the default's λ* came from. Usage: summarise.py OUT (variants.py --out)."""
import json, glob, statistics as st, sys
root = sys.argv[1]
def fig(m, s):
    r = json.load(open(f"{root}/{m}-s{s}/result.json")); t = next(iter(r["methods"].values()))
    re = t.get("retrained_metrics") or t["metrics"]; rf = t["refit_metrics"]
    ok = [x for x in t["samples"] if x["status"] == "ok"]
    chance = sum(x["metrics"]["val_loss"] > 2.0 for x in ok)
    src = next((x["phase"] for x in t["samples"] if x["lambda"] == t["lambda"]), "?")
    return dict(ra=re["test_accuracy"]*100, rl=re["test_loss"], fa=rf["test_accuracy"]*100, fl=rf["test_loss"],
                ep=t["cost"]["epochs"], chance=chance, n=len(t["samples"]), src=src)
seeds = sorted({int(p.split("-s")[-1]) for p in glob.glob(f"{root}/select-s*")})
meths = ["select", "select10", "random", "bayesian"]
F = {m: {s: fig(m, s) for s in seeds} for m in meths}
for s in seeds:
    print(s, "  ".join(f"{m}: {F[m][s]['ra']:.2f}/{F[m][s]['fa']:.2f} {F[m][s]['rl']:.4f} ch {F[m][s]['chance']}/{F[m][s]['n']} {F[m][s]['src'] if m=='select' else ''}" for m in meths))
for m in meths:
    print(m, {k: f"{st.mean(F[m][s][k] for s in seeds):.4f}" for k in ["ra", "fa", "rl", "fl", "ep"]},
          "chance share", f"{sum(F[m][s]['chance'] for s in seeds)/sum(F[m][s]['n'] for s in seeds):.2f}")
for a, b in [("select", "select10"), ("select", "random"), ("select", "bayesian"),
             ("select10", "random"), ("select10", "bayesian")]:
    out = []
    for k in ["ra", "fa", "rl", "fl"]:
        d = [F[a][s][k] - F[b][s][k] for s in seeds]
        out.append(f"{k} {st.mean(d):+.4f} ± {st.stdev(d)/len(d)**.5:.4f}")
    print(a, "−", b, f"({len(seeds)} seeds):", "; ".join(out))
