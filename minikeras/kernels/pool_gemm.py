"""Matrix-product blocks handed to the pool's threads without the GIL (`threads.matmul`).

A product split over the pool (`threads.run_blocks`) is a Python job: a pool thread polling for
work (`spin.wait_at_least`) sees it at once, but it then needs the GIL to run the job's Python,
and the caller holds the GIL until its own block enters BLAS. On the 2-core benchmark VM that
handoff (a futex sleep and wake) started the pool thread's block 45-60 us after the caller's,
and its end cost the same again: a 128x784 @ 784x512 product split in two took 0.67 ms where
each half took 0.57.

Here the pool threads poll for two things at once (`serve`): the next Python job, and a block
of a product posted in `posts` (one row per pool thread: the BLAS call's sizes, strides,
transposes and data addresses). A posted block runs straight from the polling loop through
the BLAS function's address (as `blas.gemm` does), with no Python and no GIL, and its
completion is a flag the caller polls for.

A block is claimed before it runs (an atomic compare-and-swap on `posts[me, CLAIMED]`), by the
pool thread or, when that thread has stopped polling (it sleeps after `SPIN_SECONDS` idle), by
the caller itself after a short wait (`claim`): exactly one of them runs it, so a product never
waits for a sleeping thread. Orderings: the caller writes the block's fields, then publishes
its sequence number with a release store; the pool thread reads the number with an acquire
load before the fields, and publishes `DONE` with a release store after the product.
"""

import llvmlite.ir as ir
import numba
import numpy as np
from numba.core import types
from numba.extending import intrinsic

from .spin import _load_acquire, _relax, _store_release, _swap_if

# the columns of a post (int64): its sequence number, the last number claimed and finished,
# then the BLAS call
SEQ, CLAIMED, DONE, TRANS_A, TRANS_B, M, N, K, A, LDA, B, LDB, C, LDC, DOUBLE, ADDRESS = range(16)
FIELDS = 16
_ROW_MAJOR, NO_TRANS, _TRANS = 101, 111, 112  # CBLAS constants


def _gemm_intrinsic(real_type):
    @intrinsic
    def call(typingctx, address, ta, tb, m, n, k, a, lda, b, ldb, c, ldc):
        """cblas_?gemm(RowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, ldc) at `address`,
        every argument an integer (the data as addresses)."""
        if not all(isinstance(t, types.Integer) for t in (address, ta, tb, m, n, k, a, lda)):
            return None

        def codegen(context, builder, signature, args):
            real = real_type()
            i32, i64 = ir.IntType(32), ir.IntType(64)
            ptr = real.as_pointer()
            fnty = ir.FunctionType(
                ir.VoidType(),
                [i32, i32, i32, i64, i64, i64, real, ptr, i64, ptr, i64, real, ptr, i64],
            )
            v = [context.cast(builder, a, t, types.int64) for a, t in zip(args, signature.args)]
            address, ta, tb, m, n, k, a, lda, b, ldb, c, ldc = v
            builder.call(
                builder.inttoptr(address, fnty.as_pointer()),
                [
                    ir.Constant(i32, _ROW_MAJOR),
                    builder.trunc(ta, i32),
                    builder.trunc(tb, i32),
                    m,
                    n,
                    k,
                    ir.Constant(real, 1.0),
                    builder.inttoptr(a, ptr),
                    lda,
                    builder.inttoptr(b, ptr),
                    ldb,
                    ir.Constant(real, 0.0),
                    builder.inttoptr(c, ptr),
                    ldc,
                ],
            )
            return context.get_dummy_value()

        sig = types.none(address, ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
        return sig, codegen

    return call


_sgemm = _gemm_intrinsic(ir.FloatType)
_dgemm = _gemm_intrinsic(ir.DoubleType)


@numba.njit(cache=True, nogil=True)
def _run(posts, me):
    """Runs the product block of row `me` of `posts`."""
    f = posts[me]
    if f[DOUBLE]:
        _dgemm(f[ADDRESS], f[TRANS_A], f[TRANS_B], f[M], f[N], f[K], f[A], f[LDA], f[B], f[LDB],
               f[C], f[LDC])  # fmt: skip
    else:
        _sgemm(f[ADDRESS], f[TRANS_A], f[TRANS_B], f[M], f[N], f[K], f[A], f[LDA], f[B], f[LDB],
               f[C], f[LDC])  # fmt: skip


@numba.njit(cache=True, nogil=True)
def serve(flags, value, spins, posts, me):
    """Polls until flags[0] >= value (True: the pool's next Python job), running each product
    block posted in row `me` of `posts` that it claims; False after `spins` idle reads (at
    least one)."""
    row = posts[me]
    idle = 0
    while True:  # looks at least once, also with spins == 0
        if _load_acquire(flags, 0) >= value:
            return True
        seq = _load_acquire(row, SEQ)
        if seq > _load_acquire(row, CLAIMED) and _swap_if(row, CLAIMED, seq - 1, seq):
            _run(posts, me)
            _store_release(row, DONE, seq)
            idle = 0
            continue
        idle += 1
        if idle >= spins:
            return False
        _relax()


@numba.njit(cache=True, nogil=True)
def post(posts, me, fields):
    """Posts a block (`fields[TRANS_A:]`) to pool thread `me`; returns its sequence number."""
    row = posts[me]
    seq = row[SEQ] + 1
    for i in range(TRANS_A, FIELDS):
        row[i] = fields[i]
    _store_release(row, SEQ, seq)
    return seq


@numba.njit(cache=True, nogil=True)
def finish(posts, me, seq, spins):
    """Waits for the block `seq` posted to thread `me`: if that thread has not claimed it
    within `spins` reads, the caller claims and runs it here. Returns once it is done: 1 when
    the caller ran it, 0 when the pool thread did."""
    row = posts[me]
    for _ in range(spins):
        if _load_acquire(row, CLAIMED) >= seq:
            break
        _relax()
    if _swap_if(row, CLAIMED, seq - 1, seq):  # unclaimed: run it here
        _run(posts, me)
        _store_release(row, DONE, seq)
        return 1
    while _load_acquire(row, DONE) < seq:  # claimed by the pool thread, which is running it
        _relax()
    return 0


def operand(array):
    """(transpose flag, leading dimension) of a 2-D array for a row-major BLAS call, or None
    when its layout does not fit one (its elements neither along rows nor along columns)."""
    item = array.itemsize
    s0, s1 = array.strides
    rows, cols = array.shape
    if s1 == item and s0 % item == 0 and s0 // item >= max(cols, 1):
        return NO_TRANS, s0 // item
    if s0 == item and s1 % item == 0 and s1 // item >= max(rows, 1):
        return _TRANS, s1 // item
    return None


def fields(address, a, b, out, r0, r1):
    """The post of `out[r0:r1] = a[r0:r1] @ b` (`operand` layouts of a and b, `out` C-ordered)."""
    (ta, lda), (tb, ldb) = operand(a), operand(b)
    f = np.zeros(FIELDS, np.int64)
    f[TRANS_A], f[TRANS_B], f[M], f[N], f[K] = ta, tb, r1 - r0, b.shape[1], a.shape[1]
    f[A] = a.ctypes.data + r0 * a.strides[0]
    f[LDA], f[B], f[LDB] = lda, b.ctypes.data, ldb
    f[C] = out.ctypes.data + r0 * out.strides[0]
    f[LDC], f[DOUBLE], f[ADDRESS] = out.strides[0] // out.itemsize, a.dtype == np.float64, address
    return f


def gemm_ref(a, b):
    """Reference for a posted block: `a @ b`."""
    return a @ b
