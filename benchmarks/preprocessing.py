"""Lookup layers on 1M strings and image ops on a batch of 224x224 images: minikeras vs Keras 3.

Each case runs the same Keras-API code with `keras` bound to minikeras, then (when the venvs
exist) to Keras 3 on the torch backend and on the TensorFlow backend in subprocesses, one thread
each; best of 3 calls after a warm-up. Keras's lookup and hashing layers need TensorFlow on every
backend (on torch they raise ImportError), so their reference is Keras on TensorFlow; the image
ops are compared with Keras on torch as well.

Usage: python benchmarks/preprocessing.py
"""

import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).parent
ANCHORS = os.environ.get("KERAS_ANCHORS", "/work/anchors/bin/python")
TF_PYTHON = os.environ.get("KERAS_TF_PYTHON", "/work/tfenv/bin/python")
N_STRINGS, VOCAB = 1_000_000, 5000


def _best(fn, repeats=3):
    try:
        fn()
    except ImportError:  # Keras's lookup layers without TensorFlow
        return None
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def cases(keras):
    import numpy as np

    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(VOCAB)])
    strings = words[rng.zipf(1.3, N_STRINGS) % VOCAB]  # a skewed vocabulary, as real text
    ints = rng.integers(0, VOCAB, N_STRINGS)
    images = rng.random((32, 224, 224, 3), dtype=np.float32)
    out = {}

    try:  # Keras's lookup layers need TensorFlow on every backend
        lookup, int_lookup = keras.layers.StringLookup(), keras.layers.IntegerLookup()
        hashing = keras.layers.Hashing(num_bins=1024)
    except ImportError:
        lookup = int_lookup = hashing = None
    if lookup is not None:
        out["StringLookup.adapt 1M"] = _best(lambda: lookup.adapt(strings), repeats=1)
        out["StringLookup call 1M"] = _best(lambda: lookup(strings))
        out["IntegerLookup.adapt 1M"] = _best(lambda: int_lookup.adapt(ints), repeats=1)
        out["IntegerLookup call 1M"] = _best(lambda: int_lookup(ints))
        out["Hashing call 1M strings"] = _best(lambda: hashing(strings))
    image = keras.ops.image
    out["extract_patches 32x224x224x3, 16x16"] = _best(lambda: image.extract_patches(images, 16))
    out["resize 32x224x224x3 -> 112 bilinear"] = _best(
        lambda: image.resize(images, (112, 112), interpolation="bilinear")
    )
    out["resize 32x224x224x3 -> 299 bicubic"] = _best(
        lambda: image.resize(images, (299, 299), interpolation="bicubic")
    )
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--keras":
        if os.environ.get("KERAS_BACKEND") == "torch":
            import torch

            torch.set_num_threads(1)
        else:
            import tensorflow as tf

            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        import keras

        print(json.dumps(cases(keras)))
        return
    os.environ.setdefault("MINIKERAS_NUM_THREADS", "1")
    sys.path.insert(0, str(HERE.parent))
    import minikeras

    rows = {"minikeras": cases(minikeras)}
    for label, python, backend in (
        ("keras-torch", ANCHORS, "torch"),
        ("keras-tf", TF_PYTHON, "tensorflow"),
    ):
        if not pathlib.Path(python).exists():
            continue
        env = dict(os.environ, KERAS_BACKEND=backend, OMP_NUM_THREADS="1")
        out = subprocess.run([python, __file__, "--keras"], env=env, capture_output=True, text=True)
        if out.returncode == 0:
            rows[label] = json.loads(out.stdout.strip().splitlines()[-1])
        else:
            print(f"Keras 3 ({backend}) run failed:", out.stderr.strip().splitlines()[-1:])
    print("| case | minikeras ms | Keras 3 torch ms | Keras 3 TensorFlow ms | minikeras / Keras |")
    print("|---|---|---|---|---|")

    def cell(v):
        return f"{v:.1f}" if v else "-"

    for name, ms in rows["minikeras"].items():
        kt, kf = rows.get("keras-torch", {}).get(name), rows.get("keras-tf", {}).get(name)
        ref = kt or kf
        ratio = f"{ms / ref:.2f} ({'torch' if kt else 'tf'})" if ref else "-"
        print(f"| {name} | {cell(ms)} | {cell(kt)} | {cell(kf)} | {ratio} |")


if __name__ == "__main__":
    main()
