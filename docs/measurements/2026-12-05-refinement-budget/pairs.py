#!/usr/bin/env python3
"""Paired differences between settings whose per-seed rows come from several places.

    pairs.py A=SRC[+SRC...] B=SRC[+SRC...] [C=...] [--vs NAMES]

A source SRC is either a summary table written by bench/compare/variants.py, `FILE.md#SECTION`
(the rows under the heading `### SECTION: ...`), or a variants.py folder and setting,
`FOLDER/SETTING` (its SETTING-sN/result.json files). Later sources replace earlier ones seed by
seed. The first setting is compared with each of the others (or those named by --vs), paired by
seed over the seeds both have: retrained test accuracy (pp) and loss, refit test accuracy (pp)
and loss, mean ± standard error; and the epochs, with the seeds where the first spent more.
"""
import glob
import json
import os
import statistics as st
import sys


def table_rows(path, section):
    rows, inside, header = {}, False, None
    with open(path) as f:
        for line in f:
            if line.startswith("### "):
                inside = line[4:].split(":")[0].strip() == section
                header = None
                continue
            if not inside or not line.startswith("|") or line.startswith("|---"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] == "seed":
                header = cells
                continue
            if header:
                d = dict(zip(header, cells))
                rows[int(d["seed"])] = {
                    "ra": 100 * float(d["re_test_acc"]), "rl": float(d["re_test_loss"]),
                    "fa": 100 * float(d["refit_test_acc"]), "fl": float(d["refit_test_loss"]),
                    "ep": float(d["epochs"]), "lam": d["lambda"]}
    return rows


def folder_rows(folder, setting):
    rows = {}
    for path in glob.glob(f"{folder}/{setting}-s*/result.json"):
        with open(path) as f:
            result = json.load(f)
        if result.get("status") != "completed":
            continue
        m = list(result["methods"].values())[0]
        r = m["retrained_metrics"] or m["metrics"]  # a baseline's own training is its retraining
        fm = m["refit_metrics"]
        seed = int(os.path.basename(os.path.dirname(path)).split("-s")[-1])
        rows[seed] = {"ra": 100 * r["test_accuracy"], "rl": r["test_loss"],
                      "fa": 100 * fm["test_accuracy"], "fl": fm["test_loss"],
                      "ep": m["cost"]["epochs"], "lam": str([round(x, 2) for x in m["lambda"]])}
    return rows


def rows_of(spec):
    rows = {}
    for source in spec.split("+"):
        if "#" in source:
            path, section = source.split("#", 1)
            rows.update(table_rows(path, section))
        else:
            folder, setting = source.rsplit("/", 1)
            rows.update(folder_rows(folder, setting))
    return rows


def main(args):
    vs = None
    if "--vs" in args:
        i = args.index("--vs")
        vs = args[i + 1].split(",")
        args = args[:i] + args[i + 2:]
    settings = [a.split("=", 1) for a in args]
    data = {name: rows_of(spec) for name, spec in settings}
    first = settings[0][0]
    a = data[first]
    print(f"{first}: {len(a)} seeds, epochs mean {st.mean(r['ep'] for r in a.values()):.1f}, "
          f"max {max(r['ep'] for r in a.values()):.1f}")
    for name, _ in settings[1:]:
        if vs and name not in vs:
            continue
        b = data[name]
        both = sorted(set(a) & set(b))
        if len(both) < 2:
            print(f"  {first} − {name}: {len(both)} seeds in common")
            continue
        cells = []
        for k, scale in (("ra", 1), ("rl", 1), ("fa", 1), ("fl", 1)):
            d = [a[s][k] - b[s][k] for s in both]
            cells.append(f"{k} {st.mean(d):+.4f} ± {st.stdev(d) / len(d) ** 0.5:.4f}")
        more = [s for s in both if a[s]["ep"] > b[s]["ep"] + 1e-6]
        same = sum(1 for s in both if a[s]["lam"] == b[s]["lam"])
        print(f"  {first} − {name} ({len(both)} seeds: {both[0]}–{both[-1]}): " + "; ".join(cells)
              + f"; epochs {st.mean(a[s]['ep'] for s in both):.1f} vs "
              f"{st.mean(b[s]['ep'] for s in both):.1f}, more in {len(more)} {more}; "
              f"same λ in {same}")


if __name__ == "__main__":
    main(sys.argv[1:])
