"""Counting, statistics and pairwise ops of Keras 3's `keras.ops`: `argpartition`, `bincount`,
`histogram`, `corrcoef`, `correlate`, `cross`, `cdist` (`keras.ops.numpy` / `keras.ops`), and the
segment reductions `segment_min`, `segment_prod`.

`corrcoef`, `correlate`, `cross` and `cdist` are composed from other ops (gathers, products,
sums), so gradients flow through those ops' backwards; `segment_min` is a primitive whose tied
minima share the gradient; the counting ops give integers or counts and no gradient, as Keras.
"""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import arithmetic as _arithmetic
from . import conversion as _conversion
from . import elementwise as _elementwise
from . import indexing as _indexing
from . import joining as _joining
from . import reduce as _reduce
from ._base import keras_dtype, to_tensor, unwrap
from .linalg import diagonal, matmul, outer
from .segment import _prepare
from .shape import expand_dims, flip, moveaxis, transpose

__all__ = [
    "argpartition",
    "bincount",
    "histogram",
    "corrcoef",
    "correlate",
    "cross",
    "cdist",
    "segment_min",
    "segment_prod",
]


def _array(x, op):
    return np.asarray(unwrap(x, op, weak=False)[0])


def argpartition(x, kth, axis=-1):
    """Indices that partially sort `x` along `axis` so its `kth` element is in sorted place.

    Gathering `x` with the result puts at position `kth` the element sorting would put there,
    no larger elements before it and no smaller ones after it; the order inside each side is
    unspecified (numpy's `argpartition`, as Keras).

    Args:
        x: the tensor to partition.
        kth: the position (or a sequence of positions) to put in sorted place.
        axis: the axis to partition along (default -1, the last axis); `None` flattens `x`.

    Returns:
        An int32 tensor of indices with the shape of `x` (1-D when `axis` is `None`).

    >>> import minikeras as keras
    >>> int(keras.ops.argpartition([3.0, 1.0, 2.0], 0)[0])
    1
    """
    return Tensor(np.argpartition(_array(x, "argpartition"), kth, axis=axis).astype(np.int32))


