"""Pools the per-seed rows of variants.py summaries (bench/compare/variants.py) and prints
bilevel − random and bilevel − Bayesian optimisation paired by seed, mean ± standard error.

    python3 pool.py SUMMARY.md...
"""
import re, statistics as st, sys

def rows(path):
    out, setting, cols = {}, None, None
    for line in open(path):
        m = re.match(r'### (\w+)', line)
        if m and not line.startswith('### bilevel minus'):
            setting, cols = m.group(1), None
            continue
        if line.startswith('### '):
            setting = None
        if setting and line.startswith('| seed'):
            cols = [c.strip() for c in line.strip().strip('|').split('|')]
        elif setting and cols and re.match(r'\| \d', line):
            vals = [c.strip() for c in line.strip().strip('|').split('|')]
            out.setdefault(setting, {})[(path, vals[0])] = dict(zip(cols, vals))
    return out

pooled = {}
for p in sys.argv[1:]:
    for k, v in rows(p).items():
        pooled.setdefault(k, {}).update(v)
for base in ('random', 'bayesian'):
    keys = sorted(set(pooled['bilevel']) & set(pooled.get(base, {})))
    parts = []
    for col, scale in (('re_test_acc', 100), ('re_test_loss', 1), ('refit_test_acc', 100), ('refit_test_loss', 1)):
        d = [scale * (float(pooled['bilevel'][k][col]) - float(pooled[base][k][col])) for k in keys]
        parts.append('%s %+.4f ± %.4f' % (col, st.mean(d), st.stdev(d) / len(d) ** 0.5))
    print('bilevel −', base, '(%d seeds):' % len(keys), '; '.join(parts))
