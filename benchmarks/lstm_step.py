"""Time one training step of Embedding(10000, 128, mask_zero) -> LSTM(128) -> Dense(1, sigmoid).

Batch 64, length 80, IMDB-like data (75% full length, the rest post-padded with 0 from a random
length in [10, 80)), Adam(1e-3) + binary crossentropy, `model.train_on_batch`: the `lstm`
workload of /work/shared/bench/anchors.py. Prints the median ms per step after warm-up, next to
the reference figures measured for the same step on the machine class (PyTorch eager 52.7 ms on
one thread, 33.9 ms on two; Keras 3 on jax 54.5 / 55.6 ms). Those anchors come from an Intel
Xeon; on the 2-core AMD EPYC dev VM, PyTorch 2.13 eager (the anchors' model and data, one thread)
and this script measured side by side gave 67-68 ms and 65-68 ms per step (CPU time medians).

    python benchmarks/lstm_step.py                # one thread (numba, OpenMP and BLAS pinned)
    python benchmarks/lstm_step.py --threads 2    # two threads
    python benchmarks/lstm_step.py --profile      # plus a cProfile table of the timed steps
    python benchmarks/lstm_step.py --layer        # the LSTM layer alone, forward + backward on
                                                  # (64, 80, 128), beside the alternative design

`--layer` also times the design the kernels did not take: a Python loop over the 80 steps that
calls numpy's BLAS for `h @ recurrent_kernel` (and numpy's vectorized ufuncs for the gates) at
every step, forward and backward. It was no faster than the whole-sequence numba kernels on the
2-core dev box (CPU time 77-80 vs 71-79 ms over three runs), so minikeras keeps the kernels.
The CPU time printed beside the wall time is the better figure on a shared machine.
"""

import argparse
import os
import sys

_threads = "1"
for _i, _arg in enumerate(sys.argv):  # before numpy/numba start their thread pools
    if _arg == "--threads" and _i + 1 < len(sys.argv):
        _threads = sys.argv[_i + 1]
    elif _arg.startswith("--threads="):
        _threads = _arg.split("=", 1)[1]
for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads

import cProfile
import pstats
import resource
import statistics
import time

import numpy as np

import minikeras as keras

T, VOCAB, BATCH, UNITS = 80, 10000, 64, 128
ANCHORS_MS = {
    "1": {"PyTorch eager": 52.7, "Keras 3 on jax": 54.5},
    "2": {"PyTorch eager": 33.9, "Keras 3 on jax": 55.6},
}


def make_data(seed=1234):
    rng = np.random.default_rng(seed)
    lengths = np.where(rng.random(BATCH) < 0.75, T, rng.integers(10, T, size=BATCH))
    x = rng.integers(1, VOCAB, size=(BATCH, T)).astype(np.int32)
    x[np.arange(T)[None, :] >= lengths[:, None]] = 0
    y = rng.integers(0, 2, size=(BATCH, 1)).astype(np.float32)
    return x, y


def build_model():
    inputs = keras.Input(shape=(T,), dtype="int32", name="tokens")
    h = keras.layers.Embedding(VOCAB, 128, mask_zero=True)(inputs)
    h = keras.layers.LSTM(UNITS)(h)
    outputs = keras.layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs, name="lstm")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy())
    return model


