"""Predict of one workload in several frameworks, interleaved call by call (same machine load).

Each framework runs in its own worker process (minikeras in this interpreter, the anchors in
`--anchor-python`); the coordinator asks the workers in turn for one `predict` over 8 batches
(as `run.py` times it), reversing the order every round, so that a busy machine slows all of
them alike. `minikeras-old` is minikeras with its inference paths switched off (the LSTM's
recording kernels, convolution then bias_act, max pooling with argmax), for an A/B in one run.

    python benchmarks/predict_duel.py lstm --threads 1 --rounds 20 \\
        --frameworks minikeras,minikeras-old,torch,keras-jax
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def worker(framework, workload, threads):
    """Builds the model, then answers each stdin line with the ms per batch of one predict."""
    for var in ("MINIKERAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    sys.path.insert(0, HERE)
    import numpy as np
    import workloads

    batches = workloads.make_batches(workload, 8)
    batch = workloads.WORKLOADS[workload]["batch"]
    if framework == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.manual_seed(workloads.SEED)
        model, _ = workloads.build_torch(torch, workload)
        model.eval()
        tb = [workloads.to_torch_batch(torch, workload, x, y) for x, y in batches]

        def predict_all():
            with torch.inference_mode():
                return [model(*x).numpy() for x, _ in tb]

    else:
        if framework.startswith("minikeras"):
            sys.path.insert(0, os.path.dirname(HERE))
            import minikeras as keras

            if framework == "minikeras-old":
                _inference_paths_off()
        else:
            os.environ["KERAS_BACKEND"] = framework.split("-", 1)[1]
            import keras
        keras.utils.set_random_seed(workloads.SEED)
        model = workloads.build_keras(keras, workload)
        xs = [x for x, _ in batches]
        whole = (
            [np.concatenate(p) for p in zip(*xs)] if isinstance(xs[0], list) else np.concatenate(xs)
        )

        def predict_all():
            return model.predict(whole, batch_size=batch, verbose=0)

    predict_all()
    predict_all()
    print("ready", flush=True)
    for _ in sys.stdin:
        start = time.perf_counter()
        predict_all()
        print((time.perf_counter() - start) / len(batches) * 1e3, flush=True)


def _inference_paths_off():
    from minikeras.core.ops import fused_bias_act, fused_rnn
    from minikeras.kernels import load

    fused_rnn._infers = lambda *a: False
    fused_bias_act._inference = lambda *a: False
    pool = load("pool")
    max_pool = pool.max_pool
    pool.max_pool = lambda *a, with_argmax=True: max_pool(*a)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("workload")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--frameworks", default="minikeras,torch,keras-jax")
    p.add_argument("--anchor-python", default="/work/anchors/bin/python")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        return worker(a.worker, a.workload, a.threads)
    import numpy as np

    names = a.frameworks.split(",")
    procs = {}
    for fw in names:
        python = sys.executable if fw.startswith("minikeras") else a.anchor_python
        cmd = [python, __file__, a.workload, "--threads", str(a.threads), "--worker", fw]
        procs[fw] = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for fw, proc in procs.items():
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{fw} worker did not start")
    times = {fw: [] for fw in names}
    for r in range(a.rounds):
        for fw in names if r % 2 == 0 else names[::-1]:
            proc = procs[fw]
            proc.stdin.write("go\n")
            proc.stdin.flush()
            times[fw].append(float(proc.stdout.readline()))
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    first = np.array(times[names[0]])
    for fw in names:
        t = np.array(times[fw])
        line = (
            f"{a.workload} thr={a.threads} {fw:14s} min {t.min():7.2f} median {np.median(t):7.2f}"
        )
        if fw != names[0]:
            line += f"  {names[0]}/{fw}: min {first.min() / t.min():.2f}, paired median "
            line += f"{np.median(first / t):.2f}"
        print(line + " ms/batch")


if __name__ == "__main__":
    main()