def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each non-negative integer in `x` (per row for a 2-D `x`), or sums of `weights`.

    Args:
        x: 1-D or 2-D non-negative integer tensor.
        weights: optional tensor like `x`: each occurrence adds its weight instead of 1.
        minlength: the least length of the output's last axis.
        sparse: must be False (minikeras has no sparse tensors).

    Returns:
        int32 counts, or the sums of `weights` in their dtype.

    >>> import minikeras as keras
    >>> keras.ops.bincount([0, 1, 1, 3]).numpy().tolist()
    [1, 2, 0, 1]
    """
    if sparse:
        raise ValueError("bincount: sparse=True is not supported (minikeras has no sparse tensors)")
    a = _array(x, "bincount")
    if a.ndim not in (1, 2) or a.dtype.kind not in "iu":
        raise ValueError(f"bincount expects a 1-D or 2-D integer tensor. Received: x={a!r}")
    w = None if weights is None else _array(weights, "bincount")
    dtype = np.int32 if w is None else dtypes.numpy_dtype(dtypes.promote(a.dtype, w.dtype))
    rows, ws = (a, w) if a.ndim == 2 else (a[None], None if w is None else w[None])
    length = max(int(minlength), int(a.max()) + 1 if a.size else 0)
    out = np.stack(
        [
            np.bincount(r, weights=None if ws is None else ws[i], minlength=length)
            for i, r in enumerate(rows)
        ]
    ).astype(dtype)
    return Tensor(out if a.ndim == 2 else out[0])


def histogram(x, bins=10, range=None):
    """Counts of `x`'s values in `bins` equal bins over `range` (default: `x`'s min and max).

    Args:
        x: a 1-D tensor.
        bins: the number of equal-width bins (default 10).
        range: an optional `(low, high)` tuple; values outside it are not counted. The last
            bin includes its upper edge.

    Returns:
        A tuple `(counts, bin_edges)`, both float tensors as Keras gives them.

    >>> import minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.histogram([0.0, 1.0, 1.0, 4.0], bins=2)]
    [[3.0, 1.0], [0.0, 2.0, 4.0]]
    """
    a = _array(x, "histogram")
    if a.ndim != 1:
        raise ValueError(f"histogram expects a 1-D tensor. Received: x.shape={a.shape}")
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype(dtypes.floatx())
    counts, edges = np.histogram(a, bins=int(bins), range=range)
    return Tensor(counts.astype(dtype)), Tensor(edges.astype(dtype))


def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x` (variables x observations).

    Args:
        x: a 2-D tensor `(num_variables, num_observations)`; integers are cast to floatx.

    Returns:
        A float tensor `(num_variables, num_variables)` of coefficients, clipped to [-1, 1].

    >>> import minikeras as keras
    >>> keras.ops.corrcoef([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]).numpy().tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    x = to_tensor(x, op="corrcoef")
    if x.dtype.kind != "f":
        x = _conversion.cast(x, dtypes.floatx())
    centered = _arithmetic.subtract(x, _reduce.mean(x, axis=-1, keepdims=True))
    cov = matmul(centered, transpose(centered))
    std = _elementwise.sqrt(diagonal(cov))
    return _arithmetic.clip(_arithmetic.divide(cov, outer(std, std)), -1.0, 1.0)


@keras_dtype(weak=False)
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors, `out[k] = sum_n x1[n + k] * x2[n]` (numpy's).

    Args:
        x1, x2: 1-D tensors.
        mode: `"valid"` (full overlap only), `"same"` (length of the longer input) or `"full"`.

    Returns:
        A float tensor (float32 unless an input is float64/16).

    >>> import minikeras as keras
    >>> keras.ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5]).numpy().tolist()
    [3.5]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: mode must be 'valid', 'same' or 'full'. Received: {mode!r}")
    a, b = to_tensor(x1, op="correlate"), to_tensor(x2, op="correlate")
    if len(a.shape) != 1 or len(b.shape) != 1:
        raise ValueError(f"correlate expects 1-D tensors. Received: {a.shape} and {b.shape}")
    dtype = dtypes.promote(a.dtype, b.dtype)  # Keras: int64 -> float64, other non-floats float32
    dtype = "float64" if dtype == "int64" else dtype
    dtype = dtype if dtype in ("float64", "float16", "bfloat16") else "float32"
    a, b = _conversion.cast(a, dtype), _conversion.cast(b, dtype)
    n, m = a.shape[0], b.shape[0]
    swapped = m > n
    if swapped:  # numpy correlates the longer with the shorter and reverses
        a, b, n, m = b, a, m, n
    left = {"valid": 0, "same": m // 2, "full": m - 1}[mode]
    right = {"valid": 0, "same": m - 1 - m // 2, "full": m - 1}[mode]
    padded = _joining.pad(a, [(left, right)])
    count = n + left + right - m + 1
    idx = np.arange(count)[:, None] + np.arange(m)  # (count, m) windows of the padded x1
    out = matmul(_indexing.take(padded, idx, axis=0), b)
    return flip(out, axis=0) if swapped else out


@keras_dtype(weak=False)
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (or the z component for 2-vectors) along the given axes.

    A 2-component vector is taken with a zero third component; when both inputs have 2
    components, only the z component is returned (one scalar per pair of vectors).

    Args:
        x1: the first vector(s); the other axes broadcast against `x2`'s.
        x2: the second vector(s).
        axisa: the axis of `x1` holding the components (default -1).
        axisb: the axis of `x2` holding the components (default -1).
        axisc: the axis of the result holding the components (default -1).
        axis: when given, overrides `axisa`, `axisb` and `axisc` (default None).

    Returns:
        A tensor of cross products in the inputs' promoted dtype: the broadcast batch shape
        with 3 components on `axisc`, or without that axis for two 2-vectors.

    >>> import minikeras as keras
    >>> keras.ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy().tolist()
    [0.0, 0.0, 1.0]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(to_tensor(x1, op="cross"), axisa, -1)
    b = moveaxis(to_tensor(x2, op="cross"), axisb, -1)
    da, db = a.shape[-1], b.shape[-1]
    if da not in (2, 3) or db not in (2, 3):
        raise ValueError(
            f"cross: the vectors must have 2 or 3 components. Received: {da} and {db} "
            f"(shapes {tuple(a.shape)}, {tuple(b.shape)})"
        )
    if da == 2 and db == 2:
        return _arithmetic.subtract(a[..., 0] * b[..., 1], a[..., 1] * b[..., 0])
    if da == 2:
        a = _joining.pad(a, [(0, 0)] * (len(a.shape) - 1) + [(0, 1)])
    if db == 2:
        b = _joining.pad(b, [(0, 0)] * (len(b.shape) - 1) + [(0, 1)])
    ax, ay, az = (a[..., i] for i in range(3))
    bx, by, bz = (b[..., i] for i in range(3))
    out = _joining.stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], axis=-1)
    return moveaxis(out, -1, axisc)


def cdist(x, y):
    """Euclidean distances between the rows of `x` `(..., n, d)` and of `y` `(..., m, d)`.

    Args:
        x: a tensor `(..., n, d)`.
        y: a tensor `(..., m, d)` with the same last dimension (leading axes broadcast).

    Returns:
        A tensor `(..., n, m)`: entry `[..., i, j]` is `||x[..., i, :] - y[..., j, :]||`.

    >>> import minikeras as keras
    >>> keras.ops.cdist([[0.0, 0.0]], [[3.0, 4.0], [0.0, 1.0]]).numpy().tolist()
    [[5.0, 1.0]]
    """
    a, b = to_tensor(x, op="cdist"), to_tensor(y, op="cdist")
    if len(a.shape) < 2 or len(b.shape) < 2:
        raise ValueError(
            "cdist: x and y must be (..., points, features) tensors of rank >= 2. Received: "
            f"{a.shape} and {b.shape}"
        )
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"cdist: x and y must have the same last dimension. Received: {a.shape} and {b.shape}"
        )
    diff = _arithmetic.subtract(expand_dims(a, -2), expand_dims(b, -3))
    return _elementwise.sqrt(_reduce.sum(_elementwise.square(diff), axis=-1))


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum of the rows of `data` that share a segment id.

    Args:
        data: tensor whose leading axis is segmented.
        segment_ids: 1-D int tensor, one segment id per row of `data`.
        num_segments: number of output segments; inferred as `max(segment_ids) + 1` if `None`.
        sorted: whether `segment_ids` is sorted (accepted for Keras; the result is the same).

    Returns:
        `(num_segments,) + data.shape[1:]`; empty segments hold `inf` (the dtype's maximum for
        integers), as Keras. Tied minima share the gradient equally.

    >>> import minikeras as keras
    >>> keras.ops.segment_min([1, 2, 10, 20], [0, 0, 1, 1], 2).numpy().tolist()
    [1, 10]
    """
    a, ta, ids, n, keep = _prepare(data, segment_ids, num_segments, "segment_min")
    high = np.inf if a.dtype.kind == "f" else np.iinfo(a.dtype).max if a.dtype.kind in "iu" else 1
    out = np.full((n,) + a.shape[1:], high, dtype=a.dtype)
    np.minimum.at(out, ids[keep], a[keep])

    def backward(dout):
        hit = np.zeros(a.shape, dtype=bool)
        hit[keep] = a[keep] == out[ids[keep]]
        counts = np.zeros(out.shape, dtype=dout.dtype)
        np.add.at(counts, ids[keep], hit[keep].astype(dout.dtype))
        da = np.zeros(a.shape, dtype=dout.dtype)
        share = dout[ids[keep]] / np.maximum(counts[ids[keep]], 1)
        da[keep] = np.where(hit[keep], share, 0)
        return (da,)

    return Tensor.from_op(out, (ta,), backward, "segment_min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product of the rows of `data` that share a segment id.

    Empty segments give 1. The result carries no gradient, as Keras's JAX backend has none.

    Args:
        data: tensor whose leading axis is segmented.
        segment_ids: 1-D int tensor, one segment id per row of `data`; rows with a negative id
            or an id `>= num_segments` are dropped.
        num_segments: number of output segments; inferred as `max(segment_ids) + 1` if `None`.
        sorted: whether `segment_ids` is sorted (accepted for Keras; the result is the same).

    Returns:
        A tensor `(num_segments,) + data.shape[1:]` in `data`'s dtype.

    >>> import minikeras as keras
    >>> keras.ops.segment_prod([1, 2, 10, 20], [0, 0, 1, 1], 3).numpy().tolist()
    [2, 200, 1]
    """
    a, _, ids, n, keep = _prepare(data, segment_ids, num_segments, "segment_prod")
    out = np.ones((n,) + a.shape[1:], dtype=a.dtype)
    np.multiply.at(out, ids[keep], a[keep])
    return Tensor(out)
