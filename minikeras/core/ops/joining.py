"""Joining and splitting ops: concatenate, stack, split, unstack, pad, append, diff."""

import numpy as np

from ..tensor import Tensor
from ._base import axis_of, unwrap
from .conversion import ndim, shape, stop_gradient
from .indexing import builtin_slice, getitem, take
from .shape import reshape

__all__ = ["concatenate", "stack", "split", "pad", "unstack", "hstack", "vstack", "append", "diff"]


def _keras_common_dtype(arrays):
    """Int or bool arrays joined with float ones take the floats' dtype, as Keras 3's result_type
    (numpy would give float64 for int32 with float32)."""
    floats = [a.dtype for a in arrays if a.dtype.kind == "f"]
    if floats and any(a.dtype.kind in "biu" for a in arrays):
        target = np.result_type(*floats)
        return [a.astype(target) if a.dtype.kind in "biu" else a for a in arrays]
    return arrays


def concatenate(xs, axis=0):
    """Joins tensors along an existing axis.

    Args:
        xs: list of tensors with equal shapes except along `axis`.
        axis: the axis to join along.

    Returns:
        A tensor whose `axis` is the sum of the inputs' sizes.

    >>> import minikeras as keras
    >>> keras.ops.concatenate([[1, 2], [3]], axis=0).numpy().tolist()
    [1, 2, 3]
    """
    pairs = [unwrap(x, "concatenate") for x in xs]
    arrays = _keras_common_dtype([np.asarray(p[0]) for p in pairs])
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError:
        shapes = [a.shape for a in arrays]
        raise ValueError(
            f"concatenate: shapes {shapes} must match on every axis except axis={axis}."
        ) from None
    bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]

    def backward_ops(d, out):  # each input's block of `d` along the axis
        index = [builtin_slice(None)] * out.ndim
        parts = []
        for lo, hi in zip([0, *bounds], [*bounds, out.shape[axis]]):
            index[axis] = builtin_slice(int(lo), int(hi))
            parts.append(getitem(d, tuple(index)))
        return parts

    return Tensor.from_op(
        out,
        tuple(p[1] for p in pairs),
        lambda d: tuple(np.split(d, bounds, axis=axis)),
        "concat",
        backward_ops,
    )


def stack(x, axis=0):
    """Joins tensors of equal shape along a new axis.

    Args:
        x: list of tensors with the same shape.
        axis: position of the new axis in the output.

    Returns:
        A tensor with one more axis, of size `len(x)`.

    >>> import minikeras as keras
    >>> keras.ops.stack([[1, 2], [3, 4]], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    pairs = [unwrap(v, "stack") for v in x]
    arrays = _keras_common_dtype([np.asarray(p[0]) for p in pairs])
    try:
        out = np.stack(arrays, axis=axis)
    except ValueError:
        shapes = [a.shape for a in arrays]
        raise ValueError(f"stack: all shapes must be equal. Received: {shapes}") from None
    n = len(arrays)
    return Tensor.from_op(
        out,
        tuple(p[1] for p in pairs),
        lambda d: tuple(np.take(d, i, axis=axis) for i in range(n)),
        "stack",
        lambda d, out: tuple(
            getitem(d, (builtin_slice(None),) * (axis % out.ndim) + (i,)) for i in range(n)
        ),
    )


def unstack(x, num=None, axis=0):
    """Splits a tensor along `axis` into a list of its slices (the inverse of `stack`).

    Args:
        x: input tensor.
        num: accepted for Keras compatibility; the count is always `shape(x)[axis]`.
        axis: the axis to split along (removed from each slice).

    Returns:
        A list of `shape(x)[axis]` tensors.

    >>> import minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.unstack([[1, 2], [3, 4]], axis=1)]
    [[1, 3], [2, 4]]
    """
    axis = axis_of(axis, ndim(x), "unstack")
    n = shape(x)[axis]
    return [take(x, i, axis=axis) for i in range(n)]


def split(x, indices_or_sections, axis=0):
    """Splits a tensor along `axis` into equal sections or at given indices.

    Args:
        x: input tensor.
        indices_or_sections: an int `n` (the axis must divide into `n` equal parts) or a list of
            split points.
        axis: the axis to split along.

    Returns:
        A list of tensors.

    >>> import numpy as np, minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.split(np.arange(5), [2])]
    [[0, 1], [2, 3, 4]]
    """
    a = np.asarray(unwrap(x, "split")[0])
    axis = axis_of(axis, a.ndim, "split")
    length = a.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections < 1:
            raise ValueError(
                "split: `indices_or_sections` must be a positive number of sections or a list "
                f"of split points. Received: {indices_or_sections}"
            )
        if length % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of shape {a.shape} does not divide into "
                f"{indices_or_sections} equal sections."
            )
        step = length // indices_or_sections
        bounds = list(range(step, length, step))
    else:
        bounds = list(indices_or_sections)
    edges = [0] + bounds + [length]
    index = [builtin_slice(None)] * a.ndim
    parts = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        index[axis] = builtin_slice(lo, hi)
        parts.append(getitem(x, tuple(index)))
    return parts


PAD_MODES = (
    "constant",
    "edge",
    "linear_ramp",
    "maximum",
    "mean",
    "median",
    "minimum",
    "reflect",
    "symmetric",
    "wrap",
    "empty",
)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads a tensor, as `numpy.pad`.

    Args:
        x: input tensor.
        pad_width: `[(before, after), ...]` per axis, or one pair (or int) for all axes.
        mode: `"constant"`, `"edge"`, `"reflect"`, `"symmetric"`, `"wrap"` or another
            `numpy.pad` mode (the statistic modes pass no gradient); tf.pad's `"CONSTANT"`,
            `"REFLECT"` and `"SYMMETRIC"` too, as Keras's TensorFlow backend takes them.
        constant_values: the fill value for `mode="constant"` (default 0).

    Returns:
        The padded tensor.

    >>> import minikeras as keras
    >>> keras.ops.pad([1, 2], [(1, 2)], constant_values=9).numpy().tolist()
    [9, 1, 2, 9, 9]
    """
    a, ta = unwrap(x, "pad")
    a = np.asarray(a)
    pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (a.ndim, 2))
    if (pw < 0).any():
        raise ValueError(f"pad: pad_width must be >= 0. Received: pad_width={pad_width}")
    if mode in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        # tf.pad's names: Keras's TensorFlow backend passes mode.upper() to tf.pad, so code
        # written for it (keras.io's cyclegan pads with mode="REFLECT") runs; jax/torch raise
        mode = mode.lower()
    if mode not in PAD_MODES:  # Keras 3 raises NotImplementedError (jax and torch backends)
        raise NotImplementedError(
            f"pad: unimplemented padding mode {mode!r}. Expected one of {', '.join(PAD_MODES)}."
        )
    if constant_values is not None and mode != "constant":
        raise ValueError(f"pad: constant_values needs mode='constant'. Received: mode={mode!r}")
    if np.iscomplexobj(constant_values) and np.asarray(a).dtype.kind != "c":  # as Keras on torch
        raise TypeError(
            "pad: a complex constant_values needs a complex tensor. Received: "
            f"constant_values={constant_values!r}, x.dtype={np.asarray(a).dtype}"
        )
    kw = {"constant_values": constant_values or 0} if mode == "constant" else {}
    out = np.pad(a, pw, mode=mode, **kw)
    if mode == "constant":
        key = tuple(builtin_slice(lo, lo + n) for (lo, _), n in zip(pw, a.shape))
        return Tensor.from_op(
            out, (ta,), lambda d: (d[key],), "pad", lambda d, out: (getitem(d, key),)
        )
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        return stop_gradient(out)  # statistic modes (mean, maximum, ...): no gradient
    # copying modes: pad an array of source positions the same way, then sum back through it
    source = np.pad(np.arange(a.size).reshape(a.shape), pw, mode=mode).reshape(-1)

    def backward(d):
        g = np.bincount(source, weights=d.reshape(-1), minlength=a.size)
        return (g.reshape(a.shape).astype(d.dtype, copy=False),)

    return Tensor.from_op(out, (ta,), backward, "pad")


