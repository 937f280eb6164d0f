"""Runs the reference tasks and measurements of BENCHMARK.md and writes BENCHMARKS.md.

Called by run.sh (which checks the tools and finds the programs). Every run is one process with
one thread: `bilevel-tuner-cli run` of one task, seed and method, under /usr/bin/time -v for its
peak memory. A run whose result.json exists is skipped, and a run a stopped harness left
unfinished resumes from its run store (`bilevel-tuner-cli resume`: its finished trainings are
replayed, not repeated), so an interrupted harness picks up where it stopped, mid-run included;
the report is rewritten after every task, so partial results are readable at once.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
# Exit codes of a run stopped from outside rather than failed: the CLI's own for a cancel (130),
# and 128 + SIGHUP, SIGINT, SIGKILL, SIGTERM as /usr/bin/time reports a killed program.
STOPPED = {129, 130, 137, 143}
sys.path.insert(0, str(HERE))
import tasks as T  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/harness/run.sh")
    p.add_argument("--mode", choices=["quick", "full"], required=True)
    p.add_argument("--out", required=True, help="folder of BENCHMARKS.md")
    p.add_argument("--work", required=True, help="folder of the runs (result.json, logs)")
    p.add_argument("--charts", required=True, help="folder of the chart images")
    p.add_argument("--seeds", type=int, default=0, help="seeds per task (0: the task's default)")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--cli", required=True)
    p.add_argument("--bench-bin", required=True, help="build folder holding bench/<x>/<program>")
    p.add_argument("--configs", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--tasks", default="", help="comma-separated subset of the tasks")
    p.add_argument("--methods", default="",
                   help="comma-separated subset of the methods to run (the report still counts the others)")
    p.add_argument("--dry-run", action="store_true",
                   help="write every run's configuration and check it with the CLI, run nothing")
    p.add_argument("--report-only", action="store_true")
    p.add_argument("--command", default="")
    a = p.parse_args(argv)
    if a.seeds < 0 or a.jobs < 1:
        p.error("--seeds must be >= 0 and --jobs >= 1")
    return a


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def timed(cmd, out_file, time_file, cwd=None, env=None):
    """Runs cmd under /usr/bin/time -v; stdout+stderr to out_file. Returns (rc, seconds)."""
    start = time.monotonic()
    with open(out_file, "w") as out:
        rc = subprocess.call(["/usr/bin/time", "-v", "-o", str(time_file)] + cmd, stdout=out,
                             stderr=subprocess.STDOUT, cwd=cwd, env=env)
    return rc, time.monotonic() - start


def take_claim(path):
    """Claims a shared piece of work for this process: creates `path` holding the pid, or takes
    it over when the process named there has ended. False while another live process holds it."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                text = path.read_text().strip()
                if not text:
                    return False  # just created: its process is writing its pid
                holder = int(text)
                if holder <= 0:
                    raise ValueError(text)
                os.kill(holder, 0)
                return False  # alive: theirs
            except ProcessLookupError:
                path.unlink(missing_ok=True)  # its process has ended: stale
                continue
            except (ValueError, FileNotFoundError):
                path.unlink(missing_ok=True)
                continue
            except PermissionError:
                return False
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        return True
    return False


