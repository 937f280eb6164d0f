"""Offline screen on stored default runs (no training): lambda* chosen, among the trainings from
the initialisation within a factor (1 + tau) of the lowest validation loss, as the most (sum of
lambda largest) or least regularised, against the default's lowest validation loss; the chosen
training's own test figures (its retrained ones). Paths as they were on the measuring machine."""
import json, glob, statistics as st, sys
sets = {
 'mnist-mlp-1k-per-layer': glob.glob('/work/exp32/m1kpl/default-s*/result.json'),
 'fmnist-mlp-3l2': glob.glob('/work/exp32/f3/default-s*/result.json'),
 'fmnist-mlp-6l2': glob.glob('/work/exp30/d6/select-s*/result.json'),
}
for t in ['ridge','mnist-mlp-1k','mnist-mlp-5k','mnist-mlp-5k-per-layer','fmnist-lenet5']:
    sets[t] = glob.glob(f'/work/main/bench/harness/work-full/{t}/seed*/bilevel/result.json')
CAND = {'initial-design', 'confirmation', 'refinement'}
def pick(samples, tau, sign):
    c = [s for s in samples if s['phase'] in CAND and s['status'] == 'ok']
    best = min(s['metrics']['val_loss'] for s in c)
    near = [s for s in c if s['metrics']['val_loss'] <= best * (1 + tau)]
    return max(near, key=lambda s: sign * sum(s['lambda'])) if sign else min(c, key=lambda s: s['metrics']['val_loss'])
for task, files in sets.items():
    if not files: print(task, 'no runs'); continue
    out = []
    for f in files:
        m = json.load(open(f))['methods']['bilevel']
        base = pick(m['samples'], 0, 0)
        row = []
        for tau in (0.002, 0.005, 0.01, 0.02):
            for sign in (1, -1):
                p = pick(m['samples'], tau, sign)
                acc = lambda s: 100 * (s['metrics'].get('test_accuracy') or 0)
                row.append((p['metrics']['test_loss'] - base['metrics']['test_loss'], acc(p) - acc(base), p is not base))
        out.append(row)
    print(f"{task} ({len(files)} runs): test loss / acc pp minus the default's λ*, mean ± se [runs changed]")
    i = 0
    for tau in (0.002, 0.005, 0.01, 0.02):
        for name in ('strongest', 'weakest'):
            dl = [r[i][0] for r in out]; da = [r[i][1] for r in out]; ch = sum(r[i][2] for r in out)
            se = lambda v: st.stdev(v) / len(v) ** .5 if len(v) > 1 else 0
            print(f"   tau {tau:5.3f} {name:9s}: {st.mean(dl):+.4f} ± {se(dl):.4f} | {st.mean(da):+.3f} ± {se(da):.3f} pp [{ch}]")
            i += 1
