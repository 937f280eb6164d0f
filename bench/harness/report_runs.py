"""Reads the harness's runs for the report: one record per method and seed from result.json and
the process's `/usr/bin/time -v` file, and the small summaries every section uses (values over
seeds, mean, median, spread). Part of report.py."""
import json
import statistics


def time_fields(time_file):
    """The `/usr/bin/time -v` figures of one program: {label: text}; empty when unreadable."""
    out = {}
    try:
        for line in open(time_file):
            label, sep, value = line.strip().rpartition(": ")
            if sep:
                out[label] = value
    except OSError:
        pass
    return out


def peak_mib(time_file):
    v = time_fields(time_file).get("Maximum resident set size (kbytes)")
    return int(v) / 1024.0 if v else None


def cpu_and_elapsed(time_file):
    """(user + system CPU seconds, elapsed seconds) of one program from `/usr/bin/time -v`."""
    f = time_fields(time_file)
    try:
        cpu = float(f["User time (seconds)"]) + float(f["System time (seconds)"])
        elapsed = 0.0
        for part in f["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
            elapsed = elapsed * 60 + float(part)
    except (KeyError, ValueError):
        return None
    return cpu, elapsed


def run_time_files(folder):
    """A run's `/usr/bin/time -v` files: time.txt, and time.N.txt of the processes before a resume."""
    return [f for f in [folder / "time.txt"] + sorted(folder.glob("time.*.txt")) if f.exists()]


def run_peak_mib(folder):
    peaks = [x for x in (peak_mib(f) for f in run_time_files(folder)) if x is not None]
    return max(peaks) if peaks else None


def run_cpu_share(folder):
    """The part of one core the run's processes got: their CPU seconds ÷ their elapsed seconds.
    The runs use one thread, so under 1 means other work held the core (or the vCPU's host did)."""
    parts = [x for x in (cpu_and_elapsed(f) for f in run_time_files(folder)) if x is not None]
    elapsed = sum(e for _, e in parts)
    return sum(c for c, _ in parts) / elapsed if parts and elapsed > 0 else None


def metric(m, key):
    v = (m or {}).get(key)
    return float(v) if isinstance(v, (int, float)) else None


def session_of(work, when):
    """The number (from 1) of the harness session that wrote a file at `when`, or None (a file
    filed or restored outside any session)."""
    try:
        sessions = json.load(open(work / "sessions.json"))
    except (OSError, ValueError):
        return None
    for i, sn in enumerate(sessions):
        if sn.get("started", 0) <= when <= sn.get("ended", float("inf")) + 60:
            return i + 1
    return None


def host_of(result):
    """The host a run ran on as its result.json records it: environment.host (the processor's
    name, identity and OpenBLAS kernel set, written by train::hostKey), or the processor's name
    alone in records from before it; None when neither is there."""
    env = result.get("environment") or {}
    return env.get("host") or env.get("cpu")


def raw_violations(res):
    """f(w_k, λ_k) − the φ sample at λ_k per outer iteration, before bilevel.iterate_bounds_phi
    keeps the smaller of the two (the trace's h_sampled is then f − min(sample, f) ≥ 0); None where
    the sample failed."""
    outer = [x for x in res.get("samples") or [] if x.get("phase") == "outer-iteration"]
    out = []
    for t, x in zip(res.get("trace") or [], outer):
        phi = (x.get("metrics") or {}).get("objective")
        ok = x.get("status") == "ok" and isinstance(phi, (int, float)) and isinstance(t.get("f"), (int, float))
        out.append(t["f"] - phi if ok else None)
    return out


def add_bilevel_fields(run, result, res):
    """The bilevel run's variant, the figures of its augmented-Lagrangian weights and where its λ*
    came from. Under `bilevel.variant: paper` the method's own metrics are those weights; under
    `select` (ALGORITHM.md §3.5) they are λ*'s training from the initialisation, and the weights
    reported here are the iterate the paper's rule would return: the result's
    `al_weights_iteration`, or for results written before it, that rule applied to the trace
    (smallest |f(w_k, λ_k) − φ sample|, the first on a tie)."""
    bilevel_config = (result.get("config") or {}).get("bilevel") or {}
    variant = bilevel_config.get("variant", "paper")
    run["variant"] = variant
    # Runs made before the Latin hypercube was the default used Sobol points.
    run["design"] = bilevel_config.get("design", "sobol")
    al = res.get("metrics") if variant == "paper" else None
    k = res.get("al_weights_iteration")
    if variant != "paper" and isinstance(k, int) and 1 <= k <= len(run["trace"]):
        al = (run["trace"][k - 1] or {}).get("metrics")
    elif variant != "paper":
        scored = [(abs(h), i) for i, h in enumerate(run["raw_h"]) if h is not None]
        if scored:
            al = (run["trace"][min(scored)[1]] or {}).get("metrics")
    run["al_acc"] = metric(al, "test_accuracy")
    run["al_loss"] = metric(al, "test_loss")
    run["al_val"] = metric(al, "val_loss")
    samples = res.get("samples") or []
    def chosen_from(phase):
        return bool(run["lambda"]) and any(
            x.get("lambda") and len(x["lambda"]) == len(run["lambda"])
            and max(abs(a - b) for a, b in zip(x["lambda"], run["lambda"])) < 1e-9
            for x in samples if x.get("phase") == phase)
    run["from_design"] = chosen_from("initial-design")
    run["from_refinement"] = chosen_from("refinement")
    last = run["trace"][-1]["lambda"] if run["trace"] else None
    costs = [x.get("cost") for x in samples if x.get("phase") == "initial-design" and x.get("cost")]
    run["design_cost"] = costs[-1] if costs else None
    run["last_iterate_shift"] = ([a - b for a, b in zip(last, run["lambda"])]
                                 if last and run["lambda"] and len(last) == len(run["lambda"]) else None)


def load_task(work, name, meta):
    """{method: [run, ...]} over the seeds, and [failed (seed, method, log tail)]."""
    runs, failed = {}, []
    ridge = None
    for s in meta["seeds"]:
        for m in meta["config"]["methods"]:
            folder = work / name / f"seed{s}" / m
            f = folder / "result.json"
            if not f.exists():
                bad = folder.with_name(m + ".failed")
                if bad.exists():
                    tail = (bad / "log.txt").read_text(errors="replace").strip().splitlines()[-3:]
                    failed.append((s, m, " / ".join(tail)))
                continue
            r = json.load(open(f))
            res = r["methods"][m]
            run = {
                "seed": s,
                "lambda": res.get("lambda") or [],
                "test_acc": metric(res.get("metrics"), "test_accuracy"),
                "test_loss": metric(res.get("metrics"), "test_loss"),
                "val_loss": metric(res.get("metrics"), "val_loss"),
                "retrained_acc": metric(res.get("retrained_metrics"), "test_accuracy"),
                "retrained_loss": metric(res.get("retrained_metrics"), "test_loss"),
                "retrained_val": metric(res.get("retrained_metrics"), "val_loss"),
                "refit_acc": metric(res.get("refit_metrics"), "test_accuracy"),
                "refit_loss": metric(res.get("refit_metrics"), "test_loss"),
                "trainings": res["cost"]["lower_level_trainings"],
                "epochs": res["cost"]["epochs"],
                "seconds": res["cost"]["wall_seconds"],
                "peak": run_peak_mib(folder),
                "cpu_share": run_cpu_share(folder),
                "anytime": res.get("anytime") or [],
                "trace": res.get("trace") or [],
                "phi_design": [x["metrics"]["objective"] for x in res.get("samples") or []
                               if x.get("phase") == "initial-design" and x.get("status") == "ok"
                               and isinstance((x.get("metrics") or {}).get("objective"), (int, float))],
                "status": res.get("status"),
                "raw_h": raw_violations(res),
                "bound": ((r.get("config") or {}).get("bilevel") or {}).get("iterate_bounds_phi", False),
            }
            if m == "bilevel":
                add_bilevel_fields(run, r, res)
            # The figures every method is compared by: the model trained at λ* from the fixed
            # initialisation on the training split alone (the bilevel method's retraining).
            run["fair_acc"] = run["retrained_acc"] if m == "bilevel" else run["test_acc"]
            run["fair_loss"] = run["retrained_loss"] if m == "bilevel" else run["test_loss"]
            if "ridge" in meta:
                if ridge is None:
                    import ridge as ridge_mod
                    ridge = ridge_mod
                data = ridge.read_csv(meta["ridge"][str(s)] if str(s) in meta["ridge"] else meta["ridge"][s])
                lo = meta["config"]["hyperparameters"]["lower"]
                hi = meta["config"]["hyperparameters"]["upper"]
                fopt, lopt = ridge.optimum(data, lo, hi)
                run["ridge_ratio"] = ridge.validation_loss(data, run["lambda"][0]) / fopt
                run["ridge_lopt"] = lopt
            if run["cpu_share"] is not None and run["seconds"] is not None:
                # The method's seconds had it held the core throughout (assumes an even share).
                run["cpu"] = run["seconds"] * min(1.0, run["cpu_share"])
            run["session"] = session_of(work, f.stat().st_mtime)
            run["host"] = host_of(r)
            runs.setdefault(m, []).append(run)
    return runs, failed


def vals(runs, key, scale=1.0):
    return [r[key] * scale for r in runs if r.get(key) is not None]


def spread(xs, digits):
    """mean ± sd [min, max] over seeds; the value alone for one seed; – for none."""
    if not xs:
        return "–"
    if len(xs) == 1:
        return f"{xs[0]:.{digits}f}"
    return (f"{statistics.mean(xs):.{digits}f} ± {statistics.stdev(xs):.{digits}f} "
            f"[{min(xs):.{digits}f}, {max(xs):.{digits}f}]")


def med(xs):
    return statistics.median(xs) if xs else None


def mean(xs):
    return statistics.mean(xs) if xs else None


def fmt_lambda(lam):
    return "[" + ", ".join(f"{x:.2f}" for x in lam) + "]"


def paper_rule(rs):
    """Whether the bilevel runs returned the paper's iterate (their own metrics are then the
    augmented-Lagrangian weights'); runs made before bilevel.variant existed did."""
    return any(r.get("variant", "paper") == "paper" for r in rs)


def sessions_apart(b, rs):
    """Whether two methods' runs were not all made in one harness session: their time ratios then
    compare conditions (load, runs at a time, the hour), not methods."""
    sessions = {r.get("session") for r in b} | {r.get("session") for r in rs}
    return len(sessions) > 1 or None in sessions


def seconds_per_epoch(cost):
    """Seconds ÷ epochs of a run ({"seconds", "epochs"}) or of a cost record ({"wall_seconds",
    "epochs"}); None where either is missing or zero."""
    seconds = cost.get("seconds", cost.get("wall_seconds")) if cost else None
    epochs = cost.get("epochs") if cost else None
    return seconds / epochs if seconds and epochs else None
