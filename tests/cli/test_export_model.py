#!/usr/bin/python3
"""Your own network in, the tuned model out (docs/design/ARCHITECTURE.md, "Kept models").

A small network is scripted here with torch.jit.script and tuned by bilevel and random search
through bilevel-tuner-cli (model.kind torchscript, CSV data); each method's refit model is
exported with `export-model` and loaded back with torch.jit.load, and must reproduce the test
accuracy and loss the run stored. The built-in MLP's exported model must do the same. Bad input
(a file that is not TorchScript, an output shape that does not fit the data, an export to a folder
that does not exist) must end with exit code 2 and a message naming the file.

Usage: test_export_model.py CLI  (skipped, exit 77, where Python has no torch)
"""

import json
import math
import os
import random
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("SKIP: this Python has no torch (Debian: apt-get install python3-torch)")
    sys.exit(77)

SKIP = 77
FEATURES = 6
CLASSES = 3


class Net(torch.nn.Module):
    """Two linear layers with a layer norm between them: two λ (body.0.weight, head.weight);
    the biases and the norm's scale and shift stay free."""

    def __init__(self, outputs: int, features: int = FEATURES):
        super().__init__()
        self.body = torch.nn.Sequential(
            torch.nn.Linear(features, 16), torch.nn.LayerNorm(16), torch.nn.ReLU()
        )
        self.head = torch.nn.Linear(16, outputs)

    def forward(self, x):
        return self.head(self.body(x))


def write_classes(path, n, seed):
    """n rows of six features and a label c0..c2; the class shifts every third feature."""
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write(",".join(f"x{j}" for j in range(FEATURES)) + ",label\n")
        for _ in range(n):
            c = rng.randrange(CLASSES)
            row = [(0.8 if j % 3 == c else 0.0) + rng.gauss(0.0, 1.0) for j in range(FEATURES)]
            f.write(",".join(repr(v) for v in row) + f",c{c}\n")


def read_classes(path, classes):
    xs, ys = [], []
    with open(path) as f:
        next(f)
        for line in f:
            *features, label = line.strip().split(",")
            xs.append([float(v) for v in features])
            ys.append(classes.index(label))
    return torch.tensor(xs, dtype=torch.float32), torch.tensor(ys)


