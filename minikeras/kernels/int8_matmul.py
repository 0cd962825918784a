"""int8 x int8 -> int32 matrix products for quantized inference (`Dense`/`EinsumDense` int8/int4).

Keras 3's int8 `Dense` (`dense.py`, `_int8_call`) quantizes its inputs per row with abs-max
(`scale = 127 / (max|x| + 1e-7)`, `q = clip(round(x * scale), -127, 127)`), multiplies the int8
inputs by the int8 kernel, and divides the product by `kernel_scale * inputs_scale`.
`int8_dense` does exactly that; `int8_matmul` is the integer product alone, and
`int4_matmul` the same with a kernel packed two int4 values per byte (Keras's int4 layout:
packed along the output axis, low nibble first).

Layout: the kernel is taken transposed, `(n, k)` contiguous (`kernel_t`), so each output is one
contiguous dot product, which LLVM vectorizes as sign-extend to int16 + `vpmaddwd` (pairs of
int16 products summed into int32 lanes) + `vpaddd`. The accumulator is int32 and exact: a
product is at most 128 * 128 = 2**14 in magnitude, so up to `MAX_K` = 131071 terms cannot
overflow (longer rows raise rather than wrap).

Measured (`512 x 784 @ 784 x 512`, the mlp's first layer at batch 512, one thread, a 2-core
AVX-512 VM shared with other work, best of 9, runs minutes apart): float32 OpenBLAS sgemm
3.9-4.6 ms, this kernel 7.2-14.4 ms (36-57 GOPS against sgemm's ~90 GFLOPS); at batch 32 sgemm
0.32 ms, this kernel 0.35-0.44 ms. Other loop forms tried were slower or no faster: blocking 2
rows x 2 columns or 1 x 4 (numba's LLVM stops vectorizing several reductions: 21-36 ms), an
outer-product form over output columns (int32 `vpmulld`: 10-20 ms), int16 operands widened
beforehand (no gain), unsigned inputs shifted by 128 so LLVM emits VNNI `vpdpwssd` (8.5-11.7
ms, and a column-sum correction). So int8 inference here trades some speed for 4x smaller
weights; rows are split over minikeras's threads (`threads.run_blocks`) from `PARALLEL_MIN`
multiply-adds, as BLAS calls are split in `threads.matmul`.
"""

import numba
import numpy as np

from . import threads

MAX_K = (2**31 - 1) // (128 * 128)  # 131071 products of magnitude <= 2**14 fit in int32
PARALLEL_MIN = 1 << 22  # multiply-adds below which the product stays on one thread


def int8_matmul_ref(a, b):
    """Reference for `int8_matmul`: the exact int32 product of int8 `a (m, k)` and `b (k, n)`."""
    return a.astype(np.int64) @ b.astype(np.int64)


def _check(a, kernel_t):
    if a.dtype != np.int8 or kernel_t.dtype != np.int8:
        raise TypeError(
            f"int8_matmul expects int8 operands. Received: a.dtype={a.dtype}, "
            f"kernel.dtype={kernel_t.dtype}"
        )
    if a.shape[1] != kernel_t.shape[1]:
        raise ValueError(
            f"int8_matmul: a has {a.shape[1]} columns but the kernel has {kernel_t.shape[1]} "
            f"rows (a.shape={a.shape}, transposed kernel shape={kernel_t.shape})"
        )
    if a.shape[1] > MAX_K:
        raise ValueError(
            f"int8_matmul: k={a.shape[1]} terms could overflow the int32 accumulator "
            f"(at most {MAX_K})."
        )


def int8_matmul(a, kernel_t):
    """`a @ kernel_t.T` for int8 `a (m, k)` and int8 `kernel_t (n, k)`, accumulated in int32.

    Returns:
        An int32 array `(m, n)`, exact.
    """
    a = np.ascontiguousarray(a)
    kernel_t = np.ascontiguousarray(kernel_t)
    _check(a, kernel_t)
    m, n = a.shape[0], kernel_t.shape[0]
    out = np.empty((m, n), np.int32)
    blocks = 1 if m * n * a.shape[1] < PARALLEL_MIN else None
    threads.run_blocks(lambda i0, i1: _rows(a[i0:i1], kernel_t, out[i0:i1]), m, blocks)
    return out


@numba.njit(cache=True, nogil=True)
def _rows(a, kernel_t, out):
    m, k = a.shape
    n = kernel_t.shape[0]
    for i in range(m):
        row = a[i]
        for j in range(n):
            col = kernel_t[j]
            acc = np.int32(0)
            for p in range(k):
                acc += np.int32(row[p]) * np.int32(col[p])
            out[i, j] = acc


