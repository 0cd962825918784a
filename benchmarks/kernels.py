"""Kernel benchmark: GEMM and conv2d speed of minikeras beside numpy's BLAS and PyTorch.

Prints, in one run: float32 GEMM GFLOP/s (1024^3 and the MLP 784-512-512-10 shapes at batch 128,
forward and backward) of `minikeras.ops.matmul`, numpy and torch; conv2d forward and
forward+backward (input and kernel gradients) for the CNN's two layers; the cold compile time of
the conv/pool kernels (fresh NUMBA_CACHE_DIR, in a subprocess) and the warm `import minikeras`
time. Everything runs single-threaded (see the header it prints). The torch column comes from
this interpreter when it has torch, else from `--torch-python` (default: the anchors venv) in a
subprocess, else it is left out.

    python benchmarks/kernels.py [--quick] [--torch-python PATH]
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy/torch/numba start their thread pools

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANCHORS_PYTHON = os.path.expanduser("~/.cache/minikeras-anchors/bin/python")
GEMMS = [  # name, m, k, n
    ("square 1024^3", 1024, 1024, 1024),
    ("fwd1  X@W1", 128, 784, 512),
    ("fwd2  H1@W2", 128, 512, 512),
    ("fwd3  H2@W3", 128, 512, 10),
    ("bwd3w H2^T@dZ3", 512, 128, 10),
    ("bwd3x dZ3@W3^T", 128, 10, 512),
    ("bwd2w H1^T@dZ2", 512, 128, 512),
    ("bwd2x dZ2@W2^T", 128, 512, 512),
    ("bwd1w X^T@dZ1", 784, 128, 512),
]
CONVS = [  # name, (batch, h, w, cin), (kh, kw, cin, cout)
    ("conv1 64x28x28x1 * 3x3x1x32", (64, 28, 28, 1), (3, 3, 1, 32)),
    ("conv2 64x13x13x32 * 3x3x32x64", (64, 13, 13, 32), (3, 3, 32, 64)),
]


def timeit(fn, budget=0.4, min_reps=5, max_reps=200):
    """(median, min) seconds per call after one warm-up call."""
    fn()
    times, start = [], time.perf_counter()
    while len(times) < min_reps or (time.perf_counter() - start < budget and len(times) < max_reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def data(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# -- torch (in-process or in another interpreter) ----------------------------------------------


def torch_results(budget):
    import torch

    torch.set_num_threads(1)
    out = {"version": torch.__version__, "gemm": {}, "conv": {}}
    for name, m, k, n in GEMMS:
        a, b = torch.from_numpy(data((m, k), 0)), torch.from_numpy(data((k, n), 1))
        out["gemm"][name] = timeit(lambda: torch.mm(a, b), budget)
    for name, xs, ws in CONVS:
        x = torch.from_numpy(data(xs, 0)).permute(0, 3, 1, 2).contiguous().requires_grad_()
        w = torch.from_numpy(data(ws, 1)).permute(3, 2, 0, 1).contiguous().requires_grad_()
        with torch.no_grad():
            fwd = timeit(lambda: torch.nn.functional.conv2d(x, w), budget)

        def step():
            y = torch.nn.functional.conv2d(x, w)
            y.backward(torch.ones_like(y))
            x.grad = w.grad = None

        out["conv"][name] = {"fwd": fwd, "fwdbwd": timeit(step, budget)}
    return out


def torch_column(args, budget):
    try:
        import torch  # noqa: F401

        return torch_results(budget), "torch (this interpreter)"
    except ImportError:
        pass
    exe = args.torch_python
    if not exe or not os.path.exists(exe):
        return None, "torch not importable: column skipped"
    cmd = [exe, os.path.abspath(__file__), "--torch-only", "--budget", str(budget)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        return None, f"torch subprocess failed, column skipped: {proc.stderr.strip()[-200:]}"
    return json.loads(proc.stdout.splitlines()[-1]), f"torch via {exe}"


# -- minikeras ---------------------------------------------------------------------------------


def minikeras_results(budget):
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import numba

    import minikeras as keras
    from minikeras.core.autodiff import gradients

    numba.set_num_threads(1)
    out = {"gemm": {}, "numpy": {}, "conv": {}}
    for name, m, k, n in GEMMS:
        a, b = data((m, k), 0), data((k, n), 1)
        out["numpy"][name] = timeit(lambda: np.matmul(a, b), budget)
        out["gemm"][name] = timeit(lambda: keras.ops.matmul(a, b), budget)
    for name, xs, ws in CONVS:
        x = keras.Tensor(data(xs, 0), requires_grad=True)
        w = keras.Tensor(data(ws, 1), requires_grad=True)
        with keras.no_grad():
            fwd = timeit(lambda: keras.ops.conv(x, w), budget)

        def step():
            y = keras.ops.conv(x, w)
            gradients(y, [x, w], output_gradient=np.ones(y.shape, np.float32))

        out["conv"][name] = {"fwd": fwd, "fwdbwd": timeit(step, budget)}
    return out


COMPILE_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from minikeras.kernels import conv as kc, pool as kp
res = {"import kernels": time.perf_counter() - t0}
for dtype in ("float32", "float64"):
    x = np.ones((2, 1, 5, 5, 3), dtype)
    g = ((1, 3, 3), (1, 1, 1), (1, 1, 1), (0, 1, 1), (1, 5, 5), 1)
    cols = np.zeros((50, 27), dtype)
    calls = [
        ("im2col", lambda: kc.im2col(x, 0, *g, cols)),
        ("col2im", lambda: kc.col2im(cols, 0, *g, np.zeros_like(x))),
        ("max_pool", lambda: kp.max_pool(x, (1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 2, 2))),
        ("max_pool_grad", lambda: kp.max_pool_grad(np.ones((2, 1, 2, 2, 3), dtype),
                                                   np.zeros((2, 1, 2, 2, 3), np.int64), x.shape)),
        ("avg_pool", lambda: kp.avg_pool(x, (1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 2, 2))),
        ("avg_pool_grad", lambda: kp.avg_pool_grad(np.ones((2, 1, 2, 2, 3), dtype), x.shape,
                                                   (1, 2, 2), (1, 2, 2), (0, 0, 0))),
    ]
    for name, call in calls:
        t0 = time.perf_counter()
        call()
        res[f"{name} {dtype}"] = time.perf_counter() - t0
print(json.dumps(res))
"""


