"""The ridge task (BENCHMARK.md): synthetic linear data written as CSV and the closed-form optimum
of the project's lower level, ported from tests/engine/run/ridge_fixture.h.

The data follow the fixture's recipe (n × p standard normal features; y = X β + σ ε with
`nonzero` drawn non-zero β entries) with numpy's generator seeded by the task seed, so the
draws differ from the C++ fixture's but the distribution is the same.
"""
import math
import pathlib

import numpy as np

N_TRAIN, N_VAL, N_TEST, P, NONZERO, NOISE = 120, 200, 1000, 60, 10, 1.0


def make_data(seed):
    rng = np.random.default_rng(seed)
    beta = np.zeros(P)
    for _ in range(NONZERO):
        beta[rng.integers(P)] = rng.standard_normal()

    def draw(n):
        x = rng.standard_normal((n, P))
        return x, x @ beta + NOISE * rng.standard_normal(n)

    return {"train": draw(N_TRAIN), "validation": draw(N_VAL), "test": draw(N_TEST)}


def write_csv(data, folder):
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    header = ",".join([f"x{j}" for j in range(P)] + ["y"])
    for name, (x, y) in data.items():
        np.savetxt(folder / f"{name}.csv", np.column_stack([x, y]), delimiter=",", header=header,
                   comments="", fmt="%.17g")


def read_csv(folder):
    folder = pathlib.Path(folder)
    out = {}
    for name in ("train", "validation", "test"):
        a = np.loadtxt(folder / f"{name}.csv", delimiter=",", skiprows=1, ndmin=2)
        out[name] = (a[:, :-1], a[:, -1])
    return out


def ridge_loss(data, lam, x, y):
    """MSE on (x, y) of the minimiser of mean((Xw + b − y)²) + exp(λ)·½‖w‖² (bias free)."""
    xt, yt = data["train"]
    n = xt.shape[0]
    xm, ym = xt.mean(axis=0), yt.mean()
    xc, yc = xt - xm, yt - ym
    a = (2.0 / n) * xc.T @ xc + math.exp(lam) * np.eye(xt.shape[1])
    w = np.linalg.solve(a, (2.0 / n) * xc.T @ yc)
    b = ym - xm @ w
    return float(np.mean((x @ w + b - y) ** 2))


def optimum(data, lower, upper, step=0.005):
    """(F_opt, λ_opt): the smallest validation loss of the exact solution over a fine grid of
    [lower, upper]. One eigendecomposition of (2/n) XcᵀXc serves every λ of the grid."""
    xt, yt = data["train"]
    xv, yv = data["validation"]
    n = xt.shape[0]
    xm, ym = xt.mean(axis=0), yt.mean()
    xc, yc = xt - xm, yt - ym
    e, v = np.linalg.eigh((2.0 / n) * xc.T @ xc)
    g = v.T @ ((2.0 / n) * xc.T @ yc)
    lams = np.arange(lower, upper + 1e-12, step)
    w = v @ (g[:, None] / (e[:, None] + np.exp(lams)[None, :]))  # p × len(lams)
    b = ym - xm @ w
    losses = np.mean((xv @ w + b[None, :] - yv[:, None]) ** 2, axis=0)
    i = int(np.argmin(losses))
    return float(losses[i]), float(lams[i])


def validation_loss(data, lam):
    xv, yv = data["validation"]
    return ridge_loss(data, lam, xv, yv)