def quantize_rows(x, epsilon=1e-7):
    """Keras's per-row abs-max quantization of float inputs (`AbsMaxQuantizer()(x, axis=-1)`).

    Returns:
        `(q, scale)`: int8 `q (m, k)` and the float `scale (m, 1)` (in `x`'s dtype).
    """
    scale = np.divide(127, np.add(np.max(np.abs(x), axis=-1, keepdims=True), epsilon))
    scale = scale.astype(x.dtype, copy=False)
    q = np.clip(np.round(np.multiply(x, scale)), -127, 127).astype(np.int8)
    return q, scale


def int8_dense_ref(x, kernel, kernel_scale, epsilon=1e-7):
    """Reference for `int8_dense` with the kernel in Keras's `(k, n)` layout, in numpy."""
    q, scale = quantize_rows(x, epsilon)
    acc = int8_matmul_ref(q, kernel).astype(np.int32)
    return acc.astype(x.dtype) / (kernel_scale * scale)


def int8_dense(x, kernel_t, kernel_scale, epsilon=1e-7):
    """Keras's int8 Dense product: quantize `x (m, k)` per row, int8 product with
    `kernel_t (n, k)`, divide by `kernel_scale (n,) * inputs_scale (m, 1)`.

    Returns:
        A float array `(m, n)` in `x`'s dtype (bias and activation are the caller's).
    """
    q, scale = quantize_rows(x, epsilon)
    kernel_t = np.ascontiguousarray(kernel_t)
    _check(q, kernel_t)
    if x.dtype != np.float32:  # float16 / bfloat16 / float64 compute: numpy epilogue
        return int8_matmul(q, kernel_t).astype(x.dtype) / (kernel_scale * scale)
    m, n = q.shape[0], kernel_t.shape[0]
    out = np.empty((m, n), np.float32)
    ks = np.ascontiguousarray(kernel_scale, dtype=np.float32).reshape(n)
    xs = scale.reshape(m)

    def block(i0, i1):
        _dense_rows(q[i0:i1], kernel_t, ks, xs[i0:i1], out[i0:i1])

    threads.run_blocks(block, m, 1 if m * n * q.shape[1] < PARALLEL_MIN else None)
    return out


@numba.njit(cache=True, nogil=True)
def _dense_rows(q, kernel_t, ks, xs, out):
    m, k = q.shape
    n = kernel_t.shape[0]
    for i in range(m):
        row = q[i]
        for j in range(n):
            col = kernel_t[j]
            acc = np.int32(0)
            for p in range(k):
                acc += np.int32(row[p]) * np.int32(col[p])
            # Keras's float32 steps: cast the product, multiply the two scales, divide (each
            # rounded to float32; a float64 product or quotient of float32 values rounded once
            # to float32 is the float32 operation's result)
            s = np.float32(ks[j] * xs[i])
            out[i, j] = np.float32(np.float32(acc) / s)


def unpack_int4_t_ref(packed, n):
    """Reference for `unpack_int4_t`: the int8 values of a `(k, ceil(n/2))` kernel packed along
    its last axis (low nibble first), transposed to `(n, k)`."""
    low = (packed & 0x0F).astype(np.int8)
    high = ((packed >> 4) & 0x0F).astype(np.int8)
    low = (low ^ 8) - 8
    high = (high ^ 8) - 8
    full = np.empty((packed.shape[0], 2 * packed.shape[1]), np.int8)
    full[:, 0::2] = low
    full[:, 1::2] = high
    return np.ascontiguousarray(full[:, :n].T)


@numba.njit(cache=True, nogil=True)
def unpack_int4_t(packed, n):
    """Unpacks an int4 kernel packed along its last axis, `(k, ceil(n/2))` int8, into the
    transposed int8 kernel `(n, k)` that `int8_matmul` takes (sign-extended nibbles)."""
    k = packed.shape[0]
    out = np.empty((n, k), np.int8)
    for p in range(k):
        for jj in range(packed.shape[1]):
            byte = np.int32(packed[p, jj])
            lo = ((byte & 0x0F) ^ 8) - 8
            hi = (((byte >> 4) & 0x0F) ^ 8) - 8
            out[2 * jj, p] = lo
            if 2 * jj + 1 < n:
                out[2 * jj + 1, p] = hi
    return out


def int4_matmul(a, packed_kernel, n):
    """`int8_matmul` with an int4 kernel packed along its output axis: `a (m, k)` int8 times
    the `(k, n)` kernel whose values are stored two per byte in `packed_kernel (k, ceil(n/2))`.

    The kernel is unpacked once per call (k * n byte operations, about 1/m of the product's
    work) into a transposed int8 copy that is dropped afterwards.

    Returns:
        The exact int32 product `(m, n)`.
    """
    if packed_kernel.dtype != np.int8:
        raise TypeError(
            f"int4_matmul expects an int8 packed kernel. Received: {packed_kernel.dtype}"
        )
    return int8_matmul(a, unpack_int4_t(np.ascontiguousarray(packed_kernel), n))
