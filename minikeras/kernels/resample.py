"""A banded `(out, in)` matrix applied along one axis through its taps: image resizing.

`resample(a, idx, wts)` takes `a` viewed as `(outer, n_in, inner)` and returns `(outer, n_out,
inner)` with `out[o, j] = sum_k wts[j, k] * a[o, idx[j, k]]`, each output row built in place
from its few taps (2 for bilinear, 4 for bicubic, 6-10 for Lanczos), term by term in tap order,
so it returns what `resample_ref` (numpy: a gather, a multiply and an add per tap over the whole
array, with an intermediate array for each) returns, bit for bit. Outer slices are split over
minikeras's threads from `PARALLEL_MIN` multiply-adds.
"""

import numba
import numpy as np

from . import threads

PARALLEL_MIN = 1 << 20  # multiply-adds below which one thread does it all


def resample_ref(a, idx, wts):
    """Reference for `resample`, in numpy."""
    acc = None
    for k in range(idx.shape[1]):
        term = np.take(a, idx[:, k], axis=1)
        term *= wts[:, k].reshape(1, -1, 1)
        acc = term if acc is None else np.add(acc, term, out=acc)
    return acc


@numba.njit(cache=True, nogil=True)
def _rows(a, idx, wts, out, o0, o1):
    n_out, taps = idx.shape
    inner = a.shape[2]
    for o in range(o0, o1):
        for j in range(n_out):
            row = out[o, j]
            src = a[o, idx[j, 0]]
            w = wts[j, 0]
            for c in range(inner):
                row[c] = src[c] * w
            for k in range(1, taps):
                src = a[o, idx[j, k]]
                w = wts[j, k]
                for c in range(inner):
                    row[c] += src[c] * w


def resample(a, idx, wts):
    """`out[o, j] = sum_k wts[j, k] * a[o, idx[j, k]]` for float32 `a (outer, n_in, inner)`,
    int64 `idx (n_out, K)` (indices in `[0, n_in)`) and float32 `wts (n_out, K)`, K >= 1.

    Returns:
        float32 `(outer, n_out, inner)`.
    """
    a = np.ascontiguousarray(a, dtype=np.float32)
    idx = np.ascontiguousarray(idx, dtype=np.int64)
    wts = np.ascontiguousarray(wts, dtype=np.float32)
    if idx.shape != wts.shape or idx.ndim != 2 or idx.shape[1] < 1:
        raise ValueError(f"resample: idx {idx.shape} and wts {wts.shape} must be equal (n_out, K)")
    if idx.size and (idx.min() < 0 or idx.max() >= a.shape[1]):
        raise ValueError(f"resample: tap indices must lie in [0, {a.shape[1]})")
    outer, _, inner = a.shape
    out = np.empty((outer, idx.shape[0], inner), np.float32)
    work = outer * idx.size * inner
    blocks = 1 if work < PARALLEL_MIN else None
    threads.run_blocks(lambda o0, o1: _rows(a, idx, wts, out, o0, o1), outer, blocks)
    return out
