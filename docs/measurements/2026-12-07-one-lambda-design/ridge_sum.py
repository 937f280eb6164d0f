import json, os, sys, statistics, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "bench/harness"))
import ridge
OUT = os.environ.get("OUT", "/tmp/ridge"); V = ("base", "init5", "auto", "bayesian")
rows = []
for s in range(20):
    out = pathlib.Path(f"{OUT}/out-{s}")
    if not out.exists(): continue
    data = ridge.read_csv(f"{OUT}/data-{s}")
    fopt, lopt = ridge.optimum(data, -10, 3)
    row = {"lopt": lopt}
    for m in V:
        p = out / f"{m}-s{s}" / "result.json"
        if not p.exists(): row = None; break
        x, = json.load(open(p))["methods"].values()
        lam = x["lambda"][0]
        row[m] = (lam, ridge.validation_loss(data, lam) / fopt, x["cost"]["epochs"],
                  (x.get("retrained_metrics") or x["metrics"])["test_loss"], x["refit_metrics"]["test_loss"])
    if row: rows.append(row)
n = len(rows)
for m in V:
    r = [x[m][1] for x in rows]; d = [x[m][0] - x["lopt"] for x in rows]
    print(f"{m:9s} n={n} median F/Fopt {statistics.median(r):.5f} worst {max(r):.4f} below/above {sum(v < -1e-9 for v in d)}/{sum(v > 1e-9 for v in d)} median λ*-λopt {statistics.median(d):+.3f} epochs {statistics.median(x[m][2] for x in rows):.0f}")
for a in ("base", "init5", "auto"):
    for b in ("bayesian", "base"):
        if a == b: continue
        for k, lab in ((3, "retrained"), (4, "refit")):
            d = [x[a][k] - x[b][k] for x in rows]
            print(f"{a} - {b} {lab}: {statistics.mean(d):+.5f} ± {statistics.stdev(d)/n**0.5:.5f}")
