"""Process-wide runtime settings: thread counts for BLAS and numba, and the allocator.

Threads. minikeras runs on ONE thread by default. On a 2-core machine two threads help each
framework by only 1.2-1.6x when the machine is quiet, but when another process also spins OpenMP
threads, two-thread runs slow down 50-70x while one-thread runs do not (measured on the anchors,
see `benchmarks/README.md`). Set `MINIKERAS_NUM_THREADS=2` (or call
`keras.config.set_num_threads(2)`) to use more; `MINIKERAS_NUM_THREADS=0` leaves the BLAS and
numba defaults untouched.

With more than one thread, BLAS still runs on one: minikeras splits large products and its
convolution, pooling and recurrent kernels over its own threads (`kernels/threads.py`), whose
workers poll for at most 1 ms after a job and then sleep (`MINIKERAS_SPIN_US`). OpenBLAS's
workers spin for much longer after each call, and on the 2-core benchmark machine that spinning
slowed the code between GEMMs by up to 2x, by chance from one process to the next.

Allocator. Training allocates and frees the same large temporary arrays every step. glibc hands
blocks above its mmap threshold back to the kernel on free, and each new step then pays page
faults for them again (about 20% of a small CNN's step). Raising the thresholds keeps that memory
in the process for reuse. `MINIKERAS_MALLOPT=0` turns this off.
"""

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
