"""Exact int8 products through float32 BLAS, and the fused int8 `Dense` product built on it.

Integers are exact in float32 up to 2**24. An int8 x int8 product has magnitude at most
127 * 127 (Keras's int8 ranges are symmetric, `[-127, 127]`), so any partial sum of up to
`EXACT_K` = 1040 such products stays below 2**24 in magnitude, whatever order the BLAS adds them
in (FMA included): `sgemm` on the int8 values converted to float32 returns the int32
accumulation bit for bit. Longer rows are cut into chunks of at most `EXACT_K` terms and the
chunks' results summed in int32, exact again.

`int8_matmul_blas(a, kernel)` does that with the kernel converted to float32 one block of
`TILE` output columns at a time, inside the call (the float32 copy of the whole kernel is never
made nor kept: the layer stores int8 only). `int8_dense` is Keras 3.15.1's int8 `Dense` product
(per-row abs-max input quantization, integer product, division by `kernel_scale *
inputs_scale`) on that product, with the input quantization and the rescaling fused in numba
loops; it returns exactly what `kernels.int8_matmul.int8_dense_ref` returns.

Which product (one thread, 784 x 512 int8 kernel, best of 15 on the 2-core VM): rows 1 / 4 / 8
/ 32 / 128 / 512 took 0.05 / 0.16 / 0.31 / 1.25 / 5.0 / 19.6 ms with the numba int8 kernel
(`int8_matmul.int8_dense`, given the kernel already transposed; 0.24 ms more when it has to
transpose it), 0.08 / 0.09 / 0.18 / 0.39 / 1.23 / 5.4 ms through BLAS, and float32 sgemm alone
took 0.02 / 0.11 / 0.14 / 0.32 / 1.06 / 4.1 ms. The BLAS path is sgemm plus two passes over the
inputs (quantization, about 0.07 ms at 128 rows), one conversion of the kernel (0.04 ms) and the
rescaling epilogue (which also adds the bias and applies ReLU, so the float path's bias pass is
saved). So `int8_dense` takes BLAS except for a single row or two with a transposed kernel at
hand (`NUMBA_MAX_ROWS`).
"""

import numba
import numpy as np

from . import int8_matmul as _i8
from .rnn_common import _bits_to_f32

EXACT_K = (2**24) // (127 * 127)  # 1040 products of magnitude <= 127 * 127 stay below 2**24
TILE = 256  # output columns converted to float32 at a time (k * TILE * 4 bytes, in cache)
NUMBA_MAX_ROWS = 4  # below this many rows, with a transposed kernel at hand, numba is faster


def int8_matmul_blas_ref(a, kernel):
    """Reference for `int8_matmul_blas`: the exact int64 product of int-valued `a (m, k)` and
    int8 `kernel (k, n)`, returned as int32."""
    return (np.asarray(a).astype(np.int64) @ kernel.astype(np.int64)).astype(np.int32)


def int8_matmul_blas(a, kernel, tile=TILE, max_k=EXACT_K):
    """`a @ kernel` for int-valued `a (m, k)` (int8, or float32 holding values in [-127, 127])
    and int8 `kernel (k, n)`, through float32 sgemm, exactly.

    Args:
        a: the left operand; its values must be integers in [-127, 127].
        kernel: the int8 right operand; values in [-127, 127] (Keras's int8 range).
        tile: output columns whose kernel block is converted to float32 at once.
        max_k: terms summed by one sgemm (at most `EXACT_K`, which keeps every sum exact).

    Returns:
        float32 `(m, n)` holding the exact integer product when `k <= max_k` (every value is
        below 2**24, so float32 holds it exactly), else int32.
    """
    if kernel.dtype != np.int8:
        raise TypeError(f"int8_matmul_blas expects an int8 kernel. Received: {kernel.dtype}")
    m, k = a.shape
    if kernel.shape[0] != k:
        raise ValueError(
            f"int8_matmul_blas: a has {k} columns but the kernel has {kernel.shape[0]} rows "
            f"(a.shape={a.shape}, kernel.shape={kernel.shape})"
        )
    if max_k > EXACT_K:
        raise ValueError(f"int8_matmul_blas: max_k={max_k} exceeds EXACT_K={EXACT_K}.")
    a = a if a.dtype == np.float32 else a.astype(np.float32)
    n = kernel.shape[1]
    chunks = [(p, min(p + max_k, k)) for p in range(0, k, max_k)] or [(0, 0)]
    out = np.empty((m, n), np.float32 if len(chunks) == 1 else np.int32)
    for j0 in range(0, n, tile):
        j1 = min(j0 + tile, n)
        for c, (p0, p1) in enumerate(chunks):
            block = kernel[p0:p1, j0:j1].astype(np.float32)  # (chunk, tile), dropped after
            part = a[:, p0:p1] @ block  # exact: every partial sum is below 2**24
            if len(chunks) == 1:
                out[:, j0:j1] = part
            elif c == 0:
                out[:, j0:j1] = part.astype(np.int32)
            else:
                out[:, j0:j1] += part.astype(np.int32)
    return out


