"""Refit at λ* + shift minus the refit at λ*, per task, over every method's λ* of the harness's
three seeds (refits.csv): mean ± standard error of test loss and test accuracy (pp)."""
import collections, csv, pathlib, statistics as st

rows = list(csv.DictReader(open(pathlib.Path(__file__).with_name("refits.csv"))))
runs = collections.defaultdict(dict)
for r in rows:
    runs[(r["task"], r["seed"], r["method"])][float(r["shift"])] = r
tasks = list(dict.fromkeys(r["task"] for r in rows))
shifts = [-0.25, -0.5, -1.0]
print("| task | λ* | test loss, " + " | ".join(f"{s:+}" for s in shifts) + " | test acc (pp), "
      + " | ".join(f"{s:+}" for s in shifts) + " |")
print("|---" * (2 + 2 * len(shifts)) + "|")
for task in tasks:
    group = [v for k, v in runs.items() if k[0] == task and 0.0 in v and all(s in v for s in shifts)]
    def cell(key, s, scale=1.0):
        if not group[0][s][key]:
            return "–"
        d = [(float(v[s][key]) - float(v[0.0][key])) * scale for v in group]
        return f"{st.mean(d):+.4f} ± {st.stdev(d) / len(d) ** 0.5:.4f}" if scale == 1.0 else \
            f"{st.mean(d):+.2f} ± {st.stdev(d) / len(d) ** 0.5:.2f}"
    print(f"| {task} | {len(group)} | " + " | ".join(cell("test_loss", s) for s in shifts) + " | "
          + " | ".join(cell("test_accuracy", s, 100.0) for s in shifts) + " |")
