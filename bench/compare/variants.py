#!/usr/bin/env python3
"""Runs one method on one task under several settings and seeds, and tabulates what the settings
change: λ*, the GP's error at the iterates, the median and last h, the augmented-Lagrangian
weights' figures, λ* retrained from the fixed initialisation (train split) and refit on train ∪
validation, epochs, wall and CPU seconds; then each setting's mean ± standard deviation over the
seeds. The method is bilevel unless a setting names another (methods=["random"]), so the
baselines can be run the same way beside the method's variants.

    bench/compare/variants.py --cli build-bench/app/bilevel-tuner-cli \\
        --config resources/configs/mnist-mlp-1k-per-layer.json --out /tmp/warm-cold \\
        --variant warm: --variant cold:bilevel.sample_warm_start=false --seeds 0,1,2

--variant NAME:KEY=VALUE,KEY=VALUE  one setting: dotted configuration keys, JSON values (a bare
                                    word is a string); NAME: alone is the configuration as it is.
Each seed sets dataset.seed and training.seed; every run is one process with one thread. Runs are
interleaved (seed 0 of every variant, then seed 1, ...), so load on a shared machine spreads over
the variants; --jobs N runs N at once. A run whose result.json says it completed is not run
again (a cancelled one is). The tables go to stdout and OUT/summary.md: every run, each
setting's mean ± standard deviation, and
the first setting minus each other one paired by seed (mean ± standard error); each run's
result.json to OUT/NAME-sSEED/.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

# The harness's reading of a run's host (result.json's environment), so both tools pair alike.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from report_runs import host_of  # noqa: E402


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
    (method, m), = result["methods"].items()
    met, re, refit = m.get("metrics") or {}, m.get("retrained_metrics") or {}, m.get("refit_metrics") or {}
    if method != "bilevel":
        re = met  # a baseline's own model is λ* trained on the training split (ALGORITHM.md §3.5)
    trace = m.get("trace") or [] if method == "bilevel" else []
    errs = [abs(t["phi_hat"] - t["phi_sampled"]) / abs(t["phi_sampled"]) for t in trace if t.get("phi_sampled")]
    outer = [s for s in m.get("samples") or [] if s.get("phase") == "outer-iteration"]
    return {
        "lambda": [round(x, 2) for x in m.get("lambda") or []],
        "gp_err": statistics.median(errs) if errs else None,
        "h_last": abs(trace[-1]["h_sampled"]) if trace else None,
        "h_median": statistics.median(t["h_sampled"] for t in trace) if trace else None,
        "al_test_loss": met.get("test_loss"), "al_test_acc": met.get("test_accuracy"),
        "al_val_loss": met.get("val_loss"),
        "re_test_loss": re.get("test_loss"), "re_test_acc": re.get("test_accuracy"),
        "refit_test_loss": refit.get("test_loss"), "refit_test_acc": refit.get("test_accuracy"),
        "outer_sample_epochs": statistics.median([s.get("epochs_trained", 0) for s in outer]) if outer else None,
        "epochs": m["cost"]["epochs"], "seconds": m["cost"]["wall_seconds"],
        "host": host_of(result),  # runs pair only within one host
    }


def paired(rows, names, keys):
    """Lines of a table: the first setting minus each other one, seed by seed (the same seed draws
    the same splits and initialisation), as the mean difference ± its standard error over the
    seeds both finished. A mean within about one standard error of 0 is a tie."""
    first = {r["seed"]: r for r in rows[names[0]]}
    lines = [f"### {names[0]} minus each setting, paired by seed: mean difference ± standard error", "",
             "| setting | seeds | " + " | ".join(keys) + " |", "|" + "---|" * (len(keys) + 2)]
    apart = []
    for name in names[1:]:
        # The same seed on another host draws the same splits but other sums: not a pair.
        same = [r for r in rows[name] if r["seed"] in first and first[r["seed"]].get("host") == r.get("host")]
        apart += [f"{name} seed {r['seed']}" for r in rows[name] if r["seed"] in first and r not in same]
        cells, n = [], 0
        for k in keys:
            d = [first[r["seed"]][k] - r[k] for r in same
                 if first[r["seed"]].get(k) is not None and r.get(k) is not None]
            n = max(n, len(d))
            se = statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else 0.0
            cells.append(f"{statistics.mean(d):+.4g} ± {se:.2g}" if d else "–")
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    lines.append("")
    if apart:
        lines += [f"Not paired (ran on another host than {names[0]}'s run of that seed): {', '.join(apart)}.", ""]
    return lines


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
    p.add_argument("--jobs", type=int, default=1, help="runs at once (one core each)")
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
    jobs = [(seed, name, sets) for seed in seeds for name, sets in a.variant]

    def completed(folder):
        # A run stopped part-way (a killed session) leaves a result.json with status
        # "cancelled": run it again rather than read its partial figures.
        try:
            with open(folder / "result.json") as f:
                return json.load(f).get("status") == "completed"
        except (FileNotFoundError, json.JSONDecodeError):
            return False

    def run_one(job):
        seed, name, sets = job
        folder = out / f"{name}-s{seed}"
        folder.mkdir(exist_ok=True)
        if not completed(folder):
            cfg = folder / "config.json"
            cfg.write_text(json.dumps(configure(base, sets, seed), indent=1))
            (folder / "runs.db").unlink(missing_ok=True)
            t0 = time.monotonic()
            # os.wait4 gives this child's own CPU time (no /usr/bin/time needed, which some
            # machines lack); the runs of other threads are other children.
            proc = subprocess.Popen([a.cli, "run", "--config", str(cfg), "--out", str(folder), "--store",
                                     str(folder / "runs.db"), "--name", f"{name}-s{seed}", "--quiet"])
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            (folder / "cpu.txt").write_text(f"{usage.ru_utime} {usage.ru_stime}\n")
            if proc.returncode != 0:
                print(f"{name} seed {seed}: bilevel-tuner-cli exited {proc.returncode}; see {folder}",
                      file=sys.stderr)
                return None
            (folder / "process_seconds.txt").write_text(f"{time.monotonic() - t0}\n")
        f = figures(json.load(open(folder / "result.json")))
        try:
            f["cpu_seconds"] = sum(float(x) for x in (folder / "cpu.txt").read_text().split()[-2:])
            f["process_seconds"] = float((folder / "process_seconds.txt").read_text())
        except (OSError, ValueError):
            pass
        f["seed"] = seed
        print(f"{name} seed {seed}: {json.dumps(f)}", flush=True)
        return name, f

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for done in pool.map(run_one, jobs):
            if done:
                rows[done[0]].append(done[1])
    for r in rows.values():
        r.sort(key=lambda f: f["seed"])
    keys = ["seed", "lambda", "gp_err", "h_median", "h_last", "al_val_loss", "al_test_loss", "al_test_acc",
            "re_test_loss", "re_test_acc", "refit_test_loss", "refit_test_acc", "outer_sample_epochs", "epochs",
            "seconds", "cpu_seconds"]
    lines = [f"Task `{a.config}`, one method per run, one thread, seeds {a.seeds}; "
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
    means = ["re_test_acc", "re_test_loss", "refit_test_acc", "refit_test_loss", "al_test_acc", "al_test_loss",
             "h_median", "epochs"]
    lines += ["### mean ± standard deviation over the seeds", "",
              "| setting | n | " + " | ".join(means) + " |", "|" + "---|" * (len(means) + 2)]
    for name, _ in a.variant:
        cells = []
        for k in means:
            vals = [r[k] for r in rows[name] if r.get(k) is not None]
            sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
            cells.append(f"{statistics.mean(vals):.4g} ± {sd:.2g}" if vals else "–")
        lines.append(f"| {name} | {len(rows[name])} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += paired(rows, names, ["re_test_acc", "re_test_loss", "refit_test_acc", "refit_test_loss"])
    text = "\n".join(lines)
    (out / "summary.md").write_text(text + "\n")
    print(text)
    return 0 if all(len(v) == len(seeds) for v in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