def timed(fn, steps, warmup):
    """Wall-clock and CPU milliseconds of each call (the CPU time of all this process's threads:
    on a shared machine it is less disturbed by other processes than the wall clock)."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return wall, cpu


def summary(times):
    wall, cpu = times
    return (
        f"median {statistics.median(wall):.1f} ms (min {min(wall):.1f}, max {max(wall):.1f}); "
        f"CPU time median {statistics.median(cpu):.1f} ms"
    )


# -- the alternative design: a Python loop over steps, numpy BLAS per step --------------------------


def _sigmoid(a, out):
    np.negative(a, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def step_loop_lstm(x2, kernel, rec, bias, batch, steps):
    """Forward + backward of an LSTM (no mask) with one numpy matmul per step and direction;
    returns the gradients like the fused op does (dx, dkernel, drec, dbias)."""
    u = rec.shape[0]
    xw = (x2 @ kernel + bias).reshape(batch, steps, 4 * u).transpose(1, 0, 2).copy()
    h = np.zeros((steps + 1, batch, u), np.float32)
    c = np.zeros((steps + 1, batch, u), np.float32)
    gates = np.empty((steps, batch, 4 * u), np.float32)
    z = np.empty((batch, 4 * u), np.float32)
    for t in range(steps):
        np.matmul(h[t], rec, out=z)
        z += xw[t]
        g = gates[t]
        _sigmoid(z, g)  # i, f, o use these; the candidate block is replaced by tanh below
        np.tanh(z[:, 2 * u : 3 * u], out=g[:, 2 * u : 3 * u])
        np.multiply(g[:, u : 2 * u], c[t], out=c[t + 1])
        c[t + 1] += g[:, :u] * g[:, 2 * u : 3 * u]
        np.tanh(c[t + 1], out=h[t + 1])
        h[t + 1] *= g[:, 3 * u :]
    dz = np.empty((steps, batch, 4 * u), np.float32)
    dh = np.zeros((batch, u), np.float32)
    dh[:] = 1.0  # d(sum of the last output)
    dc = np.zeros((batch, u), np.float32)
    for t in range(steps - 1, -1, -1):
        g = gates[t]
        i, f, cand, o = g[:, :u], g[:, u : 2 * u], g[:, 2 * u : 3 * u], g[:, 3 * u :]
        tc = np.tanh(c[t + 1])
        dc += dh * o * (1 - tc * tc)
        d = dz[t]
        np.multiply(dc * cand, i * (1 - i), out=d[:, :u])
        np.multiply(dc * c[t], f * (1 - f), out=d[:, u : 2 * u])
        np.multiply(dc * i, 1 - cand * cand, out=d[:, 2 * u : 3 * u])
        np.multiply(dh * tc, o * (1 - o), out=d[:, 3 * u :])
        dc *= f
        np.matmul(d, rec.T, out=dh)
    d2 = dz.transpose(1, 0, 2).reshape(batch * steps, 4 * u)
    h2 = h[:-1].transpose(1, 0, 2).reshape(batch * steps, u)
    return d2 @ kernel.T, x2.T @ d2, h2.T @ d2, d2.sum(0)


def layer_benchmark(steps, warmup):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, T, 128)).astype(np.float32)
    layer = keras.layers.LSTM(UNITS)
    layer(x)
    tensor = keras.Variable(x)  # trainable: the input gradient is computed too

    def fused():
        with keras.GradientTape() as tape:
            out = layer(tensor)
        tape.gradient(keras.ops.sum(out), [tensor] + layer.trainable_weights)

    kernel, rec, bias = (np.asarray(w) for w in layer.get_weights())
    x2 = x.reshape(BATCH * T, 128)

    def loop():
        step_loop_lstm(x2, kernel, rec, bias, BATCH, T)

    print(f"LSTM({UNITS}) forward + backward on ({BATCH}, {T}, 128), {_threads} thread(s):")
    print(f"  whole-sequence numba kernels (minikeras): {summary(timed(fused, steps, warmup))}")
    print(f"  Python loop, numpy BLAS per step:         {summary(timed(loop, steps, warmup))}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", default="1", help="numba/BLAS threads (set before import)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile table")
    parser.add_argument("--layer", action="store_true", help="time the LSTM layer alone")
    args = parser.parse_args()
    if args.layer:
        layer_benchmark(args.steps, args.warmup)
        return

    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    times = timed(lambda: model.train_on_batch(x, y), args.steps, args.warmup)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / (
        args.steps + args.warmup
    )
    median = statistics.median(times[0])
    print(
        f"minikeras train_on_batch: {summary(times)} per step over {args.steps} steps, batch "
        f"{BATCH}, length {T}, {args.threads} thread(s), {faults:.0f} page faults/step"
    )
    for name, ms in ANCHORS_MS.get(args.threads, {}).items():
        print(f"  vs {name:<15} {ms:5.1f} ms/step: {median / ms:.2f}x")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.steps):
            model.train_on_batch(x, y)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        print(f"\ncProfile of {args.steps} steps, by own time:")
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
