"""Writes BENCHMARKS.md and its charts from the harness's work folder. Every figure in the report
is read from the runs and measurements in that folder; the only numbers not measured here are
the authors' published reference points (issue 8), labelled as theirs."""
import datetime
import json
import os
import pathlib
import platform
import subprocess

from report_charts import charts
from report_findings import discussion, honesty
from report_runs import load_task, peak_mib
from report_tables import describe, paired_table, paper_section, ratio_table, ridge_per_seed, task_table


# Qt platform warnings the interface benchmark prints on the offscreen platform; not measurements.
QT_NOISE = ("QStandardPaths: XDG_RUNTIME_DIR not set", "This plugin does not support propagateSizeHints()")


def measurement_section(work):
    m = work / "measure"
    out = []
    titles = [("throughput", "Training throughput (bench_trainer, 1 thread, batch 128)"),
              ("gp", "Surrogate: GP fit and prediction scaling (bench_gp)"),
              ("data_load", "Data loading: Fashion-MNIST into tensors (bench_data_load)"),
              ("mpi", "Scale-out: bilevel's initial design on MPI ranks (bench/mpi/speedup.py)")]
    for key, title in titles:
        out += [f"### {title}", ""]
        if (m / f"{key}.txt").exists():
            pk = peak_mib(m / f"{key}.time.txt")
            out += ["```", (m / f"{key}.txt").read_text().rstrip(), "```", ""]
            if pk:
                out += [f"Peak resident memory of the program: {pk:.0f} MiB.", ""]
        elif (m / f"{key}.missing").exists():
            out += [f"Not measured: {(m / f'{key}.missing').read_text().strip()}.", ""]
        elif (m / f"{key}.failed").exists():
            out += ["The program failed; its output:", "```", (m / f"{key}.failed").read_text().rstrip()[-2000:], "```", ""]
        else:
            out += ["Not measured yet.", ""]
    out += ["### Interface: event-loop latency and redraw", ""]
    if (m / "ui.txt").exists():
        text = [x for x in (m / "ui.txt").read_text().rstrip().splitlines() if not x.startswith(QT_NOISE)]
        out += ["```"] + text + ["```", ""]
        pk = peak_mib(m / "ui.time.txt")
        if pk:
            out += [f"Peak resident memory of the program: {pk:.0f} MiB.", ""]
    else:
        out += ["Not measured yet: no built interface benchmark program under bench/ui/ was found when "
                "this report was written.", ""]
    return out


def machine(work):
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
        except OSError:
            return ""
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    try:
        import numpy
        np_version = numpy.__version__
    except ImportError:
        np_version = "–"
    try:
        import matplotlib
        mpl_version = matplotlib.__version__
    except ImportError:
        mpl_version = "–"
    return [f"| CPU | {cpu} |", f"| logical cores | {os.cpu_count()} |", f"| memory | {mem} |",
            f"| OS | {platform.system()} {platform.release()} {platform.machine()}; "
            f"{sh('. /etc/os-release && echo $PRETTY_NAME')} |",
            f"| python / numpy / matplotlib (report only) | {platform.python_version()} / "
            f"{np_version} / {mpl_version} |"]


def hosts_section(loaded):
    """Which hosts the runs ran on (result.json's environment.host). The same program and seed
    give other numbers on another processor, so a table whose runs span hosts says so."""
    tasks_of = {}
    for name, (runs, _) in loaded.items():
        for rs in runs.values():
            for r in rs:
                tasks_of.setdefault(r.get("host") or "not recorded", set()).add(name)
    if not tasks_of:
        return []
    if len(tasks_of) == 1:
        return [f"Every run ran on one host: `{next(iter(tasks_of))}` (result.json's `environment.host`: "
                "the processor's name, identity and OpenBLAS kernel set; the name alone where the run's "
                "program predates the record).", ""]
    L = [f"**The runs span {len(tasks_of)} hosts** (result.json's `environment.host`, or the processor's name "
         "where a run's program predates it). The same program and "
         "seed give other numbers on another processor (its vector kernels change the floating-point sums), "
         "so a difference between methods run on different hosts is partly the hosts':", ""]
    for host, names in sorted(tasks_of.items()):
        L.append(f"- `{host}`: {', '.join(sorted(names))}")
    return L + [""]