class Plan:
    """The runs of every task: (task, seed, method) -> folder; skipped tasks with the reason."""

    def __init__(self, a):
        self.a = a
        self.work = pathlib.Path(a.work)
        self.units = []  # (task, seed, method, config path, run folder)
        self.skipped = {}  # task -> reason
        self.meta = {}  # task -> {"config": base, "seeds": [...], "ridge": {seed: folder}}
        wanted = [t for t in a.tasks.split(",") if t]
        self.wanted = wanted  # the tasks to run; empty: all
        known = [t[0] for t in T.TASKS]
        for t in wanted:
            if t not in known:
                raise SystemExit(f"harness: --tasks names '{t}', not a task; tasks: {', '.join(known)}")
        methods = [m for m in a.methods.split(",") if m]
        for m in methods:
            if m not in T.METHODS:
                raise SystemExit(f"harness: --methods names '{m}', not a method; methods: {', '.join(T.METHODS)}")
        for name, file_name, _, default_seeds in T.TASKS:
            # Every task stays in the plan, so that the report covers all of them; only the
            # wanted tasks' and methods' runs are run.
            run_task = not wanted or name in wanted
            base = T.load_config(a.configs, file_name)
            seeds = list(range(1 if a.mode == "quick" else (a.seeds or default_seeds)))
            self.meta[name] = {"config": base, "seeds": seeds, "file": file_name}
            # (a dry run still checks every configuration, the left-out ones too)
            left_out = {} if a.mode != "full" or a.dry_run else {
                m: why for m, why in T.FULL_LEFT_OUT.get(name, {}).items() if m not in methods}
            if left_out:
                self.meta[name]["left_out"] = left_out
            why = T.missing_data(base)
            if why:
                self.skipped[name] = why
                continue
            for s in seeds:
                ridge_dir = None
                if base["dataset"]["kind"] == "csv":
                    ridge_dir = self.work / name / f"seed{s}" / "data"
                    self.meta[name].setdefault("ridge", {})[s] = str(ridge_dir)
                for m in base["methods"]:
                    folder = self.work / name / f"seed{s}" / m
                    config = self.work / name / f"seed{s}" / f"{m}.json"
                    c = T.method_config(base, name, m, s, a.mode, ridge_dir)
                    self.meta[name].setdefault("run_configs", {})[m] = c
                    if run_task and (not methods or m in methods) and m not in left_out:
                        self.units.append((name, s, m, config, folder, c))
        # interleave: seed by seed, method by method within a task
        (self.work).mkdir(parents=True, exist_ok=True)
        json.dump({k: {kk: vv for kk, vv in v.items()} for k, v in self.meta.items()},
                  open(self.work / "plan.json", "w"), indent=1, default=str)
        json.dump(self.skipped, open(self.work / "skipped.json", "w"), indent=1)


def prepare_ridge(a, plan):
    """Writes each ridge seed's CSV files once (`bilevel-tuner-cli data make-ridge`, data seed
    1000 + the task seed): into a folder of this process's own, then each moved into place whole
    (test.csv last, the file whose presence says the data are there), so that another harness
    session on the work folder never reads a file half-written; the data of a seed are the same
    whoever writes them."""
    for name, meta in plan.meta.items():
        for s, folder in meta.get("ridge", {}).items():
            folder = pathlib.Path(folder)
            if (folder / "test.csv").exists():
                continue
            own = folder.with_name(f"{folder.name}.{os.getpid()}")
            subprocess.run([a.cli, "data", "make-ridge", "--seed", str(1000 + s), "--out", str(own),
                            "--force"], check=True, capture_output=True)
            folder.mkdir(parents=True, exist_ok=True)
            for split in ("train", "validation", "test"):
                os.replace(own / f"{split}.csv", folder / f"{split}.csv")
            own.rmdir()


def interrupted_run(a, tmp, config, c):
    """(id, status) of the run a stopped harness left in tmp's store, when its configuration is
    still c and the store holds that one run; else None."""
    try:
        if json.load(open(config)) != c:
            return None
        listed = subprocess.run([a.cli, "list", "--store", str(tmp / "runs.db"), "--json"],
                                capture_output=True, text=True, timeout=60)
        runs = json.loads(listed.stdout) if listed.returncode == 0 else []
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if len(runs) != 1:
        return None
    return runs[0].get("run_id"), runs[0].get("status")


def missing_parts(result_file):
    """What a filed run lacks: a completed method without its refit at λ* (or, for the bilevel
    method, its retraining). Programs before the runner's fix filed a run stopped during these
    as completed."""
    try:
        result = json.load(open(result_file))
    except (OSError, ValueError):
        return ["a readable result.json"]
    missing = []
    for method, r in result.get("methods", {}).items():
        if r.get("status") != "completed" or not r.get("lambda"):
            continue
        if not r.get("refit_metrics"):
            missing.append(f"{method}'s refit")
        if method == "bilevel" and not r.get("retrained_metrics"):
            missing.append(f"{method}'s retraining")
    return missing


