#!/usr/bin/env python3
"""Writes what docs/screenshots/own-network.png shows in the form: a small convolutional network
scripted with torch.jit.script (net.pt) and the MNIST digits saved as NumPy files
(digits-train.npz, the first 8,000; digits-test.npz, the last 2,000), with a run configuration
naming them (own-network.json). Used by scripts/screenshots.sh.

    python3 scripts/own-network-demo.py DIGITS_FOLDER OUT_FOLDER

DIGITS_FOLDER holds digits-images-idx3-ubyte.gz and digits-labels-idx1-ubyte.gz (the app's data
folder's mnist/, where scripts/setup.sh puts them).
"""
import gzip
import json
import os
import sys

import numpy as np
import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 8, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(8, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2))
        self.head = torch.nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def read_idx(path, header):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def main():
    digits, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    images = read_idx(os.path.join(digits, "digits-images-idx3-ubyte.gz"), 16)
    labels = read_idx(os.path.join(digits, "digits-labels-idx1-ubyte.gz"), 8).astype(np.int64)
    x = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    np.savez(os.path.join(out, "digits-train.npz"), x=x[:8000], y=labels[:8000])
    np.savez(os.path.join(out, "digits-test.npz"), x=x[8000:], y=labels[8000:])
    torch.manual_seed(0)
    torch.jit.script(Net()).save(os.path.join(out, "net.pt"))
    config = {
        "dataset": {"kind": "numpy", "train_path": os.path.join(out, "digits-train.npz"),
                    "test_path": os.path.join(out, "digits-test.npz"),
                    "train": 4000, "validation": 2000, "test": -1, "seed": 0},
        "model": {"kind": "torchscript", "path": os.path.join(out, "net.pt")},
        "hyperparameters": {"scope": "per-layer", "lower": -10, "upper": 0},
        "training": {"epochs": 10, "batch_size": 64, "learning_rate": 0.05, "momentum": 0.9,
                     "nesterov": True, "schedule": "cosine", "seed": 0, "threads": 1},
        "methods": ["bilevel", "random"],
    }
    with open(os.path.join(out, "own-network.json"), "w") as f:
        json.dump(config, f, indent=2)


if __name__ == "__main__":
    main()