def hstack(xs):
    """Joins tensors along the second axis (the first for 1-D tensors).

    Args:
        xs: list of tensors.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.hstack([[[1], [2]], [[3], [4]]]).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    if not hasattr(xs, "__len__") or getattr(xs, "ndim", 1) == 0 or not len(xs):
        raise ValueError(f"hstack: expects a non-empty list of tensors. Received: {xs!r}")
    return concatenate(xs, axis=1 if ndim(xs[0]) > 1 else 0)


def vstack(xs):
    """Joins tensors along the first axis; 1-D tensors become rows.

    Args:
        xs: list of tensors.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.vstack([[1, 2], [3, 4]]).numpy().tolist()
    [[1, 2], [3, 4]]
    """
    return concatenate([reshape(x, (1, -1)) if ndim(x) == 1 else x for x in xs], axis=0)


def append(x1, x2, axis=None):
    """Joins `x2` after `x1` along an axis.

    Args:
        x1, x2: tensors.
        axis: the axis to join along; `None` flattens both first.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.append([1, 2], [[3], [4]]).numpy().tolist()
    [1, 2, 3, 4]
    """
    if axis is None:
        return concatenate([reshape(x1, (-1,)), reshape(x2, (-1,))], axis=0)
    return concatenate([x1, x2], axis=axis)


def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along an axis: `a[1:] - a[:-1]`, applied `n` times.

    Args:
        a: input tensor.
        n: how many times to take the difference.
        axis: the axis to difference along.

    Returns:
        A tensor whose `axis` is `n` shorter; for bool input, a bool tensor marking where
        neighbours differ (as numpy and Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.diff([1, 4, 9, 16]).numpy().tolist()
    [3, 5, 7]
    """
    from .comparison import not_equal
    from .arithmetic import subtract

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"diff: `n` must be a non-negative int. Received: {n!r}")
    for _ in range(n):
        k = ndim(a)
        axis = axis_of(axis, k, "diff")
        head = [builtin_slice(None)] * k
        tail = [builtin_slice(None)] * k
        head[axis], tail[axis] = builtin_slice(1, None), builtin_slice(None, -1)
        later, earlier = getitem(a, tuple(head)), getitem(a, tuple(tail))
        a = not_equal(later, earlier) if later.dtype == bool else subtract(later, earlier)
    return a
