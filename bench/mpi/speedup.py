#!/usr/bin/env python3
"""Speed-up of bilevel's initial design on MPI ranks (issue 10, BENCHMARK.md).

    bench/mpi/speedup.py --cli BUILD/app/bilevel-tuner-cli [--config FILE] [--repeats N]
                         [--ranks 3] [--work DIR] [--quick]

Runs the bilevel method alone (its initial design, then one outer iteration) on the task of
--config (default: resources/configs/mnist-mlp-1k-per-layer.json) with a design of 25 trainings
(of 50 epochs there), one thread per process, in interleaved rounds: serially (--executor local), and
with `mpirun -np R --oversubscribe ... --executor mpi` for R = 2 (one training rank) and --ranks
(default 3: rank 0 runs the method, two ranks train, on this 2-core machine). The design's time is
the method's wall clock at its last design sample (result.json). Prints medians, the ratio to the
serial run, and whether every run gave the serial run's λ* and metrics.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cli", required=True)
    p.add_argument("--config", default=str(REPO / "resources/configs/mnist-mlp-1k-per-layer.json"))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--ranks", type=int, default=3)
    p.add_argument("--work", default="")
    p.add_argument("--quick", action="store_true", help="3 x 3 design of 5 epochs, 1 repeat")
    return p.parse_args()


def design_seconds(result):
    samples = result["methods"]["bilevel"]["samples"]
    design = [s for s in samples if s["phase"] == "initial-design"]
    return design[-1]["cost"]["wall_seconds"], len(design)


def essentials(result):
    m = result["methods"]["bilevel"]
    return [m["lambda"], m["metrics"], m["cost"]["epochs"], m["cost"]["lower_level_trainings"]]


def main():
    a = parse_args()
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        sys.exit("speedup.py: mpirun is missing (Debian: apt-get install openmpi-bin)")
    work = pathlib.Path(a.work) if a.work else pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "bt-mpi-speedup"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = json.load(open(a.config))
    config["methods"] = ["bilevel"]
    config["training"]["threads"] = 1
    config["bilevel"] = {"initial_samples": 25, "outer_iterations": 1, "inner_steps": 20}
    repeats = a.repeats
    if a.quick:
        config["training"]["epochs"] = 5
        config["bilevel"]["initial_samples"] = 9
        repeats = 1
    config_file = work / "config.json"
    json.dump(config, open(config_file, "w"), indent=1)

    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none")
    variants = [("serial", 1, [])]
    for ranks in sorted({2, a.ranks}):
        variants.append((f"mpi -np {ranks}", ranks, [mpirun, "-np", str(ranks), "--oversubscribe"]))
    times = {name: [] for name, _, _ in variants}
    results = {}
    for r in range(repeats):
        for name, ranks, prefix in variants:  # interleaved: the machine's load hits all alike
            out = work / f"{name.replace(' ', '')}-{r}"
            cmd = prefix + [a.cli, "run", "--config", str(config_file), "--out", str(out),
                            "--store", str(work / "runs.db"), "--quiet"]
            if ranks > 1 or prefix:
                cmd += ["--executor", "mpi"]
            start = time.monotonic()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            total = time.monotonic() - start
            if done.returncode != 0:
                sys.exit(f"speedup.py: {' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
            result = json.load(open(out / "result.json"))
            seconds, count = design_seconds(result)
            times[name].append(seconds)
            results.setdefault(name, []).append(essentials(result))
            print(f"round {r + 1} {name:12s} design {seconds:7.2f} s ({count} trainings), whole run {total:6.1f} s",
                  flush=True)

    base = statistics.median(times["serial"])
    reference = results["serial"][0]
    print()
    print(f"task: {pathlib.Path(a.config).name}, bilevel only, {config['training']['epochs']} epochs per training, "
          f"one thread per process, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at the end")
    print(f"{'executor':14s} {'training ranks':>14s} {'design s (median)':>18s} {'speed-up':>9s}  same result")
    for name, ranks, _ in variants:
        m = statistics.median(times[name])
        same = all(x == reference for x in results[name])
        workers = 1 if ranks == 1 else ranks - 1
        print(f"{name:14s} {workers:14d} {m:18.2f} {base / m:9.2f}  {'yes' if same else 'NO'}")
    if not all(all(x == reference for x in v) for v in results.values()):
        sys.exit("speedup.py: a run's result differs from the serial run's")


if __name__ == "__main__":
    main()
