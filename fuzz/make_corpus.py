#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/: a few tiny valid and
invalid inputs each, in the layout each target expects (see the comment at the top of each
fuzz_<target>.cpp). Deterministic; run it again after changing a target's input layout."""
import gzip
import json
import pathlib
import shutil
import struct

root = pathlib.Path(__file__).resolve().parent / "corpus"


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def write(target: str, name: str, data: bytes) -> None:
    folder = root / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def idx_images(count: int, rows: int, cols: int) -> bytes:
    pixels = bytes((i * 7) % 256 for i in range(count * rows * cols))
    return struct.pack(">IIII", 0x803, count, rows, cols) + pixels


def idx_labels(labels: list[int]) -> bytes:
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def config() -> None:
    configs = {
        "minimal.json": {"dataset": {"kind": "mnist"}},
        "csv.json": {
            "dataset": {"kind": "csv", "path": "ridge/train.csv", "target": "y",
                        "task": "regression", "train": [0, 120], "validation": 200, "test": -1},
            "model": {"kind": "linear"},
            "hyperparameters": {"scope": "shared", "lower": -10, "upper": 3},
            "methods": ["bilevel", "grid", "random", "bayesian", "hyperband"],
        },
        "full.json": {
            "dataset": {"kind": "fashion-mnist", "train": 10000, "validation": [50000, 55000]},
            "model": {"kind": "mlp", "hidden": [300, 100]},
            "training": {"epochs": 15, "batch_size": 128, "learning_rate": 0.05,
                         "momentum": 0.9, "nesterov": True, "seed": 0, "device": "cuda:0",
                         "threads": 1},
            "bilevel": {"initial_samples": 0, "design": "lhs", "mu0": 2, "r0": 2, "eta": 1.5,
                        "r_max": 1000, "epsilon": 0, "constraint": "equality",
                        "inner_steps": 300, "tolerance": 1e-3, "warm_start": False},
            "grid": {"points_per_dim": 4}, "random": {"trials": 20},
            "bayesian": {"trials": 20, "initial": 5}, "hyperband": {"max_epochs": 27, "eta": 3},
        },
        "bad-values.json": {
            "dataset": {"kind": "csv", "train": [5, 5], "validation": -1, "test": -1},
            "trainig": {}, "training": {"epochs": 0, "learning_rate": "fast"},
            "hyperparameters": {"lower": 1, "upper": -1}, "methods": ["bayes", "grid", "grid"],
        },
    }
    for name, value in configs.items():
        write("config", name, json.dumps(value).encode())
    write("config", "nan.json", b'{"dataset": {"kind": "mnist"}, "bilevel": {"mu0": NaN}}')
    write("config", "overflow.json", b'{"dataset": {"kind": "mnist"}, "bilevel": {"mu0": 1e400},'
          b' "training": {"seed": 18446744073709551616}}')
    write("config", "duplicate.json", b'{"dataset": {"kind": "mnist", "kind": "csv"}}')
    write("config", "truncated.json", b'{"dataset": {"kind": ')
    write("config", "deep.json", b'{"model": {"hidden": ' + b"[" * 40 + b"]" * 40 + b"}}")
    write("config", "utf8.json", b'{"dataset": {"kind": "\xce\xbb\xff"}}')


def idx() -> None:
    # Byte 0: the reader (0 any images, 1 28x28 images, 2 labels, 3 a pool); bytes 1-2: the
    # number of classes (labels) or the cut between the two files (pool); then the file(s).
    images = idx_images(3, 4, 4)
    labels = idx_labels([0, 1, 2])
    write("idx", "images", b"\x00\x00\x00" + images)
    write("idx", "images-gz", b"\x00\x00\x00" + gz(images))
    write("idx", "images-28", b"\x01\x00\x00" + idx_images(1, 28, 28))
    write("idx", "images-wrong-size", b"\x01\x00\x00" + idx_images(1, 2, 3))
    write("idx", "images-truncated", b"\x00\x00\x00" + images[:-5])
    write("idx", "images-huge-count", b"\x00\x00\x00" + struct.pack(">IIII", 0x803, 0xFFFFFFFF,
                                                                     0xFFFF, 0xFFFF))
    # 4 billion images of 2 billion x 0: no pixels, and the product overflows int64.
    write("idx", "images-zero-columns", b"\x00\x00\x00" + struct.pack(">IIII", 0x803, 0xFF780000,
                                                                       0x88000000, 0))
    write("idx", "labels", b"\x02\x09\x00" + labels)
    write("idx", "labels-gz", b"\x02\x09\x00" + gz(labels))
    write("idx", "labels-out-of-range", b"\x02\x01\x00" + labels)
    write("idx", "labels-wrong-magic", b"\x02\x09\x00" + b"\x00\x00\x08\x03" + labels[4:])
    write("idx", "pool", b"\x03" + struct.pack(">H", len(images)) + images + labels)
    write("idx", "pool-gz", b"\x03" + struct.pack(">H", len(gz(images))) + gz(images) + gz(labels))
    write("idx", "pool-count-mismatch", b"\x03" + struct.pack(">H", len(images)) + images
          + idx_labels([0, 1]))