def compile_times():
    """First-call times of every conv/pool kernel: fresh cache (compile), then that cache (load)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    with tempfile.TemporaryDirectory() as cache:
        env["NUMBA_CACHE_DIR"] = cache
        runs = []
        for _ in range(2):
            proc = subprocess.run(
                [sys.executable, "-c", COMPILE_CHILD],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(proc.stdout.splitlines()[-1]))
    return runs


def import_time(reps=5):
    code = "import time, sys; t = time.perf_counter(); import minikeras; "
    code += "print(time.perf_counter() - t, 'numba' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # warm = .pyc files written by the first run
    times, numba_loaded = [], None
    for _ in range(reps + 1):  # the first run writes the .pyc files
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        t, loaded = proc.stdout.split()
        times.append(float(t))
        numba_loaded = loaded
    return statistics.median(times[1:]), min(times[1:]), numba_loaded


# -- report ------------------------------------------------------------------------------------


def busy_seconds():
    """CPU seconds all processes have spent busy (from /proc/stat), or None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        return names[0]
    except (OSError, IndexError):
        import platform

        return platform.processor() or platform.machine()


def merge(best, new):
    """Per timing cell, the (median, min) pair with the smaller median."""
    if best is None or new is None:
        return best or new
    if isinstance(new, dict):
        return {k: merge(best.get(k), v) for k, v in new.items()}
    if isinstance(new, (list, tuple)) and len(new) == 2 and not isinstance(new[0], str):
        return new if new[0] < best[0] else best
    return new