def run_unit(a, unit):
    """Runs one (task, seed, method) unless another harness session on this work folder is
    running it (its claim, as for the measurements)."""
    name, s, m, _config, folder, _c = unit
    folder.parent.mkdir(parents=True, exist_ok=True)
    claim = folder.with_name(folder.name + ".claim")
    if not take_claim(claim):
        return name, s, m, "another harness session is running it; skipped here"
    try:
        return run_claimed_unit(a, unit)
    finally:
        claim.unlink(missing_ok=True)


def run_claimed_unit(a, unit):
    name, s, m, config, folder, c = unit
    if (folder / "result.json").exists():
        missing = missing_parts(folder / "result.json")
        if not missing:
            return name, s, m, "kept"
        # Set aside (not deleted) and run again.
        aside = folder.with_name(folder.name + ".incomplete")
        if aside.exists():
            shutil.rmtree(aside)
        folder.rename(aside)
        log(f"{name} seed {s} {m}: the filed run lacks {', '.join(missing)}; set aside as "
            f"{aside.name}, running it again")
    if folder.exists():
        shutil.rmtree(folder)
    tmp = folder.with_name(folder.name + ".running")
    # A run a stopped harness left behind continues from its store (its finished trainings are
    # replayed, and their seconds count in the method's); its earlier process's log and time
    # figures are kept as log.N.txt and time.N.txt, which the report adds up.
    found = interrupted_run(a, tmp, config, c) if (tmp / "runs.db").exists() else None
    if found and found[1] == "completed" and (tmp / "result.json").exists():
        # Finished, but the harness stopped before filing it: file it now.
        (tmp / "runs.db").unlink(missing_ok=True)
        tmp.rename(folder)
        return name, s, m, "finished before the harness stopped; filed"
    run_id = found[0] if found and found[1] != "completed" else None
    if run_id:
        part = 1 + len(list(tmp.glob("time.*.txt")))
        for f in ("log", "time"):
            if (tmp / f"{f}.txt").exists():
                (tmp / f"{f}.txt").rename(tmp / f"{f}.{part}.txt")
        cmd = [a.cli, "resume", run_id, "--out", str(tmp), "--store", str(tmp / "runs.db"), "--quiet"]
    else:
        config.parent.mkdir(parents=True, exist_ok=True)
        json.dump(c, open(config, "w"), indent=1)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        cmd = [a.cli, "run", "--config", str(config), "--out", str(tmp), "--store",
               str(tmp / "runs.db"), "--name", f"{name}-s{s}-{m}", "--quiet"]
    rc, secs = timed(cmd, tmp / "log.txt", tmp / "time.txt")
    json.dump({"rc": rc, "process_seconds": secs, "resumed": bool(run_id)}, open(tmp / "process.json", "w"))
    if rc == 0 and (tmp / "result.json").exists():
        (tmp / "runs.db").unlink(missing_ok=True)
        tmp.rename(folder)
        return name, s, m, f"{'resumed and ' if run_id else ''}done in {secs:.1f} s"
    if rc in STOPPED:  # stopped from outside (Ctrl-C, kill, a session's end): resumable as it is
        return name, s, m, f"stopped (exit {rc}); the next start resumes it"
    failed = folder.with_name(folder.name + ".failed")
    if failed.exists():
        shutil.rmtree(failed)
    tmp.rename(failed)
    return name, s, m, f"FAILED (exit {rc}; log {failed / 'log.txt'})"


