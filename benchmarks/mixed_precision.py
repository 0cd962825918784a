"""Mixed-precision training of the cnn workload: float32 vs mixed_float16 vs mixed_bfloat16.

The cnn of `workloads.build_keras(keras, "cnn")` is trained under each global dtype policy
(same seed, same data, Adam 1e-3; `compile` wraps the optimizer in a `LossScaleOptimizer` under
mixed_float16, as Keras 3) on MNIST-shaped generated data with a learnable rule: each of the 10
classes is a fixed random 28x28 template, an image is its class's smooth template plus Gaussian
noise (sigma `NOISE`), clipped to [0, 1], so a model learns it but not perfectly.
Reported: test accuracy after `EPOCHS` epochs, the mean train step time (after the first epoch),
and the loss scale at the end (mixed_float16).

Why mixed precision is slower here: numpy has no float16 GEMM or convolution (its float16
matmul is a scalar loop, ~300x slower than sgemm), numba has no float16 arithmetic and
bfloat16 is an ml_dtypes extension type, so minikeras computes float16/bfloat16 products in
float32 (sgemm on up-cast copies, rounded back), and every layer adds casts of its inputs,
weights and outputs, forward and backward. The float32 arithmetic is the same amount, so mixed
precision on CPU costs time (the casts, and elementwise ops on 2-byte types in numpy's slow
paths) and buys only memory; on accelerators with float16 units, as Keras targets, it is faster.

Usage: python benchmarks/mixed_precision.py [--epochs 3] [--train 6000]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

NOISE = 1.2
POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def make_data(n, seed):
    """MNIST-shaped images of 10 classes with a learnable (and noisy) rule."""
    coarse = np.random.default_rng(0).random((10, 7, 7, 1)).astype(np.float32)
    templates = coarse.repeat(4, axis=1).repeat(4, axis=2)  # smooth 28x28 patterns
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n).astype(np.int32)
    noise = rng.normal(0.0, 1.0, size=(n, 28, 28, 1)).astype(np.float32)
    x = np.clip(templates[y] + noise * NOISE, 0.0, 1.0)
    return x.astype(np.float32), y


class StepTimer:
    """A callback collecting train-batch times (epoch 2 on, as epoch 1 includes warm-up)."""

    def __init__(self, keras):
        class _Timer(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times, self.epoch = [], 0

            def on_epoch_begin(self, epoch, logs=None):
                self.epoch = epoch

            def on_train_batch_begin(self, batch, logs=None):
                self.t0 = time.perf_counter()

            def on_train_batch_end(self, batch, logs=None):
                if self.epoch > 0:
                    self.times.append(time.perf_counter() - self.t0)

        self.callback = _Timer()


def run(policy, epochs, n_train, n_test, batch=64):
    import minikeras as keras
    import workloads

    keras.utils.clear_session()
    keras.config.set_dtype_policy(policy)
    keras.utils.set_random_seed(workloads.SEED)
    model = workloads.build_keras(keras, "cnn")
    workloads.compile_keras(keras, model, "cnn")
    x, y = make_data(n_train, seed=1)
    x_test, y_test = make_data(n_test, seed=2)
    timer = StepTimer(keras).callback
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, callbacks=[timer])
    logits = np.asarray(model.predict(x_test, batch_size=256, verbose=0), np.float32)
    accuracy = float(np.mean(logits.argmax(-1) == y_test))
    scale = getattr(model.optimizer, "dynamic_scale", None)
    keras.config.set_dtype_policy("float32")
    return {
        "policy": policy,
        "accuracy": accuracy,
        "step_ms": 1e3 * float(np.mean(timer.times)) if timer.times else float("nan"),
        "loss_scale": None if scale is None else float(scale.numpy()),
        "output_dtype": str(model.predict(x_test[:2], verbose=0).dtype),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train", type=int, default=4000)
    parser.add_argument("--test", type=int, default=2000)
    args = parser.parse_args()
    rows = [run(p, args.epochs, args.train, args.test) for p in POLICIES]
    base = rows[0]
    print(f"cnn, {args.train} train / {args.test} test images, {args.epochs} epochs, batch 64")
    print(
        "| policy | test accuracy | vs float32 (points) | step (ms) | step / float32 | "
        "final loss scale | output dtype |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['policy']} | {100 * r['accuracy']:.2f}% | "
            f"{100 * (r['accuracy'] - base['accuracy']):+.2f} | {r['step_ms']:.1f} | "
            f"{r['step_ms'] / base['step_ms']:.2f}x | {r['loss_scale'] or '-'} | "
            f"{r['output_dtype']} |"
        )


if __name__ == "__main__":
    main()
