"""Process-wide runtime settings: thread counts for BLAS and numba, and the allocator.

Threads. minikeras runs on ONE thread by default. On a 2-core machine two threads help each
framework by only 1.2-1.6x when the machine is quiet, but when another process also spins OpenMP
threads, two-thread runs slow down 50-70x while one-thread runs do not (measured on the anchors,
see `benchmarks/README.md`). Set `MINIKERAS_NUM_THREADS=2` (or call
`keras.config.set_num_threads(2)`) to use more; `MINIKERAS_NUM_THREADS=0` leaves the BLAS and
numba defaults untouched.

BLAS thread wake-up. After each threaded call OpenBLAS's worker threads keep spinning for about
2^28 cycles (0.1 s) before they sleep, and on the 2-core benchmark machine that spinning slows the
serial numba kernels running between GEMMs: the video QA step took 12-17 ms at two threads
(bimodal from run to run) and the LSTM step 40-52 ms. With more than one thread minikeras sets
OpenBLAS's `OPENBLAS_THREAD_TIMEOUT` to 20 (2^20 cycles, about 0.3 ms) unless the environment
already sets it, and restarts OpenBLAS's thread pool so the value takes effect: video QA 11.3 ms,
LSTM 34 ms, the MLP unchanged (3.5 ms). Measured over timeouts 4..22: 4 slows the MLP and CNN by
5% (every call wakes sleeping threads), 8-18 and 22 sit between.

Allocator. Training allocates and frees the same large temporary arrays every step. glibc hands
blocks above its mmap threshold back to the kernel on free, and each new step then pays page
faults for them again (about 20% of a small CNN's step). Raising the thresholds keeps that memory
in the process for reuse. `MINIKERAS_MALLOPT=0` turns this off.
"""

import ctypes
import os
import sys

_threads = None


BLAS_THREAD_TIMEOUT = "20"  # log2 of the cycles OpenBLAS workers spin before sleeping


def _loaded_blas():
    """ctypes handles of the BLAS libraries loaded into this process."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if ".so" in line and ("blas" in line or "mkl" in line)}
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
    names = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
             "openblas_set_num_threads64_", "openblas_set_num_threads", "MKL_Set_Num_Threads")
    setters = []
    for lib in _loaded_blas():
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                setters.append(fn)
                break
    return setters


def _shorten_blas_spin():
    """Applies OPENBLAS_THREAD_TIMEOUT (default `BLAS_THREAD_TIMEOUT`) to the loaded OpenBLAS
    libraries: re-reads the environment and stops the worker threads; OpenBLAS starts them again,
    with the new timeout, on its next threaded call."""
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", BLAS_THREAD_TIMEOUT)
    for lib in _loaded_blas():
        read_env = getattr(lib, "openblas_read_env", None)
        shutdown = getattr(lib, "blas_thread_shutdown_", None)
        if read_env is not None and shutdown is not None:
            read_env()
            shutdown()


def set_num_threads(n):
    """Uses `n` threads for BLAS (numpy's matmul) and for the parallel numba kernels.

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
    if n > 1:
        _shorten_blas_spin()
    set_blas_threads(n)
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


def configure():
    """Applies `MINIKERAS_NUM_THREADS` (default 1) and the allocator setting; runs at import."""
    value = os.environ.get("MINIKERAS_NUM_THREADS", "1").strip()
    try:
        n = int(value)
    except ValueError:
        n = 1
    if n > 0:
        set_num_threads(n)
    _tune_allocator()