class Check:
    def __init__(self):
        self.failures = 0

    def __call__(self, condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            self.failures += 1


def main():
    cli = sys.argv[1]
    check = Check()
    with tempfile.TemporaryDirectory() as root:
        env = dict(os.environ, BILEVEL_TUNER_DATA_DIR=os.path.join(root, "data"),
                   XDG_STATE_HOME=os.path.join(root, "state"))
        store = os.path.join(root, "runs.db")

        def run_cli(*args):
            done = subprocess.run([cli, *args], env=env, capture_output=True, text=True,
                                  timeout=600)
            return done.returncode, done.stdout + done.stderr

        for split, n, seed in (("train", 150, 1), ("validation", 60, 2), ("test", 90, 3)):
            write_classes(os.path.join(root, f"{split}.csv"), n, seed)
        torch.manual_seed(0)
        net_file = os.path.join(root, "net.pt")
        torch.jit.script(Net(CLASSES)).save(net_file)

        def config(model, methods):
            return {
                "dataset": {"kind": "csv", "target": "label", "standardize": True,
                            "train_path": os.path.join(root, "train.csv"),
                            "validation_path": os.path.join(root, "validation.csv"),
                            "test_path": os.path.join(root, "test.csv"),
                            "train": -1, "validation": -1, "test": -1},
                "model": model,
                "training": {"epochs": 8, "batch_size": 30, "learning_rate": 0.05,
                             "momentum": 0.9, "seed": 0, "threads": 1},
                "methods": methods,
                "bilevel": {"initial_samples": 3, "outer_iterations": 2, "inner_steps": 20},
                "random": {"trials": 3},
            }

        def tune(name, model, methods):
            path = os.path.join(root, name + ".json")
            with open(path, "w") as f:
                json.dump(config(model, methods), f)
            out = os.path.join(root, name)
            code, text = run_cli("run", "--config", path, "--store", store, "--out", out, "-q")
            check(code == 0, f"{name}: run exits 0 ({text.strip()[-300:]})")
            with open(os.path.join(out, "result.json")) as f:
                return json.load(f)

        def exported_matches(result, method, label, which="refit"):
            out = os.path.join(root, f"{label}-{method}-{which}.pt")
            code, text = run_cli("export-model", result["run_id"], "--method", method,
                                 "--which", which, "--out", out, "--store", store)
            check(code == 0, f"{label}: export-model --method {method} exits 0 ({text.strip()})")
            if code != 0:
                return
            with open(out[:-3] + ".json") as f:
                sidecar = json.load(f)
            check(sidecar["run_id"] == result["run_id"] and sidecar["method"] == method,
                  f"{label}: the sidecar names the run and the method")
            stored = result["methods"][method]
            check(sidecar["lambda"] == stored["lambda"], f"{label}: the sidecar's λ* is the run's")
            check("pixel_scale" not in sidecar["input"] and
                  sidecar["input"]["rule"] == "x as read; x = (x - mean) / stddev, per feature",
                  f"{label}: CSV features are taken as read, standardised per feature "
                  f"({sidecar['input']['rule']})")
            model = torch.jit.load(out)
            model.eval()
            x, y = read_classes(os.path.join(root, "test.csv"), sidecar["input"]["classes"])
            mean = torch.tensor(sidecar["input"]["mean"])
            stddev = torch.tensor(sidecar["input"]["stddev"])
            with torch.no_grad():
                logits = model((x - mean) / stddev)
            accuracy = (logits.argmax(1) == y).double().mean().item()
            loss = torch.nn.functional.cross_entropy(logits.double(), y).item()
            kept = stored[f"{which}_metrics"]
            check(abs(accuracy - kept["test_accuracy"]) <= 1e-6,
                  f"{label}/{method}/{which}: Python's test accuracy {accuracy:.6f} is the run's "
                  f"{kept['test_accuracy']:.6f}")
            check(math.isclose(loss, kept["test_loss"], rel_tol=1e-5, abs_tol=1e-6),
                  f"{label}/{method}/{which}: Python's test loss {loss:.7f} is the run's "
                  f"{kept['test_loss']:.7f}")
            return sidecar

        own = tune("own", {"kind": "torchscript", "path": net_file}, ["bilevel", "random"])
        for method in ("bilevel", "random"):
            sidecar = exported_matches(own, method, "torchscript")
            if sidecar:
                check(sidecar["lambda_names"] == ["body.0.weight", "head.weight"],
                      f"torchscript/{method}: λ named by the module's parameters "
                      f"({sidecar['lambda_names']})")
        # Bilevel's λ* trained on the training split alone: under the default variant the
        # method's own training at λ*, kept rather than trained again; the weights give the
        # run's retrained figures.
        exported_matches(own, "bilevel", "torchscript", "retrained")

        builtin = tune("mlp", {"kind": "mlp", "hidden": [12]}, ["random"])
        exported_matches(builtin, "random", "built-in mlp")

        # Bad input: exit code 2 and a message naming the file.
        not_script = os.path.join(root, "not-a-model.pt")
        with open(not_script, "w") as f:
            f.write("not a model\n")
        with open(os.path.join(root, "bad.json"), "w") as f:
            json.dump(config({"kind": "torchscript", "path": not_script}, ["random"]), f)
        code, text = run_cli("run", "--config", os.path.join(root, "bad.json"), "--store", store)
        check(code == 2 and "not-a-model.pt" in text and "TorchScript" in text,
              f"a file that is not TorchScript: exit 2 naming it ({text.strip()[-200:]})")
        wrong = os.path.join(root, "five-outputs.pt")
        torch.jit.script(Net(5)).save(wrong)
        with open(os.path.join(root, "wrong.json"), "w") as f:
            json.dump(config({"kind": "torchscript", "path": wrong}, ["random"]), f)
        code, text = run_cli("run", "--config", os.path.join(root, "wrong.json"), "--store", store)
        check(code == 2 and "five-outputs.pt" in text and "[2, 5]" in text and "[2, 3]" in text,
              f"an output that does not fit three classes: exit 2 with both shapes "
              f"({text.strip()[-300:]})")
        narrow = os.path.join(root, "five-inputs.pt")
        torch.jit.script(Net(CLASSES, features=5)).save(narrow)
        with open(os.path.join(root, "narrow.json"), "w") as f:
            json.dump(config({"kind": "torchscript", "path": narrow}, ["random"]), f)
        code, text = run_cli("run", "--config", os.path.join(root, "narrow.json"), "--store",
                             store)
        check(code == 2 and "five-inputs.pt" in text and "[2, 6]" in text,
              f"an input shape the network does not take: exit 2 with the data's shape "
              f"({text.strip()[-300:]})")
        code, text = run_cli("export-model", own["run_id"], "--method", "random", "--out",
                             os.path.join(root, "missing", "m.pt"), "--store", store)
        check(code == 2 and "missing" in text,
              f"an export to a folder that does not exist: exit 2 ({text.strip()})")
        code, text = run_cli("export-model", own["run_id"], "--method", "hyperband", "--out",
                             os.path.join(root, "h.pt"), "--store", store)
        check(code == 2 and "hyperband" in text,
              f"a method the run did not run: exit 2 ({text.strip()})")
    print(f"{check.failures} failure(s)")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