def fmt_gflops(flops, t):
    return f"{flops / t[0] / 1e9:.0f} ({flops / t[1] / 1e9:.0f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    parser.add_argument("--torch-python", default=ANCHORS_PYTHON)
    parser.add_argument("--rounds", type=int, default=3, help="alternating measurement rounds")
    parser.add_argument("--torch-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    budget = args.budget or (0.15 if args.quick else 0.5)
    if args.torch_only:
        print(json.dumps(torch_results(budget)))
        return

    import platform

    import numba

    print("# minikeras kernel benchmark")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__}, {cpu_name()}, {os.cpu_count()} logical CPUs"
    )
    print(
        "single thread: OMP/OPENBLAS/MKL/NUMBA_NUM_THREADS=1 set before any import, "
        "numba.set_num_threads(1), torch.set_num_threads(1)"
    )
    print(
        f"times: median (min) over repeated calls after one warm-up, best of {args.rounds} "
        "alternating rounds per cell; float32; fixed seeds\n"
    )

    # alternate the frameworks for a few rounds and keep each cell's best round: the box is
    # shared, and a quiet minute for one column but not the other would skew the ratio
    busy0, own0, wall0 = busy_seconds(), own_seconds(), time.perf_counter()
    mk = th = None
    for _ in range(args.rounds):
        mk = merge(mk, minikeras_results(budget))
        t, torch_note = torch_column(args, budget)
        th = merge(th, t) if t else th
    print(f"torch column: {torch_note}" + (f" (torch {th['version']})" if th else "") + "\n")

    print("## GEMM, GFLOP/s median (best)\n")
    head = "| GEMM | MxKxN | minikeras ops.matmul | numpy matmul |"
    head += " torch.mm |" if th else ""
    print(head)
    print("|---|---|---|---|" + ("---|" if th else ""))
    for name, m, k, n in GEMMS:
        flops = 2 * m * k * n
        row = f"| {name} | {m}x{k}x{n} | {fmt_gflops(flops, mk['gemm'][name])} | "
        row += f"{fmt_gflops(flops, mk['numpy'][name])} |"
        if th:
            row += f" {fmt_gflops(flops, th['gemm'][name])} |"
        print(row)

    print("\n## conv2d (valid, stride 1), ms per call median (min)\n")
    print("fwd+bwd = forward, then gradients for both the input and the kernel.\n")
    print("| layer | pass | minikeras | torch | minikeras / torch |\n|---|---|---|---|---|")
    for name, _, _ in CONVS:
        for key, label in (("fwd", "forward"), ("fwdbwd", "fwd+bwd")):
            m = mk["conv"][name][key]
            cell = f"{m[0] * 1e3:.2f} ({m[1] * 1e3:.2f})"
            if th:
                t = th["conv"][name][key]
                print(
                    f"| {name} | {label} | {cell} | {t[0] * 1e3:.2f} ({t[1] * 1e3:.2f}) | "
                    f"{m[0] / t[0]:.2f}x |"
                )
            else:
                print(f"| {name} | {label} | {cell} | - | - |")

    cold, warm = compile_times()
    print("\n## Kernel first-call time, s (subprocess, fresh NUMBA_CACHE_DIR)\n")
    print("| kernel | cold: compile + save | warm: load from cache |\n|---|---|---|")
    for key in cold:
        print(f"| {key} | {cold[key]:.3f} | {warm[key]:.3f} |")
    total_cold = sum(v for k, v in cold.items() if k != "import kernels")
    total_warm = sum(v for k, v in warm.items() if k != "import kernels")
    print(f"| **all kernels, both dtypes** | **{total_cold:.2f}** | **{total_warm:.2f}** |")

    if busy0 is not None:
        foreign = (busy_seconds() - busy0 - (own_seconds() - own0)) / (time.perf_counter() - wall0)
        print(
            f"\nforeign load while timing (CPU used by other processes, in cores of "
            f"{os.cpu_count()}): {max(foreign, 0):.2f}; above ~0.3 the ratios are noisy, rerun"
        )
    med, best, numba_loaded = import_time()
    print(
        f"\n## warm `import minikeras`: {med * 1e3:.0f} ms median ({best * 1e3:.0f} ms best) "
        f"over 5 subprocesses; numba imported by it: {numba_loaded}"
    )


if __name__ == "__main__":
    main()