def measurements(a):
    """Throughput, GP scaling, data loading, interface: each program once, skipped when its
    output exists. Returns nothing; the report reads WORK/measure/."""
    out = pathlib.Path(a.work) / "measure"
    out.mkdir(parents=True, exist_ok=True)
    b = pathlib.Path(a.bench_bin)
    quick = a.mode == "quick"
    progs = [
        ("throughput", [str(b / "bench/train/bench_trainer"), "1" if quick else "5", "1"]),
        ("gp", [str(b / "bench/gp/bench_gp")] + (["--quick", "--max-fit-n", "100"] if quick else [])),
        ("data_load", [str(b / "bench/data/bench_data_load"), "", "1" if quick else "5"]),
    ]
    ui = ui_bench(a)
    if ui:
        progs.append(("ui", ui))
    # The MPI executor's speed-up on this machine's cores (bench/mpi/speedup.py); it runs before
    # the tasks, so the cores are its own.
    speedup = [sys.executable, str(pathlib.Path(a.repo) / "bench/mpi/speedup.py"), "--cli", a.cli,
               "--work", str(out / "mpi-work")] + (["--quick"] if quick else [])
    if shutil.which("mpirun") is None:
        (out / "mpi.missing").write_text("mpirun is missing (Debian: apt-get install openmpi-bin)\n")
    else:
        (out / "mpi.missing").unlink(missing_ok=True)
        progs.append(("mpi", speedup))
    for name, cmd in progs:
        done = out / f"{name}.txt"
        if done.exists():
            log(f"measurement {name}: kept")
            continue
        # Two sessions on one work folder: the first to claim a measurement makes it.
        claim = out / f"{name}.claim"
        if not take_claim(claim):
            log(f"measurement {name}: another harness session is making it; skipped here")
            continue
        try:
            measure(name, cmd, out, done)
        finally:
            claim.unlink(missing_ok=True)


def measure(name, cmd, out, done):
    """Makes one measurement (a program and its output file), unless another session just did."""
    if done.exists():
        log(f"measurement {name}: kept")
        return
    if not os.access(cmd[0], os.X_OK):
        (out / f"{name}.missing").write_text(f"{cmd[0]} is not built\n")
        log(f"measurement {name}: {cmd[0]} is not built; skipped")
        return
    env = None
    if name == "ui" and not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # no display: Qt's offscreen platform
    rc, secs = timed(cmd, out / f"{name}.running", out / f"{name}.time.txt", env=env)
    if rc == 0:
        (out / f"{name}.running").rename(done)
        (out / f"{name}.failed").unlink(missing_ok=True)  # an earlier session's failure is stale now
        log(f"measurement {name}: {secs:.1f} s")
    else:
        (out / f"{name}.running").rename(out / f"{name}.failed")
        log(f"measurement {name}: FAILED (exit {rc})")


def ui_bench(a):
    """The interface benchmark program of bench/ui/, when there is one and it is built."""
    src = pathlib.Path(a.repo) / "bench" / "ui"
    if not src.is_dir():
        return None
    for p in sorted((pathlib.Path(a.bench_bin) / "bench" / "ui").glob("bench_*")):
        if p.is_file() and os.access(p, os.X_OK):
            return [str(p)] + (["--seconds", "3"] if a.mode == "quick" else [])
    return None


