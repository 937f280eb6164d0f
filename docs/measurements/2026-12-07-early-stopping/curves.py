"""Reads the curve hook's log (one line per design training: seed, λ, then the validation loss
after 20, 40, 60, 80 and 100 % of the epochs) and prints, per fraction, the Spearman correlation
of the validation loss then with the final one (mean and min over seeds), how often the design's
final best was above the median then (the median rule would have stopped it), and its rank then
(0 = best). Usage: curves.py curves-TASK.txt"""
import sys, collections, statistics as st
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    a, b = line.split('|')
    seed = a.split()[0]; vals = [float(x) for x in b.split()]
    rows[seed].append(vals)
def ranks(v):
    o = sorted(range(len(v)), key=lambda i: v[i]); r = [0]*len(v)
    for k, i in enumerate(o): r[i] = k
    return r
def spearman(x, y):
    rx, ry = ranks(x), ranks(y); n = len(x)
    return 1 - 6*sum((a-b)**2 for a, b in zip(rx, ry))/(n*(n*n-1))
for j in range(4):
    rho = [spearman([v[j] for v in R], [v[4] for v in R]) for R in rows.values()]
    # would the median rule at segment j stop the final best?
    lost = 0; top3 = []
    for R in rows.values():
        best = min(range(len(R)), key=lambda i: R[i][4])
        med = st.median(v[j] for v in R)
        lost += R[best][j] > med
        # rank (by val at j) of the final best
        top3.append(ranks([v[j] for v in R])[best])
    print(f"after {(j+1)*20}% of epochs: spearman {st.mean(rho):.2f} (min {min(rho):.2f}); final best above the median then: {lost}/{len(rows)}; its rank then: {top3}")
