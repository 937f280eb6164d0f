"""Each setting of a variants.py folder (OUT/NAME-sSEED/result.json) minus the reference
settings, paired by seed: retrained and refit test accuracy (pp) and loss, λ*'s validation loss,
epochs; mean ± standard error. Usage: pair.py OUT default,bayes"""
import json, sys, pathlib, statistics as st
root = pathlib.Path(sys.argv[1]); refs = sys.argv[2].split(',')
rows = {}
for d in root.iterdir():
    f = d / 'result.json'
    if not f.exists(): continue
    name, _, seed = d.name.rpartition('-s')
    r = json.load(open(f)); (meth, m), = r['methods'].items()
    if m.get('status') != 'completed': continue
    re = m.get('retrained_metrics') if meth == 'bilevel' else m.get('metrics')
    rf = m.get('refit_metrics') or {}
    rows.setdefault(name, {})[int(seed)] = dict(ra=100*re['test_accuracy'], rl=re['test_loss'], fa=100*rf.get('test_accuracy', float('nan')), fl=rf.get('test_loss', float('nan')), ep=m['cost']['epochs'], vl=re['val_loss'])
def ms(v):
    return f"{st.mean(v):+.4f} ± {st.stdev(v)/len(v)**0.5:.4f}" if len(v) > 1 else "-"
keys = ['ra', 'rl', 'fa', 'fl', 'vl', 'ep']
for name in sorted(rows):
    print(name, len(rows[name]), ' '.join(f"{k}={st.mean(x[k] for x in rows[name].values()):.4f}" for k in keys))
for ref in refs:
    print(f"\n-- each minus {ref} (paired) --  retr acc pp | retr loss | refit acc pp | refit loss | val loss | epochs")
    for name in sorted(rows):
        if name == ref: continue
        common = sorted(set(rows[name]) & set(rows[ref]))
        print(f"{name:16s} n={len(common):2d} " + ' | '.join(ms([rows[name][s][k] - rows[ref][s][k] for s in common]) for k in keys))
