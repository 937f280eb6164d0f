#!/usr/bin/env python3
"""Compares two harness work folders run by run: λ*, every sample's metrics, the trace's metrics,
the retrained and refit metrics and the epochs, and the ratio of wall seconds (new ÷ old).

    python3 same_runs.py NEW_WORK OLD_WORK
"""
import glob, json, os, statistics, sys

new, old = sys.argv[1], sys.argv[2]
same = differ = 0
ratios = {}
for f in sorted(glob.glob(f'{new}/*/seed*/*/result.json')):
    rel = os.path.relpath(f, new)
    g = os.path.join(old, rel)
    if not os.path.exists(g):
        continue
    a = list(json.load(open(f))['methods'].values())[0]
    b = list(json.load(open(g))['methods'].values())[0]
    keys = ['lambda', 'metrics', 'retrained_metrics', 'refit_metrics']
    ok = all(a.get(k) == b.get(k) for k in keys) and a['cost']['epochs'] == b['cost']['epochs']
    ok = ok and [s['metrics'] for s in a.get('samples', [])] == [s['metrics'] for s in b.get('samples', [])]
    ok = ok and [t.get('metrics') for t in a.get('trace', [])] == [t.get('metrics') for t in b.get('trace', [])]
    if ok:
        same += 1
    else:
        differ += 1
        print('differs:', rel)
    task, _, method = rel.split('/')[:3]
    ratios.setdefault((task, method), []).append(a['cost']['wall_seconds'] / b['cost']['wall_seconds'])
print(f'{same} runs identical, {differ} differ')
print('| task | method | wall seconds new ÷ old, per seed |')
print('|---|---|---|')
for (task, method), r in sorted(ratios.items()):
    print(f'| {task} | {method} | ' + ', '.join(f'{x:.2f}' for x in r) + ' |')
