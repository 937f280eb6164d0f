#!/usr/bin/env python3
"""Paired differences between settings of one bench/compare/variants.py folder.

    paired.py OUT A1,A2,... B1,B2,...

For each setting A: how many of its λ* lie in the better basin of the per-layer MNIST tasks
(λ₁ > λ₂, docs/measurements/2026-12-04-more-seeds.md), its mean and largest epochs, and A − B
for each setting B, paired by seed over the seeds both have: retrained test accuracy (pp) and
loss, refit test accuracy (pp) and loss, mean ± standard error.
"""
import glob
import json
import statistics as st
import sys


def load(folder, setting, seed):
    try:
        with open(f"{folder}/{setting}-s{seed}/result.json") as f:
            m = list(json.load(f)["methods"].values())[0]
    except FileNotFoundError:
        return None
    r = m["retrained_metrics"] or m["metrics"]  # a baseline's own training is its retraining
    f = m["refit_metrics"]
    return {"ra": 100 * r["test_accuracy"], "rl": r["test_loss"],
            "fa": 100 * f["test_accuracy"], "fl": f["test_loss"],
            "lam": m["lambda"], "ep": m["cost"]["epochs"]}


def main(folder, first, second):
    seeds = sorted({int(p.split("-s")[-1].split("/")[0])
                    for p in glob.glob(folder + "/*-s*/result.json")})
    for a in first:
        ra = {s: load(folder, a, s) for s in seeds}
        runs = [r for r in ra.values() if r]
        basin = sum(1 for r in runs if len(r["lam"]) == 2 and r["lam"][0] > r["lam"][1])
        print(f"{a}: {len(runs)} runs, λ₁ > λ₂ in {basin}, epochs mean "
              f"{st.mean(r['ep'] for r in runs):.0f} max {max(r['ep'] for r in runs):.0f}")
        for b in second:
            rb = {s: load(folder, b, s) for s in seeds}
            both = [s for s in seeds if ra[s] and rb[s]]
            cells = []
            for k in ("ra", "rl", "fa", "fl"):
                d = [ra[s][k] - rb[s][k] for s in both]
                cells.append(f"{k} {st.mean(d):+.4f} ± {st.stdev(d) / len(d) ** 0.5:.4f}")
            print(f"  {a} − {b} ({len(both)} seeds): " + "; ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","))
