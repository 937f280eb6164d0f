"""Prototype, not part of the product: does a two-copy penalty hypergradient (F2SA-style) move λ
from the initial design's best to a better one on mnist-mlp-1k-per-layer? It has its own small
trainer (Python's LibTorch) and compares only within itself: 10 scrambled-Sobol design points and
20 random draws trained from the initialisation, then 8 λ steps from the design's best.
Reads the MNIST digits the set-up converts (~/.local/share/bilevel-tuner/mnist).

    python3 f2sa_prototype.py FIRST_SEED END_SEED [SIGMA]

SIGMA: a fixed weight of the validation loss in the pulled copy; without it σ = 1/k at step k.
2026-12-04: `0 8` in f2sa_prototype.log; `0 8 0.005`, `0 4 0.02`, `0 4 0.05` in
f2sa_prototype_sigma*.log.
"""
import math, os, sys, time, statistics as st
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from prototype_mnist import *  # data, network, penalty, recipe constants, ev
def train(lam, seed, n=None, epochs=EP, sigma=None, lr=LR, cosine=True, bseed=None):
    n = n or net(seed); opt = torch.optim.SGD(n.parameters(), lr=lr, momentum=0.9, nesterov=True)
    g = torch.Generator().manual_seed(bseed if bseed is not None else 1000 + seed); steps = epochs * math.ceil(600 / B); k = 0
    for e in range(epochs):
        perm = torch.randperm(600, generator=g)
        for i in range(0, 600, B):
            j = perm[i:i + B]
            loss = torch.nn.functional.cross_entropy(n(Xtr[j]), Ytr[j]) + pen(n, lam)
            if sigma is not None:
                v = torch.randint(0, 400, (B,), generator=g)
                loss = loss + sigma * torch.nn.functional.cross_entropy(n(Xva[v]), Yva[v])
            elif bseed is not None:
                torch.randint(0, 400, (B,), generator=g)  # same stream as the sigma copy
            if cosine:
                for pg in opt.param_groups: pg['lr'] = lr * 0.5 * (1 + math.cos(math.pi * k / steps))
            opt.zero_grad(); loss.backward(); opt.step(); k += 1
    return n
def clone(n):
    c = net(0); c.load_state_dict(n.state_dict()); return c
FIXED_SIGMA = float(sys.argv[3]) if len(sys.argv) > 3 else None
def run(seed, K=8, Tz=10, sigma0=1.0):
    design = trained(design_points(seed), train, seed)
    rs = trained(random_points(seed), train, seed)
    best = min(design, key=lambda t: t[0]); lam = np.array(best[1]); w0 = best[2]
    step = np.full(2, 1.0); prev = np.zeros(2); traj = [lam.copy()]
    for k in range(K):
        sigma = FIXED_SIGMA if FIXED_SIGMA is not None else sigma0 / (k + 1)
        z = train(list(lam), seed, n=clone(w0), epochs=Tz, lr=0.01, cosine=False, bseed=77 + k)
        y = train(list(lam), seed, n=clone(w0), epochs=Tz, lr=0.01, cosine=False, bseed=77 + k, sigma=sigma)
        g = np.array([0.5 * math.exp(l) * ((wy * wy).sum().item() - (wz * wz).sum().item()) / sigma for l, wy, wz in zip(lam, W(y), W(z))])
        sg = np.sign(g)
        step = np.where(sg * prev < 0, step * 0.5, np.where(sg * prev > 0, step * 1.2, step)); prev = sg
        lam = np.clip(lam - sg * step, LO, HI); w0 = z; traj.append(lam.copy())
    nf = train(list(lam), seed); fv = ev(nf, Xva, Yva)[0]
    pick = nf if fv < best[0] else best[2]
    rbest = min(rs, key=lambda t: t[0])
    out = {'design': ev(best[2], Xte, Yte), 'f2sa_final': ev(nf, Xte, Yte), 'f2sa_select': ev(pick, Xte, Yte), 'random20': ev(rbest[2], Xte, Yte)}
    print('traj', [list(np.round(t, 2)) for t in traj])
    print(seed, 'design', np.round(best[1], 2), 'final', np.round(lam, 2), 'val', round(best[0], 4), round(fv, 4), 'random', np.round(rbest[1], 2), round(rbest[0], 4),
          {k: (round(v[0], 4), round(100 * v[1], 2)) for k, v in out.items()}, flush=True)
    return out
res = [run(s) for s in range(int(sys.argv[1]), int(sys.argv[2]))]
for k in res[0]:
    print(k, 'loss %.4f acc %.2f' % (st.mean(r[k][0] for r in res), 100 * st.mean(r[k][1] for r in res)))
for k in ('design', 'f2sa_select', 'f2sa_final'):
    d = [100 * (r[k][1] - r['random20'][1]) for r in res]; dl = [r[k][0] - r['random20'][0] for r in res]
    print(k, '- random20: acc %+.3f ± %.3f pp, loss %+.4f ± %.4f' % (st.mean(d), st.stdev(d) / len(d) ** .5, st.mean(dl), st.stdev(dl) / len(dl) ** .5))
