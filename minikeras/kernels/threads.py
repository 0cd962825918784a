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
same setting). The pool threads here poll for the next job for a short, bounded time
(`SPIN_SECONDS`, 1 ms by default, `MINIKERAS_SPIN_US`) and then sleep on a condition variable.

Why poll at all: on the 2-core benchmark VM a futex wake of a sleeping thread costs about 30 us,
since an idle vCPU halts at once, and handing out a job and hearing back that it finished cost
60-100 us per parallel region with the threads sleeping between jobs (a 250 us loop split over
two threads took 230 us). Polling brought that loop to 145 us and, in fresh processes on two
threads, the mlp step from 5.3-5.7 ms to 4.3-4.9 ms. The cost: an idle pool thread keeps its
core busy for up to SPIN_SECONDS after each job, which on a machine shared with other busy
processes made the video QA step 26 % slower than without polling (both were ~3x slower than
on a quiet machine). One thread, the default, starts no pool at all.

Products without the GIL: a split 2-D product (`matmul`) does not go through a Python job.
Its blocks are posted to the pool threads' polling loops (`pool_gemm.py`), which call BLAS
from numba directly, so a block starts as soon as it is posted instead of after a GIL handoff
(45-60 us each way on the VM); a block that no polling thread claims is run by the caller.

Why not `parallel=True`: numba's prange compiles each specialization 2-3x slower (cold start
matters here: the video QA model's first step), and the GEMMs between the loops are BLAS calls
that numba cannot fuse into a parallel region anyway.
"""

import contextlib
import math
import os
import threading

import numpy as np

from . import runtime

_pool = None  # (_Pool, pid): a forked child makes its own
_pool_lock = threading.Lock()


def _spin_seconds():
    """MINIKERAS_SPIN_US (default 1000) in seconds; 1 ms when it is not a number."""
    try:
        return max(0.0, float(os.environ.get("MINIKERAS_SPIN_US", "1000")) * 1e-6)
    except ValueError:
        return 1e-3


# how long an idle pool thread polls for its next job (and the caller for the pool) before it
# sleeps: MINIKERAS_SPIN_US microseconds, default 1000; 0 sleeps at once
SPIN_SECONDS = _spin_seconds()


def num_threads():
    """The count `keras.config.set_num_threads` (or MINIKERAS_NUM_THREADS) chose; with
    MINIKERAS_NUM_THREADS=0, numba's (NUMBA_NUM_THREADS or `numba.set_num_threads`)."""
    n = runtime.get_num_threads()
    if n is not None:
        return n
    import numba  # only here: this module stays importable without numba (ops.matmul uses it)

    return max(1, numba.get_num_threads())


class _Pool:
    """Persistent threads that run one job at a time alongside the caller.

    `flags[0]` counts the jobs handed out and `flags[1 + i]` the last job thread i finished.
    Between jobs a thread polls `flags[0]` for SPIN_SECONDS (`kernels/spin.py`), then sleeps on
    a condition variable; the caller polls for the threads' flags the same way.
    """

    def __init__(self, size):
        from . import load

        self.spin = load("spin")
        self.spins = self.spin.spins_for(SPIN_SECONDS)
        self.size = size
        self.flags = np.zeros(1 + size, np.int64)
        # product blocks posted to the threads (`pool_gemm.py`), and how long a caller waits
        # for a thread to claim its block before running it itself (~20 us)
        self.gemm = load("pool_gemm")
        self.posts = np.zeros((size, self.gemm.FIELDS), np.int64)
        self.claim_spins = int(self.spins * 20e-6 / SPIN_SECONDS) if SPIN_SECONDS else 0
        self.gemm.serve(np.ones(1, np.int64), 1, 1, self.posts, 0)  # compiled here, not racing
        self.job, self.active, self.errors = None, 0, []
        self.busy = threading.Lock()  # one job at a time; a second caller runs alone
        self.wake = threading.Condition()  # sleeping pool threads wait here
        self.done = threading.Condition()  # a sleeping caller waits here
        self.sleepers, self.caller_sleeping = 0, False
        for i in range(size):
            thread = threading.Thread(target=self._serve, args=(i,), name=f"minikeras-{i}")
            thread.daemon = True
            thread.start()

    def _serve(self, i):
        job = 0
        while True:
            job += 1
            # poll for the next job, running posted product blocks; when the poll times out,
            # sleep until the next job or a posted block (then poll again, which claims it)
            while not self.gemm.serve(self.flags, job, self.spins, self.posts, i):
                with self.wake:
                    self.sleepers += 1
                    while self.flags[0] < job and not self._posted_to(i):
                        self.wake.wait()
                    self.sleepers -= 1
            if i < self.active:
                try:
                    self.job()
                except BaseException as e:  # re-raised on the caller's thread
                    self.errors.append(e)
            self.flags[1 + i] = job
            if self.caller_sleeping:
                with self.done:
                    self.done.notify()

    def _posted_to(self, i):
        """Whether a product block posted to thread i waits to be claimed."""
        row = self.posts[i]
        return row[self.gemm.SEQ] > row[self.gemm.CLAIMED]

    def wake_for_posts(self):
        """Wakes sleeping pool threads to claim the blocks just posted to them."""
        if self.sleepers:
            with self.wake:
                self.wake.notify_all()

    def run(self, work, threads):
        """Runs `work()` on the caller's thread and `threads - 1` pool threads; returns False
        without running it when another job holds the pool."""
        if not self.busy.acquire(blocking=False):
            return False
        try:
            self.job, self.active, self.errors = work, threads - 1, []
            job = int(self.flags[0]) + 1
            self.flags[0] = job
            if self.sleepers:
                with self.wake:
                    self.wake.notify_all()
            try:
                work()
            finally:  # every block has finished before this returns or raises
                if not self.spin.wait_at_least(self.flags, 1, 1 + self.size, job, self.spins):
                    with self.done:
                        self.caller_sleeping = True
                        while self.flags[1:].min() < job:
                            self.done.wait()
                        self.caller_sleeping = False
            if self.errors:
                raise self.errors[0]
        finally:
            self.job = None
            self.busy.release()
        return True