def cifar() -> None:
    # Byte 0: odd reads the file twice (two batches of one pool); then the file.
    def record(label: int, shade: int) -> bytes:
        return bytes([label]) + bytes((shade + i) % 256 for i in range(3072))

    two = record(3, 0) + record(9, 100)
    write("cifar", "two-records", b"\x00" + two)
    write("cifar", "two-records-twice", b"\x01" + two)
    write("cifar", "gz", b"\x00" + gz(two))
    write("cifar", "label-10", b"\x00" + record(10, 0))
    write("cifar", "cut-off", b"\x00" + two[:-100])
    write("cifar", "gz-cut-off", b"\x00" + gz(two)[:-20])
    write("cifar", "empty", b"\x00")


def csv() -> None:
    # Byte 0: bit 0 regression, bit 1 standardise, bit 2 target "y" (else the last column),
    # bits 3-7 the seed; byte 1: bits 0-2 train size - 1, bit 3 train as a range starting at
    # bits 6-7, bits 4-5 validation size; then the file.
    rows = "".join(f"{i * 0.5},{-i},{'abc'[i % 3]}\n" for i in range(12))
    write("csv", "classes", b"\x02\x13" + ("a,b,y\n" + rows).encode())
    numeric = "".join(f"{i},{i * i},{i % 2}\n" for i in range(10))
    write("csv", "numeric-classes", b"\x06\x29" + ("x1,x2,y\n" + numeric).encode())
    regression = "".join(f"{i * 1.5e3:g},{1.0 / (i + 1):.6f},{i * 0.25}\n" for i in range(10))
    write("csv", "regression", b"\x07\x1b" + ("y,f1,f2\n" + regression).encode())
    write("csv", "regression-gz", b"\x03\x12" + gz(("f1,f2,y\n" + regression).encode()))
    write("csv", "quoted-crlf-bom", b"\x02\x01" + "\ufeff\"x \"\"1\"\"\",y\r\n1,a\r\n2,b\r\n"
          "3,a\r\n".encode())
    write("csv", "bad-cell", b"\x00\x01" + b"x,y\n1,a\nnan,b\n")
    write("csv", "ragged", b"\x00\x01" + b"x,z,y\n1,2,a\n1,2\n")
    write("csv", "too-few-rows", b"\x00\x07" + b"x,y\n1,a\n2,b\n")
    write("csv", "float-range", b"\x01\x01" + b"x,y\n1e39,1\n2,2\n")
    write("csv", "tiny-values", b"\x03\x01" + b"x,y\n1e-45,1\n0,2\n")
    write("csv", "huge-values", b"\x03\x02" + b"x,y\n3.4e38,1\n-3.4e38,2\n-3.4e38,3\n")
    # One training row: the test rows standardise 6.8e38 away, beyond float (an input error).
    write("csv", "standardised-beyond-float", b"\x03\x00" + b"x,y\n3.4e38,1\n-3.4e38,2\n-3.4e38,3\n")


def npy_bytes(descr: str, shape: tuple, payload: bytes, version: int = 1) -> bytes:
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}"
    prefix = 10 if version == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + payload


def npy() -> None:
    # Byte 0: bit 0 read as float32 (else float64), bit 1 classification; then the file.
    write("npy", "float32-matrix", b"\x03" + npy_bytes("<f4", (2, 3), struct.pack("<6f", *range(6))))
    write("npy", "int64-labels", b"\x02" + npy_bytes("<i8", (4,), struct.pack("<4q", 0, 1, 2, 1)))
    write("npy", "float64-images", b"\x01" + npy_bytes("<f8", (1, 1, 2, 2), struct.pack("<4d", 0, 1, 2, 3)))
    write("npy", "version-2", b"\x00" + npy_bytes("|u1", (3,), bytes([1, 2, 3]), version=2))
    write("npy", "truncated", b"\x01" + npy_bytes("<f4", (4, 4), b"\x00" * 10))
    write("npy", "big-endian", b"\x01" + npy_bytes(">f4", (1, 1), b"\x00" * 4))


if __name__ == "__main__":
    shutil.rmtree(root, ignore_errors=True)
    config()
    idx()
    cifar()
    csv()
    npy()
