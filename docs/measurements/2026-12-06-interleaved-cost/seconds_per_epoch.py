#!/usr/bin/env python3
"""Seconds per epoch of the bilevel method over random search's, pair by pair, from a
bench/compare/compare_methods.sh folder (DIR/bilevel-R/ and DIR/random-R/ result.json files, R
the repeat): each method's wall seconds over its epochs, the ratio per repeat, then the median.

    python3 seconds_per_epoch.py DIR
"""
import json,sys,statistics as st,glob,os
d=sys.argv[1]
def spe(m,r):
    f=f'{d}/{m}-{r}/result.json'
    if not os.path.exists(f): return None
    x=json.load(open(f))['methods'][m]['cost']
    return x['wall_seconds']/x['epochs'], x['wall_seconds'], x['epochs']
rat=[]
for r in range(1,11):
    a,b=spe('bilevel',r),spe('random',r)
    if a and b:
        rat.append(a[0]/b[0]); print(r, f"bilevel {a[1]:.1f}s/{a[2]:.1f}ep random {b[1]:.1f}s/{b[2]:.0f}ep ratio {a[0]/b[0]:.3f}")
if rat: print('median',round(st.median(rat),3),'min',round(min(rat),3),'max',round(max(rat),3),'n',len(rat))
