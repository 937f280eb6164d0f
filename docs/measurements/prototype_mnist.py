"""Shared by the prototypes in this folder (not part of the product): the 10,000 MNIST digits the
set-up converts, split as resources/configs/mnist-mlp-1k-per-layer.json (600 training, 400
validation, the rest test), standardised by the training split; the 784-100-10 network and its
per-layer penalty Σ_l ½e^{λ_l}‖W_l‖²; the recipe's constants. Import with the folder on sys.path.
"""
import gzip, math
import numpy as np, torch
torch.set_num_threads(1)
def idx(p):
    b = gzip.open(p).read(); n = int.from_bytes(b[4:8], 'big')
    if b[3] == 3: return np.frombuffer(b, np.uint8, offset=16).reshape(n, 784).astype(np.float32)
    return np.frombuffer(b, np.uint8, offset=8).astype(np.int64)
D = '/root/.local/share/bilevel-tuner/mnist/'
X = idx(D + 'digits-images-idx3-ubyte.gz'); Y = idx(D + 'digits-labels-idx1-ubyte.gz')
NTR, NVA = 600, 400
Xtr, Ytr, Xva, Yva, Xte, Yte = X[:600], Y[:600], X[600:1000], Y[600:1000], X[1000:], Y[1000:]
m, s = Xtr.mean(), Xtr.std()
T = lambda a: torch.tensor((a - m) / s)
Xtr, Xva, Xte = T(Xtr), T(Xva), T(Xte); Ytr, Yva, Yte = map(torch.tensor, (Ytr, Yva, Yte))
LO, HI, EP, B, LR = -10.0, 0.0, 50, 64, 0.05
def net(seed):
    torch.manual_seed(seed); return torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
def W(n): return [n[0].weight, n[2].weight]
def pen(n, lam): return sum(math.exp(l) * 0.5 * (w * w).sum() for l, w in zip(lam, W(n)))
def ev(n, x, y):
    with torch.no_grad(): o = n(x); return torch.nn.functional.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()
def design_points(seed):
    """The 10 scrambled-Sobol points of a seed, in the box."""
    return torch.quasirandom.SobolEngine(2, scramble=True, seed=seed).draw(10).numpy() * (HI - LO) + LO
def random_points(seed):
    """The 20 uniform random draws of a seed, in the box."""
    return np.random.default_rng(seed).uniform(LO, HI, (20, 2))
def trained(points, train, seed):
    """(validation loss, λ, network) of `train(λ, seed)` at each point."""
    out = []
    for lam in points:
        n = train(list(lam), seed); out.append((ev(n, Xva, Yva)[0], list(lam), n))
    return out
