#!/usr/bin/env python3
"""Where the bilevel method's λ* came from, and per-seed rows of any method.

    sources.py phases OUT/SETTING [OUT/SETTING ...]
        for each bilevel setting of a bench/compare/variants.py folder: how many of its runs took
        λ* from each phase of training from the initialisation (initial-design, confirmation,
        refinement; ALGORITHM.md §3.5-§3.6)
    sources.py rows OUT SETTING [SETTING ...]
        one row per seed and setting: λ*, validation loss of λ*'s training on the training split,
        its retrained and refit test accuracy, epochs
"""
import collections
import glob
import json
import sys


def method_of(path):
    with open(path) as f:
        return list(json.load(f)["methods"].values())[0]


def seed_of(path):
    return int(path.split("-s")[-1].split("/")[0])


def phases(prefixes):
    for prefix in prefixes:
        counts = collections.Counter()
        for path in sorted(glob.glob(prefix + "-s*/result.json")):
            m = method_of(path)
            chosen = [s["phase"] for s in m["samples"]
                      if s["lambda"] == m["lambda"] and s["phase"] != "outer-iteration"]
            counts[chosen[-1] if chosen else "none"] += 1
        total = sum(counts.values())
        print(f"{prefix}: {total} runs; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def rows(folder, settings):
    print("| setting | seed | λ* | val loss | retrained test acc | refit test acc | epochs |")
    print("|---|---|---|---|---|---|---|")
    for setting in settings:
        for path in sorted(glob.glob(f"{folder}/{setting}-s*/result.json"), key=seed_of):
            m = method_of(path)
            r = m["retrained_metrics"] or m["metrics"]
            lam = ", ".join(f"{x:.2f}" for x in m["lambda"])
            print(f"| {setting} | {seed_of(path)} | ({lam}) | {r['val_loss']:.4f} | "
                  f"{100 * r['test_accuracy']:.2f} | {100 * m['refit_metrics']['test_accuracy']:.2f} | "
                  f"{m['cost']['epochs']:.0f} |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "phases":
        phases(sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "rows":
        rows(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
