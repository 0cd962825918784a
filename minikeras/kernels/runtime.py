"""Process-wide runtime settings: thread counts for BLAS and numba, and the allocator.

Threads. minikeras uses the cores this process may run on (`available_cpus()`: the CPU affinity
mask, capped by a cgroup CPU quota such as a container's `--cpus`), as PyTorch and Keras do.
`MINIKERAS_NUM_THREADS=N` (or `keras.config.set_num_threads(N)`) chooses another count;
`MINIKERAS_NUM_THREADS=0` leaves the BLAS and numba defaults untouched.

BLAS always runs on one thread: minikeras splits large products and its convolution, pooling and
recurrent kernels over its own threads (`kernels/threads.py`), whose workers poll for at most
1 ms after a job and then sleep (`MINIKERAS_SPIN_US`). That matters on small shared machines:
OpenBLAS's and OpenMP's workers spin long after each call, and when two processes each spin as
many threads as there are cores, both slow down many times over (50-70x measured on 2 cores,
`benchmarks/README.md`); workers that sleep give the core back. On a machine shared with other
busy processes, `MINIKERAS_NUM_THREADS=1` is still the steadiest choice.

Allocator. Training allocates and frees the same large temporary arrays every step. glibc hands
blocks above its mmap threshold back to the kernel on free, and each new step then pays page
faults for them again (about 20% of a small CNN's step). Raising the thresholds keeps that memory
in the process for reuse. `MINIKERAS_MALLOPT=0` turns this off.
"""

import math

import ctypes
import os
import sys

_threads = None


def _loaded_blas():
    """ctypes handles of the BLAS libraries loaded into this process."""
    try:
        with open("/proc/self/maps") as f:
            paths = {
                line.split()[-1]
                for line in f
                if ".so" in line and ("blas" in line or "mkl" in line)
            }
    except OSError:
        paths = set()
    libs = []
    for path in sorted(paths):
        if not os.path.exists(path):
            continue
        try:
            libs.append(ctypes.CDLL(path))
        except OSError:
            continue
    return libs


_setters = None  # the loaded BLAS libraries' set_num_threads functions, found once


def set_blas_threads(n):
    """Sets the BLAS libraries' thread count only (numba's is left alone); used by the kernels
    that run their own threads around single-threaded GEMMs (`kernels/threads.py`)."""
    global _setters
    if not _setters:  # looked up again until a BLAS library is loaded
        _setters = _blas_setters()
    for setter in _setters:
        setter(n)


def _blas_setters():
    """`set_num_threads` functions of the BLAS libraries loaded into this process."""
    names = (
        "scipy_openblas_set_num_threads64_",
        "scipy_openblas_set_num_threads",
        "openblas_set_num_threads64_",
        "openblas_set_num_threads",
        "MKL_Set_Num_Threads",
    )
    setters = []
    for lib in _loaded_blas():
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                setters.append(fn)
                break
    return setters


def set_num_threads(n):
    """Uses `n` threads for minikeras's kernels (BLAS itself stays on one thread).

    Large matrix products, convolutions, pooling and recurrent layers split their work over
    them (`kernels/threads.py`).

    Args:
        n: a positive int.

    >>> import minikeras as keras
    >>> keras.config.set_num_threads(1)
    >>> keras.config.get_num_threads()
    1
    """
    global _threads
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"set_num_threads expects a positive int. Received: {n!r}")
    _threads = n
    set_blas_threads(1)  # minikeras's own threads split the work (kernels/threads.py)
    if "numba" in sys.modules:
        import numba

        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    else:
        os.environ["NUMBA_NUM_THREADS"] = str(n)


def get_num_threads():
    """Returns the thread count minikeras set for BLAS and numba.

    Returns:
        An int, or None when the count was left to the libraries' defaults
        (`MINIKERAS_NUM_THREADS=0`).

    >>> import minikeras as keras
    >>> n = keras.config.get_num_threads()
    >>> n is None or n >= 1
    True
    """
    return _threads


def _tune_allocator():
    if os.environ.get("MINIKERAS_MALLOPT", "1") == "0" or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)  # the largest value glibc accepts
    libc.mallopt(m_trim_threshold, 256 * 1024 * 1024)


def _read_quota(directory, v2):
    """CPUs allowed by the quota files in one cgroup directory, or None (no limit, unreadable)."""
    try:
        if v2:  # cpu.max: "<quota|max> <period>"
            with open(os.path.join(directory, "cpu.max")) as f:
                quota, period = f.read().split()[:2]
        else:
            with open(os.path.join(directory, "cpu.cfs_quota_us")) as f:
                quota = f.read().strip()
            with open(os.path.join(directory, "cpu.cfs_period_us")) as f:
                period = f.read().strip()
        if quota in ("max", "-1") or int(period) <= 0:
            return None
        return int(quota) / int(period)
    except (OSError, ValueError):
        return None


def _cgroup_quota(proc_cgroup="/proc/self/cgroup", root="/sys/fs/cgroup"):
    """The CPU quota of this process's cgroup in CPUs (cgroup v2 `cpu.max` or v1
    `cpu.cfs_quota_us`), the smallest along the path up to the root; None when there is none."""
    try:
        with open(proc_cgroup) as f:
            entries = [line.rstrip("\n").split(":", 2) for line in f if line.count(":") >= 2]
    except OSError:
        return None
    quotas = []
    for _, controllers, path in entries:
        if controllers == "":  # v2, mounted at the root or (hybrid) at root/unified
            bases, v2 = [root, os.path.join(root, "unified")], True
        elif "cpu" in controllers.split(","):
            bases, v2 = [os.path.join(root, controllers), os.path.join(root, "cpu")], False
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for base in bases:
            for depth in range(len(parts), -1, -1):  # the cgroup, then each of its parents
                quota = _read_quota(os.path.join(base, *parts[:depth]), v2)
                if quota is not None:
                    quotas.append(quota)
    return min(quotas) if quotas else None


def available_cpus():
    """The number of CPUs this process may use: its affinity mask (`taskset`, cpusets), capped by
    its cgroup CPU quota rounded up (a container started with `--cpus=1.5` gets 2), at least 1.

    >>> from minikeras.kernels import runtime
    >>> 1 <= runtime.available_cpus() <= (os.cpu_count() or 1)
    True
    """
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        n = min(n, max(1, math.ceil(quota)))
    return max(1, n)


def configure():
    """Applies `MINIKERAS_NUM_THREADS` (default: `available_cpus()`) and the allocator setting;
    runs at import."""
    value = os.environ.get("MINIKERAS_NUM_THREADS", "").strip()
    try:
        n = int(value) if value else available_cpus()
    except ValueError:
        raise ValueError(
            f"MINIKERAS_NUM_THREADS must be an integer (0 keeps the libraries' defaults). "
            f"Received: {value!r}"
        ) from None
    if n > 0:
        set_num_threads(n)
    _tune_allocator()