def write(a, plan):
    work, out_dir = pathlib.Path(a.work), pathlib.Path(a.out)
    charts_dir = pathlib.Path(a.charts)
    rel = os.path.relpath(charts_dir, out_dir)
    sessions = json.load(open(work / "sessions.json")) if (work / "sessions.json").exists() else []
    quick = a.mode == "quick"
    L = []
    L += ["# Benchmarks" + (" — QUICK MODE (sanity check only)" if quick else ""), ""]
    if quick:
        L += ["> **This is a `--quick` run.** Every task is shrunk to a few hundred samples, one or two "
              "epochs, one seed and tiny search budgets so that the whole harness runs in minutes. Its "
              "accuracy, loss and ratio figures **mean nothing** about the methods; they only show that "
              "every task, method, measurement and chart of the harness works end to end. Run "
              "`bench/harness/run.sh --full` for the real figures.", ""]
    L += [f"Written by `bench/harness/run.sh` ({'quick' if quick else 'full'} mode) on "
          f"{datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}. Every figure below comes "
          f"from the runs in the harness's work folder (`{os.path.relpath(work, a.repo)}`) except the authors' "
          f"reference points, which are labelled as theirs.", ""]
    L += ["## Machine and versions", "", "The machine that wrote this report (the hosts the runs ran on are listed "
          "under \"Tasks\"):", "", "| what | value |", "|---|---|"] + machine(work)
    for i, s in enumerate(sessions):
        if "ended" in s:
            L.append(f"| harness session {i + 1} | `{s.get('command') or a.mode}`: "
                     f"{datetime.datetime.fromtimestamp(s['started']).strftime('%Y-%m-%d %H:%M')}, "
                     f"{s['ended'] - s['started']:.0f} s, load average {s['load_start'][0]:.1f} at the start, "
                     f"{s['load_end'][0]:.1f} at the end; {s.get('jobs', 1)} run{'' if s.get('jobs', 1) == 1 else 's'} at a time"
                     + (f"; programs of commit {s['commit']}" if s.get("commit") else "") + " |")
    L += [""]
    if (work / "env.txt").exists():
        L += ["`bilevel-tuner-cli env` at the start of the last harness session:", "", "```",
              (work / "env.txt").read_text().rstrip(), "```", ""]
    busy = [s for s in sessions if "load_start" in s and max(s["load_start"][0], s.get("load_end", [0])[0])
            > (os.cpu_count() or 1)]
    if busy:
        L += [f"**The machine was shared and overloaded** (load average above its {os.cpu_count()} logical "
              f"cores during a harness session): wall times and throughput figures are noisy, and ratios "
              f"between methods run at different moments carry that noise. Each run used one thread.", ""]
    L += ["Each run is one `bilevel-tuner-cli run` process with one method and one thread, under "
          "`/usr/bin/time -v` (peak memory, CPU time). \"seconds\" is the method's own wall time (without "
          "loading data and the final retraining and refit); \"CPU share\" is the process's user + system "
          "time ÷ its elapsed time, the part of one core it got. A share well under 100 % means other work "
          "held the core and inflated that run's seconds; \"seconds × share\" estimates its seconds on a "
          "core of its own (assuming an even share over the run), and the ratio tables give both. A vCPU "
          "shared with other guests can still slow a run at a 100 % share. Seeds set `dataset.seed` (which rows each split draws) and "
          "`training.seed` (initialisation, batch order). Spreads read mean ± sample sd [min, max] over seeds. "
          "Every method's λ is compared by the model trained at it from the fixed initialisation on the training "
          "split alone and by its refit on training ∪ validation (the paired table under each task). Under "
          "`bilevel.variant: select` (the default) the bilevel method's row is λ*'s training and the row below it "
          "its augmented-Lagrangian weights, whose upper level used the validation data (so they are not "
          "comparable); under `paper` the bilevel row is those weights and the row below retrains at λ*.", ""]

    L += ["## Tasks", "", "| task | status |", "|---|---|"]
    loaded = {}
    for name, meta in plan.meta.items():
        if name in plan.skipped:
            L.append(f"| {name} | skipped: {plan.skipped[name]} |")
            continue
        runs, failed = load_task(work, name, meta)
        loaded[name] = (runs, failed)
        # A method full mode leaves out by default (tasks.FULL_LEFT_OUT) counts only where it ran.
        left_out = {m: why for m, why in (meta.get("left_out") or {}).items() if not runs.get(m)}
        want = len(meta["seeds"]) * (len(meta["config"]["methods"]) - len(left_out))
        have = sum(len(v) for v in runs.values())
        L.append(f"| {name} | {have} of {want} runs done" + (f", {len(failed)} failed" if failed else "")
                 + "".join(f"; {m} left out: {why}" for m, why in left_out.items()) + " |")
    L += [""] + hosts_section(loaded)

    honest = []
    for name, (runs, failed) in loaded.items():
        meta = plan.meta[name]
        c = meta.get("run_configs", {}).get("bilevel") or next(iter(meta.get("run_configs", {}).values()), meta["config"])
        L += [f"## {name}", "", f"Configuration (`resources/configs/{meta['file']}`"
              + (", shrunk for quick mode" if quick else "") + f"): {describe(c, a.mode)}. "
              f"Seeds: {', '.join(str(s) for s in meta['seeds'])}.", ""]
        if not runs:
            L += ["No run finished yet.", ""]
        else:
            ridge = "ridge" in meta
            L += task_table(runs, ridge) + [""]
            if ridge:
                L += ["F(λ*) is the validation MSE of the exact ridge solution at the method's λ*, F_opt the "
                      "smallest over a 0.005 grid of the box (closed form of tests/engine/run/ridge_fixture.h, "
                      "ported to bench/harness/ridge.py).", ""]
                L += ridge_per_seed(runs) + [""]
            L += paired_table(runs) + [""]
            L += ratio_table(runs) + [""]
            L += paper_section(name, runs)
            L += charts(name, runs, charts_dir, rel) + [""]
            honest += honesty(name, runs)
        for s, m, tail in failed:
            L.append(f"- FAILED: seed {s}, {m}: {tail}")
        if failed:
            L.append("")

    L += ["## Measurements", ""] + measurement_section(work)
    L += ["### Peak memory", "", "Peak resident memory of every task run is in the task tables (maximum over "
          "seeds); the measurement programs' peaks are printed under their outputs.", ""]
    # Measurements the harness does not make (more seeds, other settings, interleaved timing), kept
    # by hand in docs/measurements/beyond-the-harness.md; each section names the code it ran.
    since = pathlib.Path(__file__).resolve().parents[2] / "docs" / "measurements" / "beyond-the-harness.md"
    if since.exists():
        L += since.read_text().rstrip().split("\n") + [""]
    L += ["## Where the bilevel method loses", ""]
    if quick:
        L += ["(Quick mode: the comparisons below are computed exactly as in full mode, but on toy budgets; "
              "they test the report, not the method.)", ""]
    L += honest or ["No task has both bilevel and baseline results yet.", ""]
    L += ["## Discussion: what the traces suggest", ""] + discussion(loaded)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "BENCHMARKS.md.tmp"
    tmp.write_text("\n".join(L).rstrip() + "\n")
    tmp.replace(out_dir / "BENCHMARKS.md")
