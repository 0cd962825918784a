"""Splitting a kernel's work over minikeras's threads, and BLAS held to one thread meanwhile.

The numba kernels are compiled with `nogil=True` and numpy's `matmul` releases the GIL, so plain
Python threads run them in parallel. `run_blocks(fn, n)` splits `range(n)` into contiguous
blocks and calls `fn(i0, i1)` on each from a persistent pool of `numba.get_num_threads()`
threads (the caller's thread takes the first block). Blocks are small enough (`per_thread`
blocks per thread, taken in turn) that a thread slowed by another process on the same core does
less of the work instead of holding up the rest.

While the blocks run, BLAS is set to one thread (`blas_single_thread`): each block's GEMM then
runs on its own thread instead of several blocks competing for OpenBLAS's pool, which would
put 4 busy threads on 2 cores.

Why not `parallel=True`: numba's prange compiles each specialization 2-3x slower (cold start
matters here: the video QA model's first step), and the GEMMs between the loops are BLAS calls
that numba cannot fuse into a parallel region anyway.
"""

import concurrent.futures
import contextlib
import os
import threading

import numba

from ..core import runtime

_pool = None  # (ThreadPoolExecutor, size, pid): a forked child makes its own
_pool_lock = threading.Lock()


def num_threads():
    """numba's thread count: NUMBA_NUM_THREADS, or what `numba.set_num_threads` chose."""
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
    """BLAS on one thread inside the block, restored to minikeras's thread count after it."""
    global _blas_depth
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
                runtime.set_blas_threads(runtime.get_num_threads() or num_threads())
