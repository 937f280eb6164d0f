"""The report's prose computed from the runs: where the bilevel method loses on each task, and
what its traces suggest. Part of report.py."""
import math
import statistics

from report_runs import fmt_lambda, mean, med, sessions_apart, vals


def trace_lines(r):
    out = []
    for t in r["trace"]:
        out.append(f"  - iteration {t['iteration']}: λ = {fmt_lambda(t['lambda'])}, |h| sampled = "
                   f"{abs(t['h_sampled']):.4g} (surrogate {abs(t['h_surrogate']):.4g}), "
                   f"φ̂ = {t['phi_hat']:.4g} vs φ sampled = {t['phi_sampled']:.4g}, F = {t['F']:.4g}, "
                   f"μ = {t['mu']:.3g}, r = {t['r']:.3g}, epochs so far {t['cost']['epochs']:.0f}")
    return out


def honesty(name, runs):
    """Where bilevel loses to a baseline: by how much, with the traces. Generated from the runs."""
    if "bilevel" not in runs or len(runs) < 2:
        return []
    b = runs["bilevel"]
    classify = bool(vals(b, "test_acc"))
    losses = []
    for m, rs in runs.items():
        if m == "bilevel":
            continue
        # λ* against the baseline's λ, each trained the same way: from the fixed initialisation on
        # the training split, and refit on training ∪ validation.
        for key_acc, key_loss, how in (("fair_acc", "fair_loss", "trained on the training split alone"),
                                       ("refit_acc", "refit_loss", "refit on training ∪ validation")):
            if classify:
                x, y = mean(vals(b, key_acc, 100)), mean(vals(rs, key_acc, 100))
                if x is not None and y is not None and x < y:
                    losses.append(f"λ* {how}: test accuracy {y - x:.2f} pp lower than {m}'s λ ({x:.2f} % vs "
                                  f"{y:.2f} %, means over {len(b)} / {len(rs)} seeds)")
            x, y = mean(vals(b, key_loss)), mean(vals(rs, key_loss))
            if x is not None and y is not None and x > y:
                losses.append(f"λ* {how}: test loss {x / y:.3f}× that of {m}'s λ ({x:.4f} vs {y:.4f})")
        x, y = mean(vals(b, "ridge_ratio")), mean(vals(rs, "ridge_ratio"))
        if x is not None and y is not None and x > y:
            losses.append(f"F(λ*)/F_opt {x:.4f} against {m}'s {y:.4f}")
        for k, unit in (("epochs", "epochs"), ("seconds", "wall seconds"), ("cpu", "seconds × CPU share")):
            x, y = med(vals(b, k)), med(vals(rs, k))
            if x is not None and y and x > y:
                apart = k != "epochs" and sessions_apart(b, rs)
                losses.append(f"{x / y:.2f}× the {unit} of {m} ({x:.1f} vs {y:.1f}, medians)"
                              + (" †: runs of different harness sessions, see the task's ratio table"
                                 if apart else ""))
    out = [f"**{name}** ({len(losses)} finding{'s' if len(losses) != 1 else ''})", ""]
    if not losses:
        out.append("The bilevel method lost to no baseline on this task in test accuracy, test loss, epochs "
                   "or time (see the table above for the margins).")
    else:
        out.append("The bilevel method loses here (by any margin; the paired table under the task's table says "
                   "which differences lie within the seeds' spread):")
        out += [f"- {x}" for x in losses]
    r0 = next((r for r in b if r["trace"]), None)
    if r0:
        out.append("")
        out.append(f"Its trace (seed {r0['seed']}; λ path, violation |h| and the GP's φ̂ against the sampled "
                   f"φ at each iterate):")
        out += trace_lines(r0)
    out.append("")
    return out


def origin_line(loaded):
    """Where the bilevel method's λ* came from and where its iterates went, from the runs."""
    runs = [r for rs, _ in loaded.values() for r in rs.get("bilevel") or []]
    select = [r for r in runs if r.get("variant", "paper") != "paper"]
    design = sum(1 for r in select if r.get("from_design"))
    refined = sum(1 for r in select if r.get("from_refinement"))
    shifts = [x for r in runs for x in (r.get("last_iterate_shift") or [])]
    weaker = sum(1 for x in shifts if x < 0)
    text = ("- **Where λ* comes from, and where the iterates go.** Once w fits the validation data, F "
            "barely depends on λ and the iterates go where the constraint is cheapest to meet, towards weaker "
            "regularisation: ")
    text += (f"the last outer iterate's λ lies below λ* in {weaker} of {len(shifts)} coordinates over "
             f"{len(runs)} runs (median {statistics.median(shifts):+.2f}). " if shifts else "no run had outer "
             "iterations. ")
    if select:
        text += (f"Under `bilevel.variant: select` (the default) λ* is the training from the initialisation "
                 f"with the lowest validation loss, and it was an initial-design point in {design} and a "
                 f"refinement training in {refined} of "
                 f"{len(select)} runs: the augmented Lagrangian and the refinement's expected improvement "
                 f"decide where the trainings go, their comparison decides λ* (ALGORITHM.md §3.5, §3.6). Under `paper` λ* is an iterate, "
                 f"and its retrained test loss is higher than the baselines' "
                 f"(docs/measurements/2026-12-03-bilevel-variants.md).")
    else:
        text += ("Under `bilevel.variant: paper` λ* is an iterate, so it inherits that drift: retrained from "
                 "the initialisation on the training split alone, it gives a higher test loss than the "
                 "baselines' choices.")
    return text


