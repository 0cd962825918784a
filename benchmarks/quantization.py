"""int8 post-training quantization of the mlp and cnn workloads: minikeras vs Keras 3.

For each workload: the float32 model (`workloads.build_keras`, seeded init) trained for 3 epochs
on the benchmark inputs labelled by a fixed random linear teacher (so that its top-1 answers are
decisions, not the near-ties of an untrained model), then `model.quantize("int8")`. Reported: weight bytes of the int8 model / the float32 model, predict
time of the int8 model / the float32 model (same library, batch = the workload's batch, best of
5 passes over 20 batches), and top-1 agreement of the int8 model with the float32 model on the
benchmark data. Keras 3 (the anchors venv, torch backend, one thread) gets the same figures
through a subprocess when present. Keras 3.15.1 quantizes only Dense/EinsumDense/Embedding: in
the cnn only the two Dense layers become int8 and the convolutions stay float32 (in both
libraries), which bounds the cnn's weight ratio and speed-up. The row `cnn+conv` is minikeras's
opt-in `model.quantize("int8", include_conv=True)`, which quantizes the convolutions too (a
minikeras extension; Keras cannot load that model).

Usage: python benchmarks/quantization.py  (MINIKERAS_NUM_THREADS=1 by default)
"""

import json
import os
import pathlib
import subprocess
import sys
import time
import warnings

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
ANCHORS = os.environ.get("KERAS_ANCHORS", "/work/anchors/bin/python")


def measure(keras, name, n_batches=20, repeats=5, include_conv=False):
    import numpy as np

    import workloads

    keras.utils.set_random_seed(workloads.SEED)
    batches = workloads.make_batches(name, n_batches)
    x = np.concatenate([b[0] for b in batches])
    batch = workloads.WORKLOADS[name]["batch"]

    def run(model):
        model.predict(x[:batch], batch_size=batch, verbose=0)  # warm-up / compile
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            y = model.predict(x, batch_size=batch, verbose=0)
            best = min(best, time.perf_counter() - t0)
        return np.asarray(y), best

    def nbytes(model):
        return sum(
            int(np.prod(v.shape)) * np.dtype(str(v.dtype).split(".")[-1]).itemsize
            for v in model.weights
        )

    model = workloads.build_keras(keras, name)
    teacher = np.random.default_rng(7).standard_normal((x[0].size, 10)).astype("float32")
    labels = (x.reshape(len(x), -1) @ teacher).argmax(-1).astype("int32")
    workloads.compile_keras(keras, model, name)
    model.fit(x, labels, batch_size=batch, epochs=3, verbose=0)
    y_float, t_float = run(model)
    b_float = nbytes(model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("int8", **({"include_conv": True} if include_conv else {}))
    y_int8, t_int8 = run(model)
    return {
        "weights_ratio": nbytes(model) / b_float,
        "predict_ratio": t_int8 / t_float,
        "float_ms_per_batch": 1e3 * t_float / n_batches,
        "int8_ms_per_batch": 1e3 * t_int8 / n_batches,
        "top1_agreement": float(np.mean(y_int8.argmax(-1) == y_float.argmax(-1))),
        "float_accuracy": float(np.mean(y_float.argmax(-1) == labels)),
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--keras":
        import torch

        torch.set_num_threads(1)
        import keras

        print(json.dumps({n: measure(keras, n) for n in ("mlp", "cnn")}))
        return
    os.environ.setdefault("MINIKERAS_NUM_THREADS", "1")
    sys.path.insert(0, str(HERE.parent))
    import minikeras

    rows = {"minikeras": {n: measure(minikeras, n) for n in ("mlp", "cnn")}}
    rows["minikeras"]["cnn+conv"] = measure(minikeras, "cnn", include_conv=True)
    if pathlib.Path(ANCHORS).exists():
        env = dict(os.environ, KERAS_BACKEND="torch", OMP_NUM_THREADS="1")
        out = subprocess.run(
            [ANCHORS, __file__, "--keras"], env=env, capture_output=True, text=True, check=True
        )
        rows["keras3"] = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        "| library | workload | weights int8/f32 | predict int8/f32 | f32 ms/batch | "
        "int8 ms/batch | top-1 agreement | f32 accuracy on its labels |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for lib, per in rows.items():
        for name, r in per.items():
            print(
                f"| {lib} | {name} | {r['weights_ratio']:.3f} | {r['predict_ratio']:.2f} | "
                f"{r['float_ms_per_batch']:.2f} | {r['int8_ms_per_batch']:.2f} | "
                f"{100 * r['top1_agreement']:.1f}% | {100 * r['float_accuracy']:.1f}% |"
            )


if __name__ == "__main__":
    main()
