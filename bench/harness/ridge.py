"""The ridge task (BENCHMARK.md): the closed-form optimum of the project's lower level on the CSV
files `bilevel-tuner-cli data make-ridge` writes (the engine's data::makeRidgeData), ported from
tests/engine/run/ridge_fixture.h.
"""
import math
import pathlib

import numpy as np


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
