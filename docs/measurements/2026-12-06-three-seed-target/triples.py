#!/usr/bin/env python3
"""How often three seeds meet issue 19's reading of BENCHMARKS.md, for the default as it is.

    cd docs/measurements && python3 2026-12-06-three-seed-target/triples.py

For each task with many seeds of the default and of both baselines (per-seed rows of the
measurement notes named below), every triple of seeds is read as a harness table is: for each
of the four figures (retrained and refit test accuracy and test loss), the bilevel method's
mean must be no worse than the better baseline's mean, or within one standard error of the
paired difference (the paired table's ± over those three seeds). Prints, per task, the share of
triples meeting all four figures, and each figure's share alone; then the same test for each of
the three methods against the better of the other two, which says how often a method as good as
its rivals passes it.
"""
import itertools
import math
import os
import statistics as st
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "2026-12-05-refinement-budget"))
from pairs import table_rows  # noqa: E402

LH = "2026-12-06-latin-hypercube/"
R = "2026-12-05-refinement/"
F = "2026-12-05-mnist-5k-ten-seeds/"
L = "2026-12-05-lenet-eight-seeds/"
B = "2026-12-05-refinement-budget/"
S = "2026-12-06-lenet-sixteen-seeds/fmnist-lenet5-seeds-12-15-summary.md"  # seeds 12–15, added later


def load(sources):
    rows = {}
    for s in sources:
        path, section = s.split("#")
        rows.update(table_rows(path, section))
    return rows


TASKS = {
    "fmnist-mlp-3l2": ([LH + "fmnist-mlp-3l2-summary.md#lhs"],
                       [R + "fmnist-mlp-3l2-summary.md#bayesian", R + "fmnist-mlp-3l2-twenty-seeds-summary.md#bayesian"],
                       [R + "fmnist-mlp-3l2-summary.md#random", R + "fmnist-mlp-3l2-twenty-seeds-summary.md#random"]),
    "mnist-mlp-5k-per-layer": ([LH + "mnist-mlp-5k-per-layer-summary.md#lhs"],
                               [R + "mnist-mlp-5k-per-layer-summary.md#bayesian",
                                R + "mnist-mlp-5k-per-layer-twenty-seeds-summary.md#bayesian"],
                               [R + "mnist-mlp-5k-per-layer-summary.md#random",
                                R + "mnist-mlp-5k-per-layer-twenty-seeds-summary.md#random"]),
    "mnist-mlp-5k": ([B + "mnist-mlp-5k-auto-summary.md#auto", B + "mnist-mlp-5k-auto-summary-seeds-20-39.md#auto"],
                     [F + "mnist-mlp-5k-summary.md#bayesian", F + "mnist-mlp-5k-summary-seeds-10-19.md#bayesian",
                      B + "mnist-mlp-5k-auto-summary-seeds-20-39.md#bayesian"],
                     [F + "mnist-mlp-5k-summary.md#random", F + "mnist-mlp-5k-summary-seeds-10-19.md#random",
                      B + "mnist-mlp-5k-auto-summary-seeds-20-39.md#random"]),
    "fmnist-lenet5": ([LH + f for f in ("fmnist-lenet5-seeds-0-2-summary.md#lhs", "fmnist-lenet5-seeds-3-5-summary.md#lhs",
                                        "fmnist-lenet5-seed-6-summary.md#lhs", "fmnist-lenet5-seeds-7-8-summary.md#lhs",
                                        "fmnist-lenet5-seeds-9-11-summary.md#lhs")] + [S + "#lhs"],
                      [B + "fmnist-lenet5-bayesian-seeds-0-2.md#bayesian", L + "fmnist-lenet5-summary.md#bayesian",
                       L + "fmnist-lenet5-summary-seeds-8-11.md#bayesian", S + "#bayesian"],
                      ["2026-12-04-ten-seeds/fmnist-lenet5-summary.md#random", L + "fmnist-lenet5-summary.md#random",
                       L + "fmnist-lenet5-summary-seeds-8-11.md#random", S + "#random"]),
    # Random search was not run over these 60 seeds: Bayesian optimisation is the one rival.
    "mnist-mlp-1k-per-layer": ([LH + "mnist-mlp-1k-per-layer-seeds-0-29-summary.md#lhs",
                                LH + "mnist-mlp-1k-per-layer-seeds-30-59-summary.md#lhs"],
                               [LH + "mnist-mlp-1k-per-layer-auto-bayesian-seeds-0-29-summary.md#bayesian",
                                LH + "mnist-mlp-1k-per-layer-seeds-30-59-summary.md#bayesian"],
                               []),
}
FIGURES = (("ra", +1), ("rl", -1), ("fa", +1), ("fl", -1))  # +1: higher is better


def meets(b, o, seeds, key, sign):
    """Bilevel's mean no worse than the baseline's, or within one paired standard error."""
    d = [sign * (b[s][key] - o[s][key]) for s in seeds]
    return st.mean(d) >= -st.stdev(d) / math.sqrt(len(d))


def shares(x, others, triples):
    """Share of triples where `x` meets all four figures against the better of `others`, and
    each figure's share alone."""
    alone = {k: 0 for k, _ in FIGURES}
    every = 0
    for t in triples:
        ok = True
        for key, sign in FIGURES:
            # The better rival on this figure over these seeds.
            better = max(others, key=lambda o: sign * st.mean(o[s][key] for s in t))
            m = meets(x, better, t, key, sign)
            alone[key] += m
            ok = ok and m
        every += ok
    n = len(triples)
    return every / n, {k: v / n for k, v in alone.items()}


def main():
    for task, (bs, bos, rss) in TASKS.items():
        runs = {"bilevel": load(bs), "bayesian": load(bos), "random": load(rss)}
        runs = {m: r for m, r in runs.items() if r}
        seeds = sorted(set.intersection(*(set(r) for r in runs.values())))
        triples = list(itertools.combinations(seeds, 3))
        every, alone = shares(runs["bilevel"], [r for m, r in runs.items() if m != "bilevel"], triples)
        print(f"{task}: {len(seeds)} seeds, {len(triples)} triples; bilevel meets all four figures in "
              f"{every:.0%} ({', '.join(f'{k} {v:.0%}' for k, v in alone.items())}); each method against "
              "the better of the others: "
              + ", ".join(f"{m} {shares(r, [o for n, o in runs.items() if n != m], triples)[0]:.0%}"
                          for m, r in runs.items()))


if __name__ == "__main__":
    main()
