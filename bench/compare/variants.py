#!/usr/bin/env python3
"""Runs the bilevel method on one task under several settings and seeds, and tabulates what the
settings change: λ*, the GP's error at the iterates, the last |h|, the augmented-Lagrangian
weights' figures, λ* retrained from the fixed initialisation (train split) and refit on train ∪
validation, epochs, wall and CPU seconds.

    bench/compare/variants.py --cli build-bench/app/bilevel-tuner-cli \\
        --config resources/configs/mnist-mlp-1k-per-layer.json --out /tmp/warm-cold \\
        --variant warm: --variant cold:bilevel.sample_warm_start=false --seeds 0,1,2

--variant NAME:KEY=VALUE,KEY=VALUE  one setting: dotted configuration keys, JSON values (a bare
                                    word is a string); NAME: alone is the configuration as it is.
Each seed sets dataset.seed and training.seed; every run is one process with one thread. Runs are
interleaved (seed 0 of every variant, then seed 1, ...), so load on a shared machine spreads over
the variants. The table goes to stdout and OUT/summary.md; each run's result.json to
OUT/NAME-sSEED/.
"""
import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time


def parse_variant(text):
    name, sep, rest = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--variant '{text}': expected NAME:KEY=VALUE,... (or NAME:)")
    sets = []
    for item in filter(None, rest.split(",")):
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise argparse.ArgumentTypeError(f"--variant '{text}': '{item}' is not KEY=VALUE")
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass  # a bare word: the string itself
        sets.append((key.split("."), value))
    return name, sets


def configure(base, sets, seed):
    c = json.loads(json.dumps(base))
    c["methods"] = ["bilevel"]
    c.setdefault("dataset", {})["seed"] = seed
    c.setdefault("training", {})["seed"] = seed
    c["training"]["threads"] = 1
    for path, value in sets:
        node = c
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
    return c


def figures(result):
    m = result["methods"]["bilevel"]
    met, re, refit = m.get("metrics") or {}, m.get("retrained_metrics") or {}, m.get("refit_metrics") or {}
    trace = m.get("trace") or []
    errs = [abs(t["phi_hat"] - t["phi_sampled"]) / abs(t["phi_sampled"]) for t in trace if t.get("phi_sampled")]
    outer = [s for s in m.get("samples") or [] if s.get("phase") == "outer-iteration"]
    return {
        "lambda": [round(x, 2) for x in m.get("lambda") or []],
        "gp_err": statistics.median(errs) if errs else None,
        "h_last": abs(trace[-1]["h_sampled"]) if trace else None,
        "al_test_loss": met.get("test_loss"), "al_test_acc": met.get("test_accuracy"),
        "al_val_loss": met.get("val_loss"),
        "re_test_loss": re.get("test_loss"), "re_test_acc": re.get("test_accuracy"),
        "refit_test_acc": refit.get("test_accuracy"),
        "outer_sample_epochs": statistics.median([s.get("epochs_trained", 0) for s in outer]) if outer else None,
        "epochs": m["cost"]["epochs"], "seconds": m["cost"]["wall_seconds"],
    }


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cli", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--variant", action="append", type=parse_variant, required=True)
    p.add_argument("--seeds", default="0,1,2")
    a = p.parse_args()
    try:
        seeds = [int(s) for s in a.seeds.split(",")]
        base = json.load(open(a.config))
    except (ValueError, OSError) as e:
        p.error(str(e))
    names = [n for n, _ in a.variant]
    if len(set(names)) != len(names):
        p.error("variant names must differ")
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = {n: [] for n in names}
    for seed in seeds:
        for name, sets in a.variant:
            folder = out / f"{name}-s{seed}"
            folder.mkdir(exist_ok=True)
            cfg = folder / "config.json"
            cfg.write_text(json.dumps(configure(base, sets, seed), indent=1))
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            rc = subprocess.run([a.cli, "run", "--config", str(cfg), "--out", str(folder), "--store",
                                 str(folder / "runs.db"), "--name", f"{name}-s{seed}", "--quiet"]).returncode
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if rc != 0:
                print(f"{name} seed {seed}: bilevel-tuner-cli exited {rc}; see {folder}", file=sys.stderr)
                continue
            f = figures(json.load(open(folder / "result.json")))
            f["cpu_seconds"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            f["process_seconds"] = time.monotonic() - t0
            f["seed"] = seed
            rows[name].append(f)
            print(f"{name} seed {seed}: {json.dumps(f)}", flush=True)
    keys = ["seed", "lambda", "gp_err", "h_last", "al_val_loss", "al_test_loss", "al_test_acc", "re_test_loss",
            "re_test_acc", "refit_test_acc", "outer_sample_epochs", "epochs", "seconds", "cpu_seconds"]
    lines = [f"Task `{a.config}`, bilevel only, one thread, seeds {a.seeds}; "
             f"load average {os.getloadavg()[0]:.1f} at the end. gp_err: median over the outer iterations of "
             "|φ̂ − φ| / φ at the iterate; h_last: the last |h| sampled; al_*: the augmented-Lagrangian weights; "
             "re_*: λ* retrained from the fixed initialisation on the training split; refit: on train ∪ validation.",
             ""]
    for name, sets in a.variant:
        setting = ", ".join(".".join(k) + " = " + json.dumps(v) for k, v in sets) or "the configuration as it is"
        lines += [f"### {name}: {setting}", "", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        for r in rows[name]:
            lines.append("| " + " | ".join(fmt(r.get(k)) for k in keys) + " |")
        lines.append("")
    text = "\n".join(lines)
    (out / "summary.md").write_text(text + "\n")
    print(text)
    return 0 if all(len(v) == len(seeds) for v in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