@numba.njit(cache=True, nogil=True)
def row_scale(x, i, epsilon):
    """Keras's abs-max scale of row `i` of float32 `x`, `127 / (max|x[i]| + epsilon)`, with
    numpy's float32 steps (the sum rounded, then the quotient; a NaN in the row gives NaN)."""
    # max |x| as the largest bit pattern with the sign cleared: for non-negative floats the
    # integer order is the float order, and every NaN pattern lies above inf, so a NaN in the
    # row gives a NaN max (as numpy's) and the loop vectorizes as an integer max
    bits = x[i].view(np.uint32)
    top = np.uint32(0)
    for p in range(x.shape[1]):
        top = max(top, bits[p] & np.uint32(0x7FFFFFFF))
    return scale_of_max_bits(top, epsilon)


@numba.njit(cache=True, nogil=True)
def scale_of_max_bits(top, epsilon):
    """Keras's abs-max scale `127 / (amax + epsilon)` in float32 from `amax`'s bits (a uint32
    with the sign cleared, as `row_scale` finds it)."""
    amax = _bits_to_f32(top)
    return np.float32(np.float32(127.0) / np.float32(amax + np.float32(epsilon)))


@numba.njit(cache=True, nogil=True)
def quantized_value(v, s):
    """`clip(round(v * s), -127, 127)` in float32, rounding half to even as numpy does."""
    magic = np.float32(12582912.0)  # 1.5 * 2**23: (v + magic) - magic rounds half to even
    t = np.float32(v * s)  # |t| <= 127 (+ rounding): the magic add is exact
    r = np.float32(np.float32(t + magic) - magic)
    return min(max(r, np.float32(-127.0)), np.float32(127.0))


@numba.njit(cache=True, nogil=True)
def quantize_rows_f32(x, epsilon):
    """Keras's per-row abs-max input quantization in float32 (`kernels.int8_matmul.quantize_rows`
    is its reference), returning the quantized values as float32 integers.

    Returns:
        `(q (m, k) float32 in [-127, 127], scale (m,) float32)`.
    """
    m, k = x.shape
    q = np.empty((m, k), np.float32)
    scales = np.empty(m, np.float32)
    for i in range(m):
        s = row_scale(x, i, epsilon)
        scales[i] = s
        for p in range(k):
            q[i, p] = quantized_value(x[i, p], s)
    return q, scales


@numba.njit(cache=True, nogil=True)
def rescale_rows(acc, kernel_scale, input_scale, bias, relu):
    """`acc / (kernel_scale[j] * input_scale[i])` with Keras's float32 roundings (the product
    of the scales rounded, then the quotient), then `+ bias[j]` when `bias` is not empty and
    `max(., 0)` when `relu`: the int8 Dense epilogue in one pass."""
    m, n = acc.shape
    out = np.empty((m, n), np.float32)
    has_bias = bias.shape[0] > 0
    for i in range(m):
        xs = input_scale[i]
        for j in range(n):
            s = np.float32(kernel_scale[j] * xs)
            v = np.float32(np.float32(acc[i, j]) / s)
            if has_bias:
                v = np.float32(v + bias[j])
            if relu and v < 0:
                v = np.float32(0.0)
            out[i, j] = v
    return out


def rescale_rows_ref(acc, kernel_scale, input_scale, bias, relu):
    """Reference for `rescale_rows` in numpy's float32 operations."""
    out = acc.astype(np.float32) / (kernel_scale.astype(np.float32) * input_scale[:, None])
    if bias.shape[0]:
        out = out + bias
    return np.maximum(out, np.float32(0)) if relu else out


def int8_dense(x, kernel, kernel_scale, epsilon=1e-7, kernel_t=None):
    """Keras 3.15.1's int8 Dense product on float32 `x (m, k)`: per-row abs-max quantization
    of `x`, exact integer product with int8 `kernel (k, n)`, division by `kernel_scale (n,) *
    inputs_scale (m, 1)`.

    Args:
        x: float32 inputs, 2-D.
        kernel: int8 `(k, n)`, Keras's layout.
        kernel_scale: float32 `(n,)`.
        epsilon: the input quantizer's epsilon.
        kernel_t: optional contiguous `(n, k)` copy of the kernel: with it, fewer than
            `NUMBA_MAX_ROWS` rows take the numba int8 kernel (transposing the kernel on the fly
            costs more than that kernel saves, so without it every batch takes BLAS).

    Returns:
        float32 `(m, n)`, equal to `kernels.int8_matmul.int8_dense_ref(x, kernel, kernel_scale)`.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    ks = np.ascontiguousarray(kernel_scale, dtype=np.float32).reshape(-1)
    if x.shape[0] < NUMBA_MAX_ROWS and kernel_t is not None:
        return _i8.int8_dense(x, kernel_t, ks, epsilon)
    q, scale = quantize_rows_f32(x, epsilon)
    acc = int8_matmul_blas(q, kernel)
    return rescale_rows(acc, ks, scale, np.zeros(0, np.float32), False)
