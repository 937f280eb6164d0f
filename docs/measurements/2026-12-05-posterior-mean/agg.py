#!/usr/bin/env python3
"""Summarises pm output files: per file and setting, how often the posterior-mean choice differs
from the observed-best one and the mean ± standard error of its test loss and accuracy (pp) minus
the observed-best choice's."""
import sys,statistics as st,collections
for f in sys.argv[1:]:
    g=collections.defaultdict(list)
    for line in open(f):
        p=line.split(); key=p[0].split('/')[-1].split('-s')[0]+':'+p[1]
        g[key].append((float(p[9])-float(p[5]), 100*(float(p[10])-float(p[6])), p[4]!=p[8]))
    for k,v in g.items():
        dl=[a for a,_,_ in v]; da=[b for _,b,_ in v]; ch=sum(c for *_,c in v)
        se=lambda x: st.stdev(x)/len(x)**.5 if len(x)>1 else 0
        print(f"{f.split('/')[-1]:14s} {k:20s} n={len(v):2d} changed={ch:2d} dloss={st.mean(dl):+.4f}±{se(dl):.4f} dacc={st.mean(da):+.3f}±{se(da):.3f}")
