"""Prototype, not part of the product: from the initial design's best λ on mnist-mlp-1k-per-layer,
8 λ steps along the implicit-function hypergradient dF/dλ_l = −e^{λ_l}⟨W_l, H⁻¹∇_w F⟩ (H the
Hessian of f at the trained weights, conjugate gradients on Hessian-vector products), against 8
steps in random directions and against 20 random draws. Each step's λ is trained from the
initialisation and kept when its validation loss is lower (step ×1.5), else the step halves. Its
own small trainer (Python's LibTorch 1.13, the recipe of the reference configuration), so it
compares only within itself. Reads the MNIST digits the set-up converts.

    STEP0=1.0 python3 hg_prototype.py FIRST_SEED END_SEED     # hg_step1.log (seeds 0-4, 5-9)
    STEP0=0.3 python3 hg_prototype.py FIRST_SEED END_SEED     # hg_step0.3.log
    python3 agg.py LOG...                                     # paired means ± standard errors
"""
import math, os, sys, time, statistics as st
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from prototype_mnist import *  # data, network, penalty, recipe constants, ev
STEP0 = float(os.environ.get("STEP0", "1.0"))
CE = torch.nn.functional.cross_entropy
def train(lam, seed):
    n = net(seed); opt = torch.optim.SGD(n.parameters(), lr=LR, momentum=0.9, nesterov=True)
    g = torch.Generator().manual_seed(1000 + seed); steps = EP * math.ceil(NTR / B); k = 0
    for e in range(EP):
        perm = torch.randperm(NTR, generator=g)
        for i in range(0, NTR, B):
            j = perm[i:i + B]
            loss = CE(n(Xtr[j]), Ytr[j]) + pen(n, lam)
            for pg in opt.param_groups: pg['lr'] = LR * 0.5 * (1 + math.cos(math.pi * k / steps))
            opt.zero_grad(); loss.backward(); opt.step(); k += 1
    return n
def hypergrad(n, lam, iters=30, damp=1e-4):
    ps = list(n.parameters())
    gF = torch.autograd.grad(CE(n(Xva), Yva), ps)
    f = CE(n(Xtr), Ytr) + pen(n, lam)
    gf = torch.autograd.grad(f, ps, create_graph=True)
    def Hv(v):
        hv = torch.autograd.grad(gf, ps, grad_outputs=v, retain_graph=True)
        return [a + damp * b for a, b in zip(hv, v)]
    dot = lambda a, b: sum((x * y).sum() for x, y in zip(a, b))
    x = [torch.zeros_like(p) for p in ps]; r = [g.clone() for g in gF]; p = [g.clone() for g in r]; rr = dot(r, r)
    for _ in range(iters):
        Ap = Hv(p); pAp = dot(p, Ap)
        if pAp <= 0: break
        a = rr / pAp
        x = [xi + a * pi for xi, pi in zip(x, p)]; r = [ri - a * api for ri, api in zip(r, Ap)]
        rn = dot(r, r)
        if rn.sqrt() < 1e-6 * dot(gF, gF).sqrt(): break
        p = [ri + (rn / rr) * pi for ri, pi in zip(r, p)]; rr = rn
    # v = H^-1 dF/dθ;  dF/dλ_l = -e^{λ_l} <W_l, v_W_l>  (weights are params 0 and 2)
    vw = [x[0], x[2]]
    return np.array([-math.exp(l) * (w.detach() * v).sum().item() for l, w, v in zip(lam, W(n), vw)])
def local(seed, start, K, direction):
    (bv, bl, bn) = start; bl = np.array(bl); step = STEP0; rng = np.random.default_rng(seed + 99); g = None; tr = []
    for k in range(K):
        if direction == 'hg':
            if g is None: g = hypergrad(bn, list(bl))
            d = -g / (np.abs(g).max() + 1e-30)
        else:
            d = rng.normal(size=len(bl)); d /= np.abs(d).max()
        lam = np.clip(bl + step * d, LO, HI)
        n = train(list(lam), seed); v = ev(n, Xva, Yva)[0]; tr.append((np.round(lam, 2).tolist(), round(v, 4)))
        if v < bv: bv, bl, bn, g = v, lam, n, None; step *= 1.5
        else: step *= 0.5
    return (bv, list(bl), bn), tr
def run(seed, K=8):
    design = trained(design_points(seed), train, seed)
    rs = trained(random_points(seed), train, seed)
    best = min(design, key=lambda t: t[0])
    hg, trh = local(seed, best, K, 'hg')
    lr_, trl = local(seed, best, K, 'rand')
    rbest = min(rs, key=lambda t: t[0])
    out = {k: ev(v[2], Xte, Yte) for k, v in {'design': best, 'hg': hg, 'localrand': lr_, 'random20': rbest}.items()}
    print(seed, 'design', np.round(best[1], 2), round(best[0], 4), 'hg', np.round(hg[1], 2), round(hg[0], 4), 'lrand', np.round(lr_[1], 2), round(lr_[0], 4), 'random', np.round(rbest[1], 2), round(rbest[0], 4),
          {k: (round(v[0], 4), round(100 * v[1], 2)) for k, v in out.items()}, flush=True)
    print('  hg traj', trh, flush=True)
    return out
res = [run(s) for s in range(int(sys.argv[1]), int(sys.argv[2]))]
import json; print('JSON', json.dumps(res))
