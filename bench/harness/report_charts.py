"""The report's charts: anytime curves and the constraint violation per outer iteration. Part of
report.py."""

from report_runs import paper_rule, vals


COLORS = {"bilevel": "tab:red", "grid": "tab:gray", "random": "tab:blue", "bayesian": "tab:green",
          "hyperband": "tab:orange"}
# Line styles and drawing order of the anytime curves: curves that coincide (with a Sobol design the
# bilevel method and Bayesian optimisation begin with the same points) stay distinguishable, and
# the bilevel method's is drawn on top.
LINESTYLES = {"bilevel": "-", "grid": ":", "random": "--", "bayesian": "-.", "hyperband": (0, (1, 1))}
ZORDER = {"bilevel": 3}


def saved(plt, fig, path, alt, rel):
    """Lays the figure out, writes it to `path` and closes it; returns its markdown image line."""
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return f"![{alt}]({rel}/{path.name})"


def charts(name, runs, charts_dir, rel):
    """Anytime curves and |h| per outer iteration; returns markdown image lines."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return ["(charts not drawn: python3-matplotlib is missing)"]
    charts_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    classify = any(vals(rs, "test_acc") for rs in runs.values())
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), dpi=80)
    for m, rs in runs.items():
        for i, r in enumerate(rs):
            pts = r["anytime"]
            if not pts:
                continue
            x = [p["epochs"] for p in pts]
            y0 = [(p.get("test_accuracy_of_best") or 0) * 100 if classify else p.get("test_loss_of_best")
                  for p in pts]
            y1 = [p.get("best_val_loss") for p in pts]
            kw = dict(color=COLORS.get(m), where="post", lw=1.6 if i == 0 else 0.8,
                      linestyle=LINESTYLES.get(m, "-"), zorder=ZORDER.get(m, 2),
                      alpha=1.0 if i == 0 else 0.5, label=m if i == 0 else None)
            axes[0].step(x, y0, **kw)
            axes[1].step(x, y1, **kw)
    axes[0].set_ylabel("test accuracy of best so far (%)" if classify else "test loss of best so far")
    axes[1].set_ylabel("best validation loss so far")
    for ax in axes:
        ax.set_xlabel("cumulative epochs")
        ax.set_xscale("log")
        ax.grid(alpha=0.3)
    if not classify:
        axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{name}: anytime curves (thick: seed 0; thin: other seeds)", fontsize=10)
    lines.append(saved(plt, fig, charts_dir / f"{name}-anytime.png", f"{name} anytime curves", rel))
    lines.append("")
    # With d >= 2 and Sobol points the bilevel design's first points are Bayesian optimisation's.
    same_start = any(r.get("design") == "sobol" and len(r.get("lambda") or []) >= 2
                     for r in runs.get("bilevel", []))
    lines.append("Anytime curves: each method's best-so-far point against the epochs it has trained (log "
                 "scale; the bilevel method drawn solid and on top" +
                 (": it and Bayesian optimisation begin with the same Sobol points, so their curves "
                  "coincide at first). " if same_start else "). ") + ("The bilevel method's points after its initial design are its augmented-Lagrangian "
                               "iterates, whose weights saw the validation data, so its validation curve is not "
                               "a held-out figure." if paper_rule(runs.get("bilevel", [])) else
                               "The bilevel method's points are its trainings from the initialisation (the "
                               "initial design, any confirmation and the refinement trainings), as its λ* is chosen; its warm-started φ "
                               "samples and augmented-Lagrangian weights are not plotted (ALGORITHM.md §3.5)."))
    lines.append("")

    bil = [r for r in runs.get("bilevel", []) if r["trace"]]
    if bil:
        fig, ax = plt.subplots(figsize=(5, 3.4), dpi=80)
        for i, r in enumerate(bil):
            it = [t["iteration"] for t in r["trace"]]
            raw = [abs(h) if h is not None else float("nan") for h in r["raw_h"]]
            ax.plot(it[:len(raw)], [max(h, 1e-12) for h in raw], "o-", lw=1.2,
                    label=f"seed {r['seed']}: |f − φ sample|")
            ax.plot(it, [max(abs(t["h_surrogate"]), 1e-12) for t in r["trace"]], "x--", lw=0.8,
                    label=f"seed {r['seed']}: |f − φ̂|")
        ax.set_yscale("log")
        ax.set_xlabel("outer iteration")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylabel("|h| (objective units)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
        ax.set_title(f"{name}: constraint violation", fontsize=10)
        lines.append(saved(plt, fig, charts_dir / f"{name}-violation.png", f"{name} |h| per outer iteration",
                           rel))
    return lines
