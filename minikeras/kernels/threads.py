"""Splitting a kernel's work over minikeras's threads; BLAS itself stays on one thread.

The numba kernels are compiled with `nogil=True` and numpy's `matmul` releases the GIL, so plain
Python threads run them in parallel. `run_blocks(fn, n)` splits `range(n)` into contiguous
blocks and calls `fn(i0, i1)` on each: on the caller's thread and `num_threads() - 1` threads of
a persistent pool, each taking the next block until none is left, so that a thread slowed down
by another process does less of the work instead of holding up the rest. `matmul(a, b)` splits
a large 2-D product by rows (or columns) the same way.

Why not OpenBLAS's own threads: with two threads (`MINIKERAS_NUM_THREADS=2`) minikeras keeps
BLAS at one thread and splits the work itself. OpenBLAS's idle workers spin for a while after
each call, and on the 2-core benchmark machine that spinning slowed the code running between
GEMMs (numba loops, Python) by up to 2x; how often depended on chance timing and on
`OPENBLAS_THREAD_TIMEOUT` (the mlp step took 3.5 or 6.5 ms from one process to the next at the
same setting). The pool threads here sleep on a lock between jobs and never spin.

Why not `parallel=True`: numba's prange compiles each specialization 2-3x slower (cold start
matters here: the video QA model's first step), and the GEMMs between the loops are BLAS calls
that numba cannot fuse into a parallel region anyway.
"""

import concurrent.futures
import contextlib
import os
import threading

import numpy as np

from ..core import runtime

_pool = None  # (ThreadPoolExecutor, size, pid): a forked child makes its own
_pool_lock = threading.Lock()


def num_threads():
    """The count `keras.config.set_num_threads` (or MINIKERAS_NUM_THREADS) chose; with
    MINIKERAS_NUM_THREADS=0, numba's (NUMBA_NUM_THREADS or `numba.set_num_threads`)."""
    n = runtime.get_num_threads()
    if n is not None:
        return n
    import numba  # only here: this module stays importable without numba (ops.matmul uses it)

    return max(1, numba.get_num_threads())


def _executor(n):
    """A pool of at least `n` threads owned by this process."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[1] < n or _pool[2] != os.getpid():
            pool = concurrent.futures.ThreadPoolExecutor(n, thread_name_prefix="minikeras")
            _pool = (pool, n, os.getpid())
        return _pool[0]


def bounds(n, blocks, multiple=1):
    """Cuts `range(n)` into `blocks` contiguous pieces whose starts are multiples of `multiple`;
    returns the `blocks + 1` cut points (empty pieces dropped)."""
    groups = -(-n // multiple)
    blocks = max(1, min(blocks, groups))
    cuts = [min(n, multiple * (groups * k // blocks)) for k in range(blocks + 1)]
    return sorted(set(cuts))


def run_blocks(fn, n, threads=None, per_thread=2, multiple=1):
    """Calls `fn(i0, i1)` for contiguous blocks covering `range(n)`, on `threads` threads
    (default `num_threads()`: the caller's and `threads - 1` pool threads, each taking the next
    block until none is left); serially as one `fn(0, n)` when that is one thread.

    Returns the list of the calls' results in block order. Every block has finished when it
    returns or raises (a block's exception is re-raised).
    """
    threads = num_threads() if threads is None else threads
    threads = min(threads, -(-n // multiple))
    if threads <= 1:
        return [fn(0, n)]
    cuts = bounds(n, per_thread * threads, multiple)
    pairs = list(zip(cuts[:-1], cuts[1:]))
    results = [None] * len(pairs)
    order = iter(range(len(pairs)))
    take = threading.Lock()

    def work():
        while True:
            with take:
                k = next(order, None)
            if k is None:
                return
            results[k] = fn(*pairs[k])

    with blas_single_thread():
        pool = _executor(threads - 1)
        jobs = [pool.submit(work) for _ in range(threads - 1)]
        try:
            work()
        finally:
            for job in jobs:
                job.exception()  # wait for every block before leaving or raising
        for job in jobs:
            job.result()
    return results


_blas_depth = 0  # nesting depth of blas_single_thread regions
_blas_lock = threading.Lock()


@contextlib.contextmanager
def blas_single_thread():
    """BLAS on one thread inside the block. minikeras keeps it there anyway; this matters only
    when `MINIKERAS_NUM_THREADS=0` left BLAS at its library default."""
    global _blas_depth
    if runtime.get_num_threads() is not None:  # minikeras set BLAS to one thread already
        yield
        return
    with _blas_lock:
        _blas_depth += 1
        if _blas_depth == 1:
            runtime.set_blas_threads(1)
    try:
        yield
    finally:
        with _blas_lock:
            _blas_depth -= 1
            if _blas_depth == 0:
                runtime.set_blas_threads(num_threads())


GEMM_PARALLEL_MIN = 1 << 22  # multiply-adds below which a product stays on one thread (~50 us)


def matmul(a, b, out=None):
    """`a @ b` for 2-D float arrays, split by rows of `a` (or, for few rows, columns of `b`)
    over the kernel threads when it has at least GEMM_PARALLEL_MIN multiply-adds.

    Each block is one single-threaded BLAS call writing its slice of `out`.
    """
    m, k = a.shape
    n = b.shape[1]
    if m * k * n < GEMM_PARALLEL_MIN or (threads := num_threads()) <= 1:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((m, n), dtype=np.result_type(a, b))
    if m >= 32 * threads:
        run_blocks(lambda i0, i1: np.matmul(a[i0:i1], b, out=out[i0:i1]), m, threads,
                   per_thread=1, multiple=16)  # fmt: skip
    else:
        run_blocks(lambda j0, j1: np.matmul(a, b[:, j0:j1], out=out[:, j0:j1]), n, threads,
                   per_thread=1, multiple=16)  # fmt: skip
    return out
