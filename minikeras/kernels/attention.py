"""Multi-head attention in inference, one (batch, head) pair at a time in cache:
`softmax(q k^T) v` for q `(B, T, H, K)` (already scaled), k `(B, S, H, K)`, v `(B, S, H, V)`.

As separate ops the attention of the keras.io text-classification block (32 x 4 heads x 128 x
128) writes its scores (8 MB) with one batched GEMM, reads and writes them again in the softmax
(three passes) and reads them in the second batched GEMM: on two threads 3.4 ms of the
block's 8.4 ms predict, mostly memory traffic. Here each pair's scores (T x S, 64 KB) stay in
L2: the head's q, k^T and v are copied out of the interleaved layout into small contiguous
blocks, `scores = q @ k^T` and `out = p @ v` go to BLAS (`blas.gemm`, numpy's OpenBLAS called
from numba), and between them each row's softmax runs in registers and L1: the maximum by
`softmax.row_max`, `exp` by `rnn_common._exp32` (a vectorized polynomial, relative error ~1e-7:
numba's scalar `exp` is several times slower, and numpy's cannot be called from here), the sum,
and the division. A boolean mask (a padding or causal mask) is applied as the `Softmax` layer
applies it: masked scores set to `MASKED` before the softmax, their probabilities to 0 after.
Pairs are split over minikeras's threads (each pair is computed alone, so the split does not
change the result).

The numbers are the separate ops' up to float32 rounding: the same products in another
blocking of the GEMM and another `exp`; `attention_ref` is the float64 reference.
"""

import numba
import numpy as np

from . import blas, threads
from .rnn_common import _exp32
from .softmax import row_max

PARALLEL_MIN = 8  # (batch, head) pairs below which one thread does it all
MASKED = -1e9  # a masked score, as the Softmax layer's (`activations/softmax.py`) for float32


def attention_ref(q, k, v, mask=None):
    """Reference for `attention`, in float64: (B, T, H, V)."""
    q64, k64, v64 = (np.asarray(a, np.float64) for a in (q, k, v))
    scores = np.einsum("bthk,bshk->bhts", q64, k64)
    keep = None if mask is None else np.asarray(mask, bool)[:, None]  # (B or 1, 1, T, S)
    if keep is not None:
        scores = np.where(keep, scores, MASKED)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    if keep is not None:
        p = np.where(keep, p, 0.0)
    return np.einsum("bhts,bshv->bthv", p, v64)


@numba.njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _softmax_rows(s):
    """Softmax of each row of float32 `s` in place (a NaN in a row makes it NaN, as numpy's)."""
    for i in range(s.shape[0]):
        row = s[i]
        m = row_max(row)
        total = np.float32(0.0)
        for j in range(row.shape[0]):
            e = _exp32(row[j] - m)
            row[j] = e
            total += e
        for j in range(row.shape[0]):
            row[j] = row[j] / total


@numba.njit(cache=True, nogil=True)
def _mask_rows(s, keep, value):
    """s[t, j] = value where not keep[t, j]."""
    for t in range(s.shape[0]):
        row, kept = s[t], keep[t]
        for j in range(row.shape[0]):
            row[j] = row[j] if kept[j] else value


@numba.njit(cache=True, nogil=True)
def _pairs(q, k, v, mask, out, p0, p1, address):
    """out[b, :, h, :] = softmax(q[b, :, h] @ k[b, :, h].T) @ v[b, :, h] for the pairs
    p = b * H + h in [p0, p1); with a mask (Bm, T, S), Bm 1 or B (empty: none), the masked
    scores become `MASKED` before the softmax and their probabilities 0 after it."""
    heads, depth = q.shape[2], q.shape[3]
    t_len, s_len, v_depth = q.shape[1], k.shape[1], v.shape[3]
    qh = np.empty((t_len, depth), np.float32)
    kt = np.empty((depth, s_len), np.float32)
    vh = np.empty((s_len, v_depth), np.float32)
    scores = np.empty((t_len, s_len), np.float32)
    o = np.empty((t_len, v_depth), np.float32)
    for p in range(p0, p1):
        b, h = p // heads, p % heads
        for t in range(t_len):
            qh[t] = q[b, t, h]
        for s in range(s_len):
            kv = k[b, s, h]
            for d in range(depth):
                kt[d, s] = kv[d]
            vh[s] = v[b, s, h]
        blas.gemm(address, t_len, s_len, depth, qh, kt, scores)
        if mask.shape[0]:
            keep = mask[b if mask.shape[0] > 1 else 0]
            _mask_rows(scores, keep, np.float32(MASKED))
            _softmax_rows(scores)
            _mask_rows(scores, keep, np.float32(0.0))
        else:
            _softmax_rows(scores)
        blas.gemm(address, t_len, v_depth, s_len, scores, vh, o)
        for t in range(t_len):
            out[b, t, h] = o[t]


def attention(q, k, v, mask=None):
    """`softmax(q k^T) v` per (batch, head) for float32 q (B, T, H, K) (scaled already), k
    (B, S, H, K) and v (B, S, H, V): float32 (B, T, H, V).

    `mask`: None, or bool (B, T, S) or (1, T, S), False where a query position may not attend
    to a key position: as the `Softmax` layer with a mask, its scores become `MASKED` before
    the softmax and its probabilities 0 after it (a fully masked row gives a zero output)."""
    if not (q.dtype == k.dtype == v.dtype == np.float32) or q.ndim != 4:
        raise TypeError(
            f"attention expects float32 4-D q, k, v. Received {q.dtype} {q.shape}, {k.dtype} "
            f"{k.shape}, {v.dtype} {v.shape}"
        )
    b, _, heads, depth = q.shape
    if k.shape[0] != b or k.shape[2:] != (heads, depth) or v.shape[:3] != k.shape[:3]:
        raise ValueError(
            f"attention: q {q.shape}, k {k.shape} and v {v.shape} do not fit (batch, time, "
            "heads, depth)"
        )
    if mask is None:
        mask = np.zeros((0, 0, 0), np.bool_)
    elif (
        mask.ndim != 3 or mask.shape[0] not in (1, b) or mask.shape[1:] != (q.shape[1], k.shape[1])
    ):
        raise ValueError(
            f"attention: the mask must be (batch or 1, target, source) = ({b}, {q.shape[1]}, "
            f"{k.shape[1]}). Received: {mask.shape}"
        )
    q, k, v = (np.ascontiguousarray(a) for a in (q, k, v))
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    out = np.empty((b, q.shape[1], heads, v.shape[3]), np.float32)
    address = blas.gemm_address(np.float32)

    def pairs(p0, p1):
        _pairs(q, k, v, mask, out, p0, p1, address)

    n = b * heads
    threads.run_blocks(pairs, n, 1 if n < PARALLEL_MIN else None)
    return out