def _get_pool(n):
    """A pool of at least `n` threads owned by this process."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0].size < n or _pool[1] != os.getpid():
            _pool = (_Pool(n), os.getpid())
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
        if not _get_pool(threads - 1).run(work, threads):
            work()  # the pool is running another caller's job: this one runs alone
    return results


def run_together(work, n):
    """Calls `work()` once on each of `n` threads at the same time (the caller's and `n - 1`
    pool threads), for jobs whose parts wait for each other; returns False without calling it
    when the pool is running another caller's job (the caller then starts its own threads)."""
    with blas_single_thread():
        return _get_pool(n - 1).run(work, n)


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
        if _posted_rows(a, b, out, threads):
            return out
        run_blocks(
            lambda i0, i1: np.matmul(a[i0:i1], b, out=out[i0:i1]),
            m,
            threads,
            per_thread=1,
            multiple=16,
        )
    else:
        run_blocks(
            lambda j0, j1: np.matmul(a, b[:, j0:j1], out=out[:, j0:j1]),
            n,
            threads,
            per_thread=1,
            multiple=16,
        )
    return out


def _posted_rows(a, b, out, threads):
    """`out = a @ b` split by rows, the pool threads' blocks posted to their polling loops
    (`pool_gemm.py`: no GIL handoff) while the caller computes the first block; sleeping
    threads are woken to claim theirs. False (nothing done) when the pool is busy, or the
    arrays do not fit one BLAS call each."""
    from . import blas

    dtype = a.dtype
    if not (dtype == b.dtype == out.dtype and dtype in (np.float32, np.float64)):
        return False
    pool = _get_pool(threads - 1)
    gemm = pool.gemm
    layout = gemm.operand(out)
    if gemm.operand(a) is None or gemm.operand(b) is None or layout is None:
        return False
    if layout[0] != gemm.NO_TRANS:  # the output is written row by row
        return False
    address = blas.gemm_address(dtype)
    if not address or not pool.spins or not pool.busy.acquire(blocking=False):
        return False  # (a pool that does not poll, MINIKERAS_SPIN_US=0, takes Python jobs)
    try:
        cuts = bounds(a.shape[0], threads, 16)
        posted = []
        try:
            with blas_single_thread():
                for t in range(1, len(cuts) - 1):  # block t to pool thread t - 1
                    fields = gemm.fields(address, a, b, out, cuts[t], cuts[t + 1])
                    posted.append((t - 1, gemm.post(pool.posts, t - 1, fields)))
                pool.wake_for_posts()  # a thread whose poll timed out sleeps: wake it
                np.matmul(a[: cuts[1]], b, out=out[: cuts[1]])
        finally:  # the posted blocks read a and b and write out: wait for them in any case
            for me, seq in posted:
                gemm.finish(pool.posts, me, seq, pool.claim_spins)
    finally:
        pool.busy.release()
    return True


def batched_matmul(a, b):
    """`np.matmul(a, b)` for float arrays of rank >= 2, split over the kernel threads when it has
    at least GEMM_PARALLEL_MIN multiply-adds: a stack times a matrix becomes one 2-D product split
    by rows (`matmul`); two stacks of the same leading shape are split by stack entries, each
    block one single-threaded BLAS call writing its slice of the output (on the first axis as
    the stacks are, when it has an entry per thread: no reshape copies a strided stack). Other broadcasts, small
    products and one thread go to `np.matmul` as they are."""
    if a.ndim < 2 or b.ndim < 2 or a.dtype.kind != "f" or a.dtype != b.dtype:
        return np.matmul(a, b)
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    lead = a.shape[:-2] if a.ndim >= b.ndim else b.shape[:-2]
    if math.prod(lead) * m * k * n < GEMM_PARALLEL_MIN or (threads := num_threads()) <= 1:
        return np.matmul(a, b)
    if b.ndim == 2:  # (..., m, k) @ (k, n): one product of all the rows
        rows = a.reshape(-1, k)
        return matmul(rows, b).reshape(a.shape[:-1] + (n,))
    if a.ndim == b.ndim and a.shape[:-2] == b.shape[:-2]:
        batch = math.prod(lead)
        if lead[0] >= threads and a.ndim > 3:  # split the first axis: no reshape, no copy
            out = np.empty(lead + (m, n), dtype=a.dtype)  # (a strided stack, e.g. attention
            run_blocks(  # heads, would be copied whole by a reshape to (batch, m, k))
                lambda i0, i1: np.matmul(a[i0:i1], b[i0:i1], out=out[i0:i1]),
                lead[0],
                threads,
                per_thread=1,
            )
            return out
        if batch >= threads:
            a3, b3 = a.reshape(batch, m, k), b.reshape(batch, k, n)
            out = np.empty((batch, m, n), dtype=a.dtype)
            run_blocks(
                lambda i0, i1: np.matmul(a3[i0:i1], b3[i0:i1], out=out[i0:i1]),
                batch,
                threads,
                per_thread=1,
            )
            return out.reshape(lead + (m, n))
    return np.matmul(a, b)
