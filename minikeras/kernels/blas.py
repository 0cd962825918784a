"""Calling the BLAS that numpy already loaded (`cblas_sgemm` / `cblas_dgemm`) from numba kernels.

A kernel that needs a matrix product at every step of a loop (the LSTM inference kernel, one
product per time step) would otherwise return to Python for each `np.matmul` or multiply in its
own loops. numba's `np.dot` would do, but it calls SciPy's BLAS, and SciPy is not a dependency.
numpy's wheels bundle OpenBLAS built with 64-bit integers, whose CBLAS entry points carry a
suffix (`scipy_cblas_sgemm64_`); `gemm_address(dtype)` finds one in the BLAS libraries loaded
into this process (`runtime._loaded_blas`) with ctypes and returns its address, and a kernel
calls it through `gemm(address, ...)`, an intrinsic that casts the integer to a function
pointer. The address is an argument, not a constant compiled into the kernel, so `cache=True`
works: the cached machine code holds no address of this process.

Only the unambiguous ILP64 names are used (a plain `cblas_sgemm` may take 32- or 64-bit
integers depending on the build). When none is found, `gemm_address` returns 0 and `gemm` runs
a plain loop (correct, slow); callers that have a faster path without BLAS check for 0 first.

Measured here (numpy 2.4's OpenBLAS 0.3.31, one thread, AMD EPYC): (64, 256) @ (256, 512),
the LSTM(128) workload's per-step product, 0.17 ms (98 GFLOP/s), against ~75 GFLOP/s for the
4-row blocked loop of `rnn_common._matmul_nt`.
"""

import ctypes

import llvmlite.ir as ir
import numba
import numpy as np
from numba.core import types
from numba.extending import intrinsic

from . import runtime

# (dtype, symbol names in the order tried): ILP64 CBLAS gemm of numpy's bundled OpenBLAS first
_NAMES = {
    np.dtype(np.float32): ("scipy_cblas_sgemm64_", "cblas_sgemm64_"),
    np.dtype(np.float64): ("scipy_cblas_dgemm64_", "cblas_dgemm64_"),
}
_ROW_MAJOR, _NO_TRANS = 101, 111  # CBLAS_ORDER.CblasRowMajor, CBLAS_TRANSPOSE.CblasNoTrans
_found = {}  # dtype -> address (0: none)


def gemm_address(dtype):
    """Address of an ILP64 `cblas_?gemm` for `dtype` (float32 or float64) in the BLAS numpy
    loaded, or 0 when there is none (other dtypes, another BLAS)."""
    dtype = np.dtype(dtype)
    if dtype not in _found:
        _found[dtype] = _lookup(_NAMES.get(dtype, ()))
    return _found[dtype]


def _lookup(names):
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy loads its BLAS on first use
    for lib in runtime._loaded_blas():
        for name in names:
            try:
                fn = getattr(lib, name)
            except AttributeError:
                continue
            return ctypes.cast(fn, ctypes.c_void_p).value or 0
    return 0


@intrinsic
def _cblas_gemm(typingctx, address, m, n, k, a, lda, b, ldb, c, ldc):
    """cblas_?gemm(RowMajor, NoTrans, NoTrans, m, n, k, 1, a, lda, b, ldb, 0, c, ldc) through the
    function at `address` (integers: the array pointers and ILP64 sizes)."""
    ints = (address, m, n, k, lda, ldb, ldc)
    if not all(isinstance(t, types.Integer) for t in ints):
        return None
    if not (isinstance(a, types.Array) and a.dtype in (types.float32, types.float64)):
        return None
    if b != a or c != a:
        return None

    def codegen(context, builder, signature, args):
        address, m, n, k, a, lda, b, ldb, c, ldc = args
        aty = signature.args[4]
        real = context.get_value_type(aty.dtype)
        i32, i64 = ir.IntType(32), ir.IntType(64)
        ptr = real.as_pointer()
        fnty = ir.FunctionType(
            ir.VoidType(), [i32, i32, i32, i64, i64, i64, real, ptr, i64, ptr, i64, real, ptr, i64]
        )
        fn = builder.inttoptr(
            context.cast(builder, address, signature.args[0], types.int64), fnty.as_pointer()
        )

        def data(value):
            return context.make_array(aty)(context, builder, value).data

        def i(value, ty):
            return context.cast(builder, value, ty, types.int64)

        sig = signature.args
        builder.call(
            fn,
            [
                ir.Constant(i32, _ROW_MAJOR),
                ir.Constant(i32, _NO_TRANS),
                ir.Constant(i32, _NO_TRANS),
                i(m, sig[1]),
                i(n, sig[2]),
                i(k, sig[3]),
                ir.Constant(real, 1.0),
                data(a),
                i(lda, sig[5]),
                data(b),
                i(ldb, sig[7]),
                ir.Constant(real, 0.0),
                data(c),
                i(ldc, sig[9]),
            ],
        )
        return context.get_dummy_value()

    return types.none(address, m, n, k, a, lda, b, ldb, c, ldc), codegen


@numba.njit(cache=True, nogil=True)
def gemm(address, m, n, k, a, b, c):
    """c[:m, :n] = a[:m, :k] @ b[:k, :n] for C-contiguous 2-D float arrays of one dtype, through
    the BLAS function at `address` (`gemm_address`), or a plain loop when it is 0."""
    if m > a.shape[0] or k > a.shape[1] or k > b.shape[0] or n > b.shape[1]:
        raise ValueError("gemm: sizes outside the arrays")
    if m > c.shape[0] or n > c.shape[1]:
        raise ValueError("gemm: sizes outside the output")
    if m == 0 or n == 0:
        return
    if address != 0 and k > 0:
        _cblas_gemm(address, m, n, k, a, a.shape[1], b, b.shape[1], c, c.shape[1])
        return
    for i in range(m):
        for j in range(n):
            c[i, j] = 0
        for p in range(k):
            v = a[i, p]
            for j in range(n):
                c[i, j] += v * b[p, j]


def gemm_ref(a, b):
    """Reference for `gemm`."""
    return a @ b