def start_full(a, config, out, patience=8.0):
    """Starts the unchanged full configuration and interrupts it once it is under way (its first
    event, or still running after `patience` seconds): the CLI checks the configuration and loads
    the data before it trains, so a bad configuration fails before that. Returns (ok, words)."""
    import select
    import signal
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.Popen([a.cli, "run", "--config", str(config), "--out", str(out), "--store",
                          str(out.parent / "runs-full.db"), "--json-events"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + patience
    started = False
    while time.monotonic() < deadline and p.poll() is None:
        ready, _, _ = select.select([p.stdout], [], [], 0.2)
        if ready and p.stdout.readline():
            started = True
            break
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        return True, "accepted, data loaded, " + ("first event seen" if started else
                                                   f"still training after {patience:.0f} s") + "; interrupted"
    if p.returncode == 0:
        return True, "accepted and finished"
    return False, f"FAILED (exit {p.returncode}): {p.stderr.read().strip()[-500:]}"


def dry_run(a, plan):
    """Writes every run's full configuration and checks it with the CLI. The CLI has no
    check-only mode, so each task's configuration is run once per method with its data and
    budgets cut to the bone (1 epoch, tiny splits, minimal budgets): that proves the
    configuration is accepted and its data load, not the figures. Then the unchanged full
    configuration is started and interrupted once under way (start_full)."""
    import copy
    failures = 0
    for name, s, m, config, folder, c in plan.units:
        if s != 0:
            continue
        d = copy.deepcopy(c)
        ds = d["dataset"]
        if ds["kind"] != "csv":
            tr, va = ds["train"], ds["validation"]
            ds["train"] = [tr[0], tr[0] + 64]
            ds["validation"] = [va[0], va[0] + 32]
            ds["test"] = [0, 32] if ds["test"] == -1 else [ds["test"][0], ds["test"][0] + 32]
        d["training"]["epochs"] = 1
        d["bilevel"] = {"initial_samples": 2, "outer_iterations": 1, "inner_steps": 2}
        d["grid"] = {"points_per_dim": 2}
        d["random"] = {"trials": 1}
        d["bayesian"] = {"trials": 2, "initial": 2}
        d["hyperband"] = {"max_epochs": 1, "eta": 3}
        f = pathlib.Path(a.work) / "dry-run" / name / f"{m}.json"
        f.parent.mkdir(parents=True, exist_ok=True)
        json.dump(d, open(f, "w"), indent=1)
        json.dump(c, open(f.with_suffix(".full.json"), "w"), indent=1)
        o = f.parent / m
        shutil.rmtree(o, ignore_errors=True)
        r = subprocess.run([a.cli, "run", "--config", str(f), "--out", str(o), "--store",
                            str(f.parent / "runs.db"), "--quiet"], capture_output=True, text=True)
        ok = r.returncode == 0 and (o / "result.json").exists()
        failures += not ok
        log(f"dry run {name} {m}: {'ok' if ok else 'FAILED: ' + (r.stderr or r.stdout).strip()}")
        ok, why = start_full(a, f.with_suffix(".full.json"), f.parent / (m + "-full"))
        failures += not ok
        log(f"dry run {name} {m}, full configuration: {why}")
    for name, why in plan.skipped.items():
        if not plan.wanted or name in plan.wanted:
            log(f"dry run {name}: skipped, {why}")
    return failures


def main(argv):
    a = parse_args(argv)
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    plan = Plan(a)
    if a.dry_run:
        prepare_ridge(a, plan)
        sys.exit(1 if dry_run(a, plan) else 0)
    import report
    started = time.time()
    session = {"started": started, "command": a.command, "mode": a.mode, "jobs": a.jobs}
    commit = pathlib.Path(a.bench_bin) / "commit.txt"
    if commit.exists():
        session["commit"] = commit.read_text().strip()
    sessions_file = work / "sessions.json"
    sessions = json.load(open(sessions_file)) if sessions_file.exists() else []
    if not a.report_only:  # a rewrite of the report is no harness session: it measures nothing
        sessions.append(session)

    def save_session():
        session["ended"] = time.time()
        session["load_end"] = os.getloadavg()
        # Another harness session may have written the file since: keep its records, replace
        # this session's own (by its start), and write whole or not at all.
        on_disk = json.load(open(sessions_file)) if sessions_file.exists() else []
        merged = [x for x in on_disk if x.get("started") != started]
        if not a.report_only:
            merged.append(session)
        merged.sort(key=lambda x: x.get("started", 0))
        sessions[:] = merged
        partial = sessions_file.with_suffix(".json.partial")
        json.dump(merged, open(partial, "w"), indent=1)
        os.replace(partial, sessions_file)

    session["load_start"] = os.getloadavg()
    if not a.report_only:
        env_out = subprocess.run([a.cli, "env"], capture_output=True, text=True)
        (work / "env.txt").write_text(env_out.stdout + env_out.stderr)
        prepare_ridge(a, plan)
        log(f"{a.mode} mode: {len(plan.units)} runs, {len(plan.skipped)} tasks skipped; work folder {work}")
        measurements(a)
        save_session()
        report.write(a, plan)
        by_task = {}
        for u in plan.units:
            by_task.setdefault(u[0], []).append(u)
        for name, units in by_task.items():
            ran = False
            with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
                for t, s, m, status in pool.map(lambda u: run_unit(a, u), units):
                    log(f"{t} seed {s} {m}: {status}")
                    if status != "kept":
                        ran = True
                        if a.mode == "full":
                            save_session()
                            report.write(a, plan)  # partial results readable at once
            if ran:  # a task whose runs were all kept changes nothing in the report
                save_session()
                report.write(a, plan)
                log(f"report rewritten after {name}")
    save_session()
    report.write(a, plan)
    log(f"done in {time.time() - started:.0f} s; report {pathlib.Path(a.out) / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main(sys.argv[1:])
