"""spe.py S TASK...: per task: each run's seconds per epoch from result.json (cost.wall_seconds / cost.epochs), the
runs paired in the order farm-bench made them (A B A B ...), bilevel ÷ random median [min, max]."""
import json, pathlib, statistics as st, sys
S = pathlib.Path(sys.argv[1])
for task in sys.argv[2:]:
    runs = {"bilevel": [], "random": []}
    for d in (S / task).iterdir():
        f = d / "result.json"
        if not f.exists():
            continue
        m, = json.load(open(f))["methods"].values()
        runs[d.name.split(".")[0]].append((f.stat().st_mtime, m["cost"]["wall_seconds"], m["cost"]["epochs"]))
    b, r = sorted(runs["bilevel"]), sorted(runs["random"])
    ratios = [(x[1] / x[2]) / (y[1] / y[2]) for x, y in zip(b, r)]
    print(f"{task}: {len(ratios)} pairs; s/epoch bilevel ÷ random median {st.median(ratios):.3f} "
          f"[{min(ratios):.3f}, {max(ratios):.3f}]; epochs {b[0][2]:.0f} / {r[0][2]:.0f}; "
          f"method seconds median {st.median(x[1] for x in b):.1f} / {st.median(y[1] for y in r):.1f}")
