"""Time one training step of a small MNIST-style CNN with `model.train_on_batch`.

Model: 28x28x1 -> Conv2D(32, 3, relu) -> MaxPooling2D -> Conv2D(64, 3, relu) -> MaxPooling2D
-> Flatten -> Dense(128, relu) -> Dense(10); batch 64, Adam, SparseCategoricalCrossentropy
(from_logits=True). Single thread (numba, OpenMP and BLAS pinned to 1 before any import).
Prints the median milliseconds per step over `--steps` steps after `--warmup` steps, next to
the reference figures measured on the same machine class for the same step:
PyTorch 26.0 ms and Keras 3 (torch backend) 44.9 ms.

    python benchmarks/cnn_step.py               # timing
    python benchmarks/cnn_step.py --profile     # plus a cProfile table of the timed steps
    python benchmarks/cnn_step.py --mallopt     # keep freed memory in the heap (see below)

By default glibc returns every freed block above 128 KB to the kernel, so each step's large
temporaries (activations, im2col matrices, gradients) come back as fresh pages: about 3,500
minor page faults and ~7 ms of system time per step here. `--mallopt` raises glibc's mmap and
trim thresholds (as `MALLOC_MMAP_THRESHOLD_`/`MALLOC_TRIM_THRESHOLD_` would) to show the cost.
"""

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import minikeras as keras  # noqa: E402

ANCHORS_MS = {"PyTorch": 26.0, "Keras 3 on torch": 44.9}


def build_model():
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--profile", action="store_true", help="print a cProfile table")
    parser.add_argument(
        "--mallopt", action="store_true", help="keep freed memory in the heap (glibc only)"
    )
    args = parser.parse_args()
    if args.mallopt:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((args.batch, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=args.batch).astype("int32")
    model = build_model()

    for _ in range(args.warmup):  # compiles the numba kernels, builds the optimizer
        model.train_on_batch(x, y)
    times = []
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    cpu = time.process_time()  # user + system time of this process: robust on a busy machine
    for _ in range(args.steps):
        start = time.perf_counter()
        model.train_on_batch(x, y)
        times.append((time.perf_counter() - start) * 1e3)
    median = statistics.median(times)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / args.steps
    cpu = (time.process_time() - cpu) / args.steps * 1e3
    print(
        f"minikeras train_on_batch: median {median:.1f} ms/step over {args.steps} steps "
        f"(min {min(times):.1f}, max {max(times):.1f}), batch {args.batch}, 1 thread, "
        f"{faults:.0f} page faults/step; process CPU time {cpu:.1f} ms/step"
    )
    for name, ms in ANCHORS_MS.items():
        print(f"  vs {name:<17} {ms:5.1f} ms/step: {median / ms:.2f}x")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.steps):
            model.train_on_batch(x, y)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        print(f"\ncProfile of {args.steps} steps, by own time:")
        stats.sort_stats("tottime").print_stats(20)
        print("by cumulative time:")
        stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
