"""Softmax over the last axis of data viewed as `(rows, classes)`, forward and backward.

Attention scores are large (`(batch, heads, T, S)`: 2M values for the keras.io transformer
block) and softmax as numpy expressions makes five passes forward (max, subtract, exp, sum,
divide) and four backward. Here the max and the shift are one pass, numpy's SIMD `exp` runs in
place (numba's scalar `exp` is several times slower than numpy's without Intel's SVML), and the
sum and the division are one pass; the backward `s * (d - sum(d * s))` is one loop per row.
`fastmath` reassociation lets LLVM vectorise the row sums. Measured on 1 thread, (16384, 128)
float32: forward ~3.8 ms and backward ~2.2 ms against ~5.9 and ~4.1 ms for the numpy
expressions (noisy shared machine, min of 20).
"""

import numba
import numpy as np

_FASTMATH = {"reassoc", "contract"}


def softmax_ref(x):
    """Reference for `softmax`."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax(x):
    """Softmax of each row of C-contiguous float `x` (rows, classes), classes >= 1."""
    e = np.empty_like(x)
    _shift(x, e)
    np.exp(e, out=e)
    _normalize(e)
    return e


@numba.njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _shift(x, e):
    rows, n = x.shape
    for i in range(rows):
        m = x[i, 0]
        for j in range(1, n):
            m = max(m, x[i, j])
        for j in range(n):
            e[i, j] = x[i, j] - m


@numba.njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _normalize(e):
    rows, n = e.shape
    for i in range(rows):
        s = e.dtype.type(0)
        for j in range(n):
            s += e[i, j]
        for j in range(n):
            e[i, j] /= s


def softmax_grad_ref(s, d):
    """Reference for `softmax_grad`."""
    return s * (d - (d * s).sum(axis=1, keepdims=True))


def softmax_grad(s, d):
    """Gradient of `softmax` given its output `s` and the output gradient `d` (both (rows,
    classes), C-contiguous, one dtype)."""
    g = np.empty_like(s)
    _softmax_grad(s, d, g)
    return g


@numba.njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _softmax_grad(s, d, g):
    rows, n = s.shape
    for i in range(rows):
        t = s.dtype.type(0)
        for j in range(n):
            t += d[i, j] * s[i, j]
        for j in range(n):
            g[i, j] = s[i, j] * (d[i, j] - t)
