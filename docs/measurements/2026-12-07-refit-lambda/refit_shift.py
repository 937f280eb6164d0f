"""Refit each harness λ* (seeds 0-2, all methods) at λ* + shift for several shifts (a CLI built with hooks.diff; CLI, WORK = the harness work folder, OUT = where to write)."""
import json, os, subprocess, sys, pathlib, concurrent.futures as cf
CLI = os.environ["CLI"]
ROOT = pathlib.Path(os.environ["WORK"])
OUT = pathlib.Path(os.environ["OUT"])
tasks = sys.argv[1].split(",")
shifts = sys.argv[2] if len(sys.argv) > 2 else "0,-0.25,-0.5,-1.0"
jobs = []
for task in tasks:
    for seed in range(3):
        for method in ["bilevel", "random", "bayesian", "grid", "hyperband"]:
            f = ROOT / task / f"seed{seed}" / method / "result.json"
            if not f.exists(): continue
            lam = next(iter(json.load(open(f))["methods"].values()))["lambda"]
            jobs.append((task, seed, method, lam))
def run(job):
    task, seed, method, lam = job
    out = OUT / task / f"s{seed}-{method}"
    if (out / "done").exists(): return
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, BT_FIXED_LAMBDA=",".join(map(repr, lam)), BT_REFIT_SHIFTS=shifts,
               BT_REFIT_LOG=str(out / "refits.jsonl"))
    (out / "refits.jsonl").unlink(missing_ok=True)
    cfg = ROOT / task / f"seed{seed}" / "random.json"
    r = subprocess.run([CLI, "run", "--config", str(cfg), "--out", str(out / "run"), "--store", str(out / "runs.db"), "--quiet"],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(task, seed, method, "rc", r.returncode, r.stderr[-500:], flush=True); return
    (out / "done").write_text("")
    print(task, seed, method, "done", flush=True)
with cf.ThreadPoolExecutor(2) as ex:
    list(ex.map(run, jobs))
