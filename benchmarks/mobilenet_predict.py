"""MobileNetV2 inference benchmark: `predict` on a batch of 8 images at 96x96 (alpha=1.0,
random weights), median milliseconds over 10 runs after a warm-up, single-threaded.

The figure covers the whole `model.predict` path (data adapter, graph replay, conv/depthwise/
BatchNormalization kernels). Also prints the per-image time and the model's parameter count.

    python benchmarks/mobilenet_predict.py [--runs 10] [--batch 8] [--size 96]
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy/numba start their thread pools

import argparse
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import minikeras as keras


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=96)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    model = keras.applications.MobileNetV2(
        input_shape=(args.size, args.size, 3), alpha=1.0, weights=None
    )
    x = np.random.default_rng(0).uniform(-1, 1, (args.batch, args.size, args.size, 3))
    x = x.astype("float32")

    start = time.perf_counter()
    model.predict(x, batch_size=args.batch, verbose=0)  # warm-up: compiles/loads the kernels
    warmup = time.perf_counter() - start
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        model.predict(x, batch_size=args.batch, verbose=0)
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1e3

    print(
        f"MobileNetV2 alpha=1.0 {args.size}x{args.size}, {model.count_params():,} params, "
        f"batch {args.batch}, single thread"
    )
    print(f"warm-up: {warmup * 1e3:.0f} ms")
    print(
        f"predict: median {median:.1f} ms over {args.runs} runs "
        f"(min {min(times) * 1e3:.1f} ms, max {max(times) * 1e3:.1f} ms), "
        f"{median / args.batch:.1f} ms per image"
    )
    return median


if __name__ == "__main__":
    main()
