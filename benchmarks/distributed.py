"""Data-parallel training throughput: 1 process x 1 thread against N processes x 1 thread (MPI).

The cnn and lstm workloads of `workloads.py` (global batch 64) train with `model.fit` under
`keras.distribution.DataParallel`; each run reports samples per second (global samples over the
wall time of the timed epoch, after an untimed warm-up epoch that compiles the kernels) and, for
several processes, the communication share of a step:

- `allreduce`: time inside the per-step collectives (gradients, metric states) as fit runs,
  which includes waiting for the slower rank;
- `pure`: one `Allreduce` of the gradient buffer (the model's parameter count, float32) timed
  alone after a barrier, i.e. what the transport itself costs per step.

    python benchmarks/distributed.py                       # cnn and lstm, 1 vs 2 processes
    python benchmarks/distributed.py --workload cnn --processes 3 --batches 30

Needs `pip install "minikeras[mpi]"` (mpi4py and mpich, which brings `mpiexec`). Run it on a
quiet machine: other processes on the same cores distort the speed-up.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
THREAD_VARS = (
    "MINIKERAS_NUM_THREADS",  # minikeras defaults to every available core: one per process here
    "NUMBA_NUM_THREADS",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
)


def worker(name, batches):
    """Runs in every process: trains, then prints one JSON line (rank 0)."""
    sys.path.insert(0, HERE)
    import numpy as np

    import minikeras as keras
    from minikeras.distribution import mpi
    from workloads import WORKLOADS, build_keras, compile_keras, make_batches

    keras.distribution.initialize()
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=keras.distribution.list_devices())
    )
    spent = [0.0]
    allreduce = mpi.allreduce_sum

    def timed_allreduce(buf):
        start = time.perf_counter()
        out = allreduce(buf)
        spent[0] += time.perf_counter() - start
        return out

    mpi.allreduce_sum = timed_allreduce
    keras.utils.set_random_seed(0)
    data = make_batches(name, batches)
    x = np.concatenate([b[0] for b in data])
    y = np.concatenate([b[1] for b in data])
    batch = WORKLOADS[name]["batch"]
    model = build_keras(keras, name)
    compile_keras(keras, model, name)
    warm = 4 * batch  # compiles the kernels and builds the optimizer
    model.fit(x[:warm], y[:warm], batch_size=batch, epochs=1, shuffle=False, verbose=0)
    mpi.barrier()
    spent[0] = 0.0
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
    mpi.barrier()
    wall = time.perf_counter() - start
    comm_time = spent[0]
    params = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    buf = np.ones(params, np.float32)
    pure = []
    for _ in range(10):
        mpi.barrier()
        t0 = time.perf_counter()
        allreduce(buf)
        pure.append(time.perf_counter() - t0)
    if mpi.rank() == 0:
        steps = len(data)
        print(
            json.dumps(
                {
                    "workload": name,
                    "processes": mpi.size(),
                    "samples_per_s": len(x) / wall,
                    "step_ms": 1e3 * wall / steps,
                    "allreduce_ms_per_step": 1e3 * comm_time / steps,
                    "pure_allreduce_ms": 1e3 * float(np.median(pure)),
                    "params": params,
                }
            )
        )


def run(name, processes, batches):
    env = {**os.environ, **{v: "1" for v in THREAD_VARS}}
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", name, "--batches", str(batches)]
    if processes > 1:
        mpiexec = shutil.which("mpiexec")
        if mpiexec is None:
            raise SystemExit("mpiexec not found: pip install 'minikeras[mpi]'")
        cmd = [mpiexec, "-n", str(processes), *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="cnn,lstm")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batches", type=int, default=20, help="timed steps per run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.batches)
    print(f"load average before: {os.getloadavg()}")
    print("| workload | processes | samples/s | step (ms) | speed-up | allreduce/step | pure |")
    print("|---|---|---|---|---|---|---|")
    for name in args.workload.split(","):
        one = run(name, 1, args.batches)
        many = run(name, args.processes, args.batches)
        for r in (one, many):
            speed = r["samples_per_s"] / one["samples_per_s"]
            share = r["allreduce_ms_per_step"] / r["step_ms"]
            print(
                f"| {name} | {r['processes']} | {r['samples_per_s']:.0f} | {r['step_ms']:.1f} | "
                f"{speed:.2f}x | {r['allreduce_ms_per_step']:.2f} ms ({share:.0%}) | "
                f"{r['pure_allreduce_ms']:.2f} ms ({r['params']:,} params) |"
            )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