def discussion(loaded):
    """What the traces say about why the bilevel method wins or loses, from the runs: how much the
    augmented-Lagrangian weights fit the validation split, where its λ* lies against the
    baselines', and how well the GP surrogate predicted φ at the iterates. Limits of the method
    are said to be so; what is ours is named as ours."""
    rows = []
    for name, (runs, _) in loaded.items():
        b = runs.get("bilevel") or []
        if not b:
            continue
        al_val, re_val = mean(vals(b, "al_val")), mean(vals(b, "retrained_val"))
        al_test, re_test = mean(vals(b, "al_loss")), mean(vals(b, "retrained_loss"))
        others = [r for m, rs in runs.items() if m != "bilevel" for r in rs if r["lambda"]]
        shift = None
        if others and all(r["lambda"] for r in b):
            d = len(b[0]["lambda"])
            base = [statistics.median(r["lambda"][k] for r in others) for k in range(d)]
            mine = [statistics.median(r["lambda"][k] for r in b) for k in range(d)]
            shift = (mine, base)
        errors = []
        for r in b:
            for t in r["trace"]:
                phi, hat = t.get("phi_sampled"), t.get("phi_hat")
                if isinstance(phi, (int, float)) and isinstance(hat, (int, float)) and phi > 0:
                    errors.append(abs(hat - phi) / phi)
        phis = [p for r in b for p in r.get("phi_design", []) if p > 0]
        # Slack: iterates whose lower-level objective f(w_k, λ_k) came out below the φ sampled at
        # λ_k, so that sample overestimates φ(λ_k) (φ is a minimum over w); and how far λ moved
        # from one outer iteration to the next.
        slack = [h < 0 for r in b for h in r["raw_h"] if h is not None]
        steps = [math.dist(r["trace"][i]["lambda"], r["trace"][i + 1]["lambda"])
                 for r in b for i in range(len(r["trace"]) - 1)]
        rows.append((name, al_val, re_val, al_test, re_test, shift, errors, phis, slack, steps))
    if not rows:
        return ["No bilevel run finished yet.", ""]
    out = ["Computed from the runs above (means over seeds; λ medians over seeds and, for the baselines, "
           "over all four methods; h < 0 means the augmented-Lagrangian weights' f(w_k, λ_k) came out "
           "below the φ sampled at λ_k, before `bilevel.iterate_bounds_phi` keeps the smaller of the two):", "",
           "| task | val loss: AL weights | val loss: λ* retrained | test loss: AL weights | test loss: λ* "
           "retrained | bilevel λ* | baselines' λ* | φ over the initial design, min – max | GP error at "
           "iterates, median (max) | iterates with h < 0 | λ step between outer iterations, median |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]

    def f(x, digits=4):
        return "–" if x is None else f"{x:.{digits}f}"

    for name, al_val, re_val, al_test, re_test, shift, errors, phis, slack, steps in rows:
        lam = (fmt_lambda(shift[0]), fmt_lambda(shift[1])) if shift else ("–", "–")
        err = (f"{100 * statistics.median(errors):.0f} % ({100 * max(errors):.0f} %)" if errors else "–")
        rng = f"{min(phis):.3g} – {max(phis):.3g}" if phis else "–"
        out.append(f"| {name} | {f(al_val)} | {f(re_val)} | {f(al_test)} | {f(re_test)} | {lam[0]} | {lam[1]} "
                   f"| {rng} | {err} | {sum(slack)} of {len(slack)} | "
                   + (f"{statistics.median(steps):.3g}" if steps else "–") + " |")
    out += ["",
            "- **The augmented-Lagrangian weights fit the validation split (a limit of the method).** The "
            "single-level problem keeps the weights w as upper-level variables and asks only that "
            "f(w, λ) ≤ φ(λ) + ε. When the network can fit the training split at almost no cost (an "
            "over-parameterised MLP on 600 or 3,000 digits), that set of near-optimal weights also holds "
            "weights that fit the validation split, and the upper level picks them: compare the two "
            "validation-loss columns. This is the optimistic bilevel formulation doing what it states; those "
            "weights have seen 1.67× the data of a baseline's model, which is why their test accuracy is "
            "higher while their test cross-entropy is not lower. So λ* is judged by trainings that never saw "
            "the validation split (`bilevel.variant: select`, the default) and compared retrained and refit, "
            "as every baseline's λ.",
            origin_line(loaded),
            "- **The GP surrogate can be loose where φ is small (ours to improve).** Where φ spans orders of "
            "magnitude over the box (the φ column; it is large and uneven under strong regularisation, where "
            "SGD at this learning rate struggles), a stationary GP on φ's raw scale, with standardised "
            "targets, fits the large values and misses the small ones near the iterates; the last column is "
            "|φ̂ − φ| / φ there. The "
            "option `bilevel.log_surrogate` (ours, off by default) fits log φ instead: on mnist-mlp-1k-per-layer "
            "it brought that error and |h| down several-fold, but λ* moved to still weaker regularisation and "
            "its retrained test loss rose (docs/measurements/2026-11-27-log-surrogate.md), so the surrogate's "
            "error is not what costs the method its test figures; the formulation above is. The outer-iteration "
            "φ samples are also warm-started from the nearest sample's weights (`bilevel.sample_warm_start`, "
            "ours: 17 more epochs on weights already trained 50), not trained from the fixed initialisation like "
            "the design's. Cold samples do not remove the error either: on mnist-mlp-1k-per-layer they halved the "
            "last |h| but left the GP error at 25–77 % (warm 24–121 %) and λ* where it was, with a slightly "
            "higher retrained test loss, for 10 % more epochs (docs/measurements/2026-11-27-warm-cold-samples.md).",
            ""]
    bounded = {name: all(r["bound"] for r in (runs.get("bilevel") or []))
               for name, (runs, _) in loaded.items() if runs.get("bilevel")}
    stuck = [name for name, *_, slack, steps in rows
             if slack and sum(slack) == len(slack) and steps and statistics.median(steps) < 1e-3]
    if stuck:
        off = [n for n in stuck if not bounded.get(n)]
        out += ["- **Where every φ sample overestimates φ, λ can stop moving (a limit of the method).** On " +
                ", ".join(stuck) + " every iterate had h < 0 and λ did not move between outer iterations: "
                "the augmented-Lagrangian weights reached a lower-level objective f(w_k, λ_k) below the φ "
                "sampled at λ_k, so that sample overestimates φ(λ_k), a minimum over w. Where the slack exceeds "
                "μ/r, the constraint's term of the augmented Lagrangian is inactive, F does not depend on λ, and "
                "λ gets no gradient. " + ("These runs had `bilevel.iterate_bounds_phi` (ours, off by default) "
                                          "off. It keeps the smaller of the sample and f(w_k, λ_k), both upper "
                                          "bounds of φ(λ_k), and so removes that slack: on fmnist-lenet5 λ then "
                                          "moved at every outer iteration and λ* retrained from the "
                                          "initialisation scored 84.1 % test accuracy against 64.5 %. On MNIST, "
                                          "where the samples are good, the constraint it keeps active moved λ* to "
                                          "weaker regularisation and the retrained test loss rose (5 % on "
                                          "mnist-mlp-1k), so it stays off by default "
                                          "(docs/measurements/2026-11-27-iterate-bounds-phi.md)."
                                          if off else
                                          "This happened with `bilevel.iterate_bounds_phi` on: the slack "
                                          "came from the surrogate's φ̂ elsewhere, not from the samples."), ""]
    acted = [(name, sum(slack), len(slack)) for name, *_, slack, steps in rows
             if slack and sum(slack) and bounded.get(name)]
    if acted:
        out += ["- **The iterate bounds φ (ours, on in these runs).** Every f(w, λ) bounds φ(λ) = min_w f(w, λ) from "
                "above, so `bilevel.iterate_bounds_phi` keeps, at each outer iteration's λ_k, the smaller of the "
                "φ sample and the augmented-Lagrangian weights' f(w_k, λ_k). It acted on " +
                ", ".join(f"{n} ({k} of {t} iterates)" for n, k, t in acted) + ". Without it, on fmnist-lenet5 "
                "the warm-started samples overestimated φ at every iterate (6.2 against f = 0.80 at the first), μ "
                "fell to 0, λ never moved after the first inner solve, and λ* retrained from the initialisation "
                "scored 64.5 % test accuracy; with it, λ moved at every iteration and λ* retrained scored 84.1 % "
                "(docs/measurements/2026-11-27-iterate-bounds-phi.md).", ""]
    worse = []  # a λ refit on train ∪ validation scoring below the same λ trained on train alone
    for name, (runs, _) in loaded.items():
        for m, rs in runs.items():
            alone = mean(vals(rs, "retrained_acc" if m == "bilevel" else "test_acc", 100))
            refit = mean(vals(rs, "refit_acc", 100))
            if alone is not None and refit is not None and refit < alone - 0.5:
                worse.append(f"{name} {m} ({refit:.2f} % against {alone:.2f} %)")
    if worse:
        out += ["- **Refit below training alone (noise of one training, not a defect found).** For " +
                "; ".join(worse) + ", λ* refit on training ∪ validation scored more than 0.5 pp below the same "
                "λ trained on the training split alone. At a constant learning rate of 0.05 with momentum 0.9 and "
                "little regularisation, the weights after the last epoch are a noisy draw. A refit at nearly the "
                "same λ scored 0.7 pp above training alone, and a λ changed in the third decimal moved one "
                "training's test accuracy by 1–4 pp (docs/measurements/2026-11-27-fmnist-refit-noise.md). "
                "Figures from one seed carry that noise.", ""]
    return out
