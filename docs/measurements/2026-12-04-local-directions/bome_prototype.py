"""Prototype, not part of the product: BOME (Liu et al. 2022, arXiv 2209.08709) on
mnist-mlp-1k-per-layer, started from the initial design's best (its λ and trained weights): 300
joint steps on (w, λ) along ∇F + ρ∇q with q(w, λ) = f(w, λ) − f(w^T, λ), w^T three SGD steps on
f from w (held constant), ρ = max(η − ⟨∇F, ∇q⟩/‖∇q‖², 0), η = 0.5, minibatches of 64. The final
λ is trained from the initialisation and compared with the design's best. Uses the trainer of
hg_prototype.py (its top half, read in below).

    BOME_LRL=0.05 python3 bome_prototype.py FIRST_SEED END_SEED   # bome_lrl0.05.log
    BOME_LRL=20 python3 bome_prototype.py FIRST_SEED END_SEED     # bome_lrl20.log
"""
import sys, os, math, json
exec(open(os.path.join(os.path.dirname(__file__), 'hg_prototype.py')).read().split('def local(')[0])
STEPS = int(os.environ.get('BOME_STEPS', '300')); TIN = int(os.environ.get('BOME_T', '3'))
ETA = float(os.environ.get('BOME_ETA', '0.5')); LRW = float(os.environ.get('BOME_LRW', '0.01')); LRL = float(os.environ.get('BOME_LRL', '0.05'))
def clone(n):
    c = net(0); c.load_state_dict(n.state_dict()); return c
def penT(n, lam):  # Σ ½ e^{λ_l} ‖W_l‖², λ a tensor
    return sum(torch.exp(lam[i]) * 0.5 * (w * w).sum() for i, w in enumerate(W(n)))
def bome(seed, start):
    n = clone(start[2]); lam = torch.tensor(start[1], dtype=torch.float32, requires_grad=True)
    ps = list(n.parameters()); g = torch.Generator().manual_seed(5000 + seed); traj = [start[1]]
    for k in range(STEPS):
        j = torch.randint(0, NTR, (B,), generator=g); v = torch.randint(0, NVA, (B,), generator=g)
        nT = clone(n)
        for t in range(TIN):
            lt = CE(nT(Xtr[j]), Ytr[j]) + penT(nT, lam.detach())
            gt = torch.autograd.grad(lt, list(nT.parameters()))
            with torch.no_grad():
                for p, gg in zip(nT.parameters(), gt): p -= LRW * gg
        with torch.no_grad(): fT = CE(nT(Xtr[j]), Ytr[j]); WT = [w.detach().clone() for w in W(nT)]
        q = CE(n(Xtr[j]), Ytr[j]) + penT(n, lam) - fT - sum(torch.exp(lam[i]) * 0.5 * (w * w).sum() for i, w in enumerate(WT))
        gq = torch.autograd.grad(q, ps + [lam])
        gF = list(torch.autograd.grad(CE(n(Xva[v]), Yva[v]), ps)) + [torch.zeros_like(lam)]
        dot = sum((a * b).sum() for a, b in zip(gF, gq)).item(); nq = sum((b * b).sum() for b in gq).item()
        rho = max(ETA - dot / max(nq, 1e-30), 0.0)
        with torch.no_grad():
            for p, a, b in zip(ps, gF, gq): p -= LRW * (a + rho * b)
            lam -= LRL * (gF[-1] + rho * gq[-1]); lam.clamp_(LO, HI)
        if (k + 1) % (STEPS // 5) == 0: traj.append([round(x, 2) for x in lam.tolist()])
    return lam.tolist(), traj
def run(seed):
    design = trained(design_points(seed), train, seed)
    best = min(design, key=lambda t: t[0])
    lamF, traj = bome(seed, best)
    nf = train(lamF, seed); vf = ev(nf, Xva, Yva)[0]
    out = {'design': ev(best[2], Xte, Yte), 'bome_final': ev(nf, Xte, Yte), 'bome_select': ev(nf if vf < best[0] else best[2], Xte, Yte)}
    print(seed, 'design', [round(x, 2) for x in best[1]], round(best[0], 4), 'bome', [round(x, 2) for x in lamF], round(vf, 4), 'traj', traj,
          {k: (round(v[0], 4), round(100 * v[1], 2)) for k, v in out.items()}, flush=True)
    return out
res = [run(s) for s in range(int(sys.argv[1]), int(sys.argv[2]))]
print('JSON', json.dumps(res))
