#!/usr/bin/env python3
"""Seconds per epoch of each training in a harness work folder: per task and method, the median
over every training of every seed, the largest, their ratio, and the total over the median times
the count (how much the slow trainings add). A training's seconds are the difference of the
cumulative wall seconds its sample records (the first of a run includes the process's warm-up).

    python3 per_training_seconds.py WORK_FOLDER
"""
import glob, json, statistics, sys

work = sys.argv[1]
tasks = ['ridge', 'mnist-mlp-1k', 'mnist-mlp-1k-per-layer', 'mnist-mlp-5k', 'mnist-mlp-5k-per-layer',
         'fmnist-mlp-3l2', 'fmnist-lenet5']
print('| task | method | trainings | median s/epoch | largest | largest ÷ median | total ÷ (median × count) |')
print('|---|---|---|---|---|---|---|')
for task in tasks:
    for method in ['random', 'bayesian', 'bilevel']:
        rates = []
        for f in sorted(glob.glob(f'{work}/{task}/seed*/{method}/result.json')):
            m = list(json.load(open(f))['methods'].values())[0]
            seconds = epochs = 0.0
            for s in m['samples']:
                w, e = s['cost']['wall_seconds'], s['cost']['epochs']
                if e > epochs:
                    rates.append((w - seconds) / (e - epochs))
                seconds, epochs = w, e
        if rates:
            med = statistics.median(rates)
            print(f'| {task} | {method} | {len(rates)} | {med:.4f} | {max(rates):.4f} | '
                  f'{max(rates) / med:.1f} | {sum(rates) / (med * len(rates)):.2f} |')
