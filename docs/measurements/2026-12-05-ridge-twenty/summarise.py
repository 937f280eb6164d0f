"""Per-seed λ*, F(λ*)/F_opt and paired test MSE of the runs run.sh made (OUT, default /tmp/ridge)."""
import json, os, sys, statistics, pathlib
ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench/harness"))
OUT = os.environ.get("OUT", "/tmp/ridge")
import ridge
rows = []
for s in range(20):
    if not pathlib.Path(f"{OUT}/data-{s}/test.csv").exists(): continue
    out = pathlib.Path(f"{OUT}/out-{s}")
    data = ridge.read_csv(f"{OUT}/data-{s}")
    fopt, lopt = ridge.optimum(data, -10, 3)
    row = {"seed": s, "lambda_opt": lopt}
    for m in ("base", "random", "bayesian"):
        p = out / f"{m}-s{s}" / "result.json"
        if not p.exists():
            row = None; break
        r = json.load(open(p)); x = list(r["methods"].values())[0]
        lam = x["lambda"][0]
        row[m] = (lam, ridge.validation_loss(data, lam) / fopt, x["cost"]["epochs"],
                  (x.get("retrained_metrics") or x["metrics"])["test_loss"], x["refit_metrics"]["test_loss"])
    if row: rows.append(row)
print("| seed | λ_opt | " + " | ".join(f"{m} λ* | {m} F/F_opt" for m in ("bilevel", "random", "bayesian")) + " | bilevel epochs |")
print("|---|---|" + "---|---|" * 3 + "---|")
for r in rows:
    print(f"| {r['seed']} | {r['lambda_opt']:.3f} | " + " | ".join(f"{r[m][0]:.3f} | {r[m][1]:.4f}" for m in ("base", "random", "bayesian")) + f" | {r['base'][2]:.0f} |")
print()
for m in ("base", "random", "bayesian"):
    ratios = [r[m][1] for r in rows]
    d = [r[m][0] - r["lambda_opt"] for r in rows]
    print(f"{m}: n={len(rows)} median F/F_opt {statistics.median(ratios):.4f} worst {max(ratios):.4f} "
          f"λ*−λ_opt <0: {sum(x < -1e-9 for x in d)} >0: {sum(x > 1e-9 for x in d)} median {statistics.median(d):+.3f}; "
          f"mean test MSE {statistics.mean(r[m][3] for r in rows):.4f}; epochs {min(r[m][2] for r in rows):.0f}-{max(r[m][2] for r in rows):.0f}")
print()
for m in ("random", "bayesian"):
    d = [r["base"][3] - r[m][3] for r in rows]
    se = statistics.stdev(d) / len(d) ** 0.5
    print(f"bilevel − {m}: retrained test MSE {statistics.mean(d):+.4f} ± {se:.4f} (paired, n={len(d)})")
for m in ("random", "bayesian"):
    d = [r["base"][4] - r[m][4] for r in rows]
    se = statistics.stdev(d) / len(d) ** 0.5
    print(f"bilevel − {m}: refit test MSE {statistics.mean(d):+.4f} ± {se:.4f} (paired, n={len(d)})")
