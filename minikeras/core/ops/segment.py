"""Segment reductions `segment_sum` and `segment_max` (Keras 3's `keras.ops` math functions).

Row `i` of `data` goes to segment `segment_ids[i]`; ids outside `[0, num_segments)` (Keras's -1
padding) are dropped, as Keras's backends drop them.
"""

import numpy as np

from ..tensor import Tensor
from ._base import unwrap

__all__ = ["segment_sum", "segment_max"]


def _prepare(data, segment_ids, num_segments, op):
    a, ta = unwrap(data, op)
    a = np.asarray(a)
    ids = np.asarray(unwrap(segment_ids, op)[0])
    if ids.ndim != 1:
        raise ValueError(
            f"{op}: `segment_ids` should be a 1-D vector. Received: shape "
            f"{ids.shape}. Flatten data and ids first."
        )
    if ids.dtype.kind not in "iu" or a.ndim == 0 or ids.shape[0] != a.shape[0]:
        raise ValueError(
            f"{op}: `segment_ids` must be integers, one per row of `data`. "
            f"Received: data.shape={a.shape}, segment_ids dtype {ids.dtype} "
            f"shape {ids.shape}."
        )
    n = int(ids.max()) + 1 if num_segments is None and ids.size else int(num_segments or 0)
    keep = (ids >= 0) & (ids < n)
    return a, ta, ids, n, keep


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id.

    Args:
        data: tensor whose leading axis is segmented.
        segment_ids: 1-D int tensor, one segment id per row of `data`.
        num_segments: number of output segments; inferred as `max(segment_ids) + 1` if `None`.
        sorted: whether `segment_ids` is sorted (accepted for Keras; the result is the same).

    Returns:
        `(num_segments,) + data.shape[1:]`; empty segments are 0.

    >>> import minikeras as keras
    >>> keras.ops.segment_sum([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], 3).numpy().tolist()
    [3, 30, 300]
    """
    a, ta, ids, n, keep = _prepare(data, segment_ids, num_segments, "segment_sum")
    out = np.zeros((n,) + a.shape[1:], dtype=a.dtype)
    np.add.at(out, ids[keep], a[keep])

    def backward(dout):
        # each kept row receives its segment's upstream gradient
        da = np.zeros(a.shape, dtype=dout.dtype)
        da[keep] = dout[ids[keep]]
        return (da,)

    return Tensor.from_op(out, (ta,), backward, "segment_sum")


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum of the rows of `data` that share a segment id.

    Args:
        data: tensor whose leading axis is segmented.
        segment_ids: 1-D int tensor, one segment id per row of `data`.
        num_segments: number of output segments; inferred as `max(segment_ids) + 1` if `None`.
        sorted: whether `segment_ids` is sorted (accepted for Keras; the result is the same).

    Returns:
        `(num_segments,) + data.shape[1:]`; empty segments hold `-inf` (the dtype's minimum for
        integers), as Keras. The gradient of a maximum reached by several rows is split equally
        between them, as Keras's JAX backend does.

    >>> import minikeras as keras
    >>> keras.ops.segment_max([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], 3).numpy().tolist()
    [2, 20, 200]
    """
    a, ta, ids, n, keep = _prepare(data, segment_ids, num_segments, "segment_max")
    low = -np.inf if a.dtype.kind == "f" else np.iinfo(a.dtype).min if a.dtype.kind in "iu" else 0
    out = np.full((n,) + a.shape[1:], low, dtype=a.dtype)
    np.maximum.at(out, ids[keep], a[keep])

    def backward(dout):
        hit = np.zeros(a.shape, dtype=bool)
        hit[keep] = a[keep] == out[ids[keep]]
        counts = np.zeros(out.shape, dtype=dout.dtype)
        np.add.at(counts, ids[keep], hit[keep].astype(dout.dtype))
        da = np.zeros(a.shape, dtype=dout.dtype)
        share = dout[ids[keep]] / np.maximum(counts[ids[keep]], 1)
        da[keep] = np.where(hit[keep], share, 0)
        return (da,)

    return Tensor.from_op(out, (ta,), backward, "segment_max")
