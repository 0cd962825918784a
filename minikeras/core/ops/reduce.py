"""Reductions over axes: sum, mean, max, min, prod, var, std, logsumexp, argmax, argmin, ..."""

import builtins  # this module defines sum, max, min, any and all as ops
import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import keras_dtype, normalize_axis, result_float, unwrap

__all__ = ["sum", "mean", "max", "min", "prod", "var", "std", "logsumexp", "argmax", "argmin"]
__all__ += ["any", "all", "amax", "amin", "norm", "count_nonzero", "average", "median"]


def _expand(grad, shape, axes, keepdims):
    """Reshapes a reduced gradient so that it broadcasts against the input shape."""
    if keepdims:
        return grad
    return np.expand_dims(grad, axes) if axes else grad


def _spread_ops(d, shape, axes, keepdims):
    """`np.broadcast_to(_expand(d, ...), shape)` with ops: a reduced gradient back over `shape`."""
    from .shape import broadcast_to, expand_dims

    if not keepdims and axes:
        d = expand_dims(d, axes)
    return broadcast_to(d, shape)


def _int_result(dtype):
    """Keras's accumulator dtype for integer sums and products: at least 32 bits, same family."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 4):
        return np.dtype("int32")
    if dtype.kind == "u" and dtype.itemsize < 4:
        return np.dtype("uint32")
    return dtype


def _middle_sum(a, axes, keepdims):
    """np.sum over `axes` through einsum when they are a run of middle axes of a C-contiguous
    float32/float64 array (global average pooling's (b, h, w, c) over h and w), where it is
    about 2.5x faster than numpy's reduction, which adds such axes one strided row at a time
    all the same; None for any other case."""
    if not (
        len(axes) > 0
        and axes[0] > 0
        and axes[-1] < a.ndim - 1
        and a.flags.c_contiguous
        and axes[-1] - axes[0] == len(axes) - 1
        and a.dtype in (np.float32, np.float64)
    ):
        return None
    pre, post = a.shape[: axes[0]], a.shape[axes[-1] + 1 :]
    flat = a.reshape(math.prod(pre), -1, math.prod(post))
    out = np.einsum("ijk->ik", flat).reshape(pre + post)
    return np.expand_dims(out, axes) if keepdims else out


def sum(x, axis=None, keepdims=False):
    """Sum over `axis`; integer inputs keep an integer dtype of at least 32 bits.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.sum(np.ones((2, 3), "float32"), axis=(0, 1)).numpy().tolist()
    6.0
    """
    a, ta = unwrap(x, "sum", weak=False)
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    out = _middle_sum(a, axes, keepdims)
    if out is None:  # np.sum's Python wrapper costs more than a small reduction
        out = np.add.reduce(a, axis=axes, keepdims=keepdims)
    out = np.asarray(out, dtype=_int_result(a.dtype))
    shape = a.shape
    return Tensor.from_op(
        out,
        (ta,),
        lambda d: (np.broadcast_to(_expand(d, shape, axes, keepdims), shape),),
        "sum",
        lambda d, out: (_spread_ops(d, shape, axes, keepdims),),
    )


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis` (integer inputs give floats).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.mean([[1.0, 2.0], [3.0, 6.0]], axis=0).numpy().tolist()
    [2.0, 4.0]
    """
    a, ta = unwrap(x, "mean", weak=False)
    a = result_float(np.asarray(a))
    axes = normalize_axis(axis, a.ndim)
    n = math.prod(a.shape[i] for i in axes)
    total = _middle_sum(a, axes, keepdims) if n > 0 else None
    if total is None and n > 0 and a.dtype in (np.float32, np.float64):
        # the sum np.mean makes, without its Python wrapper
        total = np.add.reduce(a, axis=axes, keepdims=keepdims)
    if total is not None:
        out = total / a.dtype.type(n)
    else:
        out = np.mean(a, axis=axes, keepdims=keepdims).astype(a.dtype, copy=False)
    shape = a.shape

    def backward(d):
        g = _expand(d, shape, axes, keepdims) / builtins.max(n, 1)
        return (np.broadcast_to(g, shape).astype(a.dtype, copy=False),)

    def backward_ops(d, out):
        from .arithmetic import divide

        return (_spread_ops(divide(d, a.dtype.type(builtins.max(n, 1))), shape, axes, keepdims),)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "mean", backward_ops)


def _extreme(op, fn, x, axis, keepdims, initial):
    a, ta = unwrap(x, op, weak=False)
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    if initial is None and builtins.any(a.shape[i] == 0 for i in axes):
        raise ValueError(
            f"{op} over an empty axis has no value (pass `initial`). Received: shape={a.shape}, "
            f"axis={axis}"
        )
    kw = {} if initial is None else {"initial": initial}
    full = np.asarray(fn(a, axis=axes, keepdims=True, **kw))
    out = full if keepdims else np.squeeze(full, axis=axes)

    def backward(d):
        hit = a == full  # entries that beat `initial` and equal the extreme
        count = np.maximum(hit.sum(axis=axes, keepdims=True), 1)  # ties share the gradient
        return (hit * (_expand(d, a.shape, axes, keepdims) / count),)

    def backward_ops(d, out):  # the selected entries are constant almost everywhere
        from .arithmetic import multiply

        hit = a == full
        share = (hit / np.maximum(hit.sum(axis=axes, keepdims=True), 1)).astype(a.dtype)
        return (multiply(_spread_ops(d, a.shape, axes, keepdims), share),)

    return Tensor.from_op(out, (ta,), backward, op, backward_ops)


def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis` (also `ops.amax`); tied maxima share the gradient.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.
        initial: a lower bound for the result; required to reduce an empty axis.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.max([[1, 5], [3, 2]], axis=1).numpy().tolist()
    [5, 3]
    """
    return _extreme("max", np.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis` (also `ops.amin`); tied minima share the gradient.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.
        initial: an upper bound for the result; required to reduce an empty axis.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.min([[1, 5], [3, 2]], axis=1).numpy().tolist()
    [1, 2]
    """
    return _extreme("min", np.min, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    """Maximum over `axis`: `max` without its `initial` argument, as Keras 3's `ops.amax`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.amax([[1, 5], [3, 2]], axis=0).numpy().tolist()
    [3, 5]
    """
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    """Minimum over `axis`: `min` without its `initial` argument, as Keras 3's `ops.amin`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.amin([[1, 5], [3, 2]], axis=0).numpy().tolist()
    [1, 2]
    """
    return min(x, axis=axis, keepdims=keepdims)


@keras_dtype(nargs=1, weak=False)  # result_type(x): 64-bit narrowed, as Keras 3
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`; the gradient is exact even when some entries are zero.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.
        dtype: the result dtype; `None` keeps floats and widens integers to at least 32 bits.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.prod([[1, 2], [3, 4]], axis=0).numpy().tolist()
    [3, 8]
    """
    a, ta = unwrap(x, "prod", weak=False)
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    res = _int_result(a.dtype) if dtype is None else np.dtype(dtypes.standardize_dtype(dtype))
    out = np.prod(a, axis=axes, keepdims=keepdims).astype(res, copy=False)

    def backward(d):
        # d prod / d a_i = product of the others, computed without dividing (zeros allowed)
        moved = np.moveaxis(a, axes, tuple(range(len(axes))))
        flat = moved.reshape((-1,) + moved.shape[len(axes) :])
        left = np.cumprod(np.concatenate([np.ones_like(flat[:1]), flat[:-1]]), axis=0)
        right = np.cumprod(np.concatenate([np.ones_like(flat[:1]), flat[::-1][:-1]]), axis=0)[::-1]
        others = (left * right).reshape(moved.shape)
        g = np.moveaxis(others, tuple(range(len(axes))), axes)
        return (g * _expand(d, a.shape, axes, keepdims),)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "prod")


@keras_dtype(nargs=1, weak=False)
def var(x, axis=None, keepdims=False):
    """Biased variance (dividing by N) over `axis`, as Keras's `ops.var`.

    Args:
        x: input tensor; integers are converted to `floatx`.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.var([1.0, 2.0, 3.0, 4.0]).numpy().tolist()
    1.25
    """
    from .arithmetic import subtract
    from .conversion import cast
    from .elementwise import square

    dt = np.asarray(unwrap(x, "var", weak=False)[0]).dtype
    if dt.kind == "c":  # Keras: the mean of |x - m|^2, in result_type(x, float): complex64
        return cast(_abs_variance(x, axis, keepdims), dtypes.result_type(dt, float))
    if dt.kind in "biu":
        x = cast(x, dtypes.floatx())  # integers: float math, as Keras
    m = mean(x, axis=axis, keepdims=True)
    return mean(square(subtract(x, m)), axis=axis, keepdims=keepdims)


def _abs_variance(x, axis, keepdims):
    """The mean of |x - mean(x)|^2 for a complex `x`: a real tensor (float32 for complex64)."""
    from .arithmetic import subtract
    from .elementwise import abs as absolute
    from .elementwise import square

    d = absolute(subtract(x, mean(x, axis=axis, keepdims=True)))
    return mean(square(d), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation (dividing by N) over `axis`.

    Args:
        x: input tensor; integers are converted to `floatx`.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.std([1.0, 3.0]).numpy().tolist()
    1.0
    """
    from .elementwise import sqrt

    if np.asarray(unwrap(x, "std", weak=False)[0]).dtype.kind == "c":  # real, as Keras
        return sqrt(_abs_variance(x, axis, keepdims))
    return sqrt(var(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> print(keras.ops.logsumexp([0.0, 0.0]).numpy().round(4))
    0.6931
    """
    a, ta = unwrap(x, "logsumexp", weak=False)
    a = result_float(np.asarray(a))
    axes = normalize_axis(axis, a.ndim)
    m = np.max(a, axis=axes, keepdims=True, initial=-np.inf)  # empty: -inf, as Keras 3
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(a - m)
    s = np.sum(e, axis=axes, keepdims=True)
    with np.errstate(divide="ignore"):
        out_k = np.log(s) + m
    out = out_k if keepdims else np.squeeze(out_k, axis=axes)
    return Tensor.from_op(
        out, (ta,), lambda d: (_expand(d, a.shape, axes, keepdims) * e / s,), "logsumexp"
    )


def _index_op(op, fn, x, axis, keepdims):
    a, _ = unwrap(x, op, weak=False)
    a = np.asarray(a)
    if a.size == 0 and (axis is None or a.shape[axis] == 0):  # (3, 0) along 0 is fine: (0,)
        raise ValueError(f"{op} of an empty tensor has no value. Received: shape={a.shape}")
    return Tensor(np.asarray(fn(a, axis=axis, keepdims=keepdims), dtype="int32"))


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value along `axis` (the first on ties; no gradient).

    Args:
        x: input tensor (not empty).
        axis: the axis to search; `None` searches the flattened tensor.
        keepdims: whether to keep the reduced axis with size 1.

    Returns:
        An int32 tensor.

    >>> import minikeras as keras
    >>> keras.ops.argmax([[1, 5], [3, 2]], axis=1).numpy().tolist()
    [1, 0]
    """
    return _index_op("argmax", np.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value along `axis` (the first on ties; no gradient).

    Args:
        x: input tensor (not empty).
        axis: the axis to search; `None` searches the flattened tensor.
        keepdims: whether to keep the reduced axis with size 1.

    Returns:
        An int32 tensor.

    >>> import minikeras as keras
    >>> keras.ops.argmin([[1, 5], [3, 2]], axis=1).numpy().tolist()
    [0, 1]
    """
    return _index_op("argmin", np.argmin, x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    """Whether any entry is true (non-zero) over `axis`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    >>> import minikeras as keras
    >>> keras.ops.any([[0, 1], [0, 0]], axis=1).numpy().tolist()
    [True, False]
    """
    return Tensor(np.any(unwrap(x, "any", weak=False)[0], axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):
    """Whether all entries are true (non-zero) over `axis`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    >>> import minikeras as keras
    >>> keras.ops.all([[1, 1], [0, 1]], axis=1).numpy().tolist()
    [True, False]
    """
    return Tensor(np.all(unwrap(x, "all", weak=False)[0], axis=axis, keepdims=keepdims))


def count_nonzero(x, axis=None):
    """Number of non-zero entries over `axis`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.

    Returns:
        An int32 tensor (Keras 3's numpy and jax backends; its torch backend gives int64).

    >>> import minikeras as keras
    >>> keras.ops.count_nonzero([[0, 1], [2, 3]], axis=1).numpy().tolist()
    [1, 2]
    """
    a = unwrap(x, "count_nonzero", weak=False)[0]
    return Tensor(np.asarray(np.count_nonzero(a, axis=axis), dtype="int32"))


@keras_dtype(nargs=1, weak=False)
def average(x, axis=None, weights=None):
    """Weighted mean over `axis`: `sum(x * weights) / sum(weights)`.

    Args:
        x: input tensor.
        axis: the axis to average over; `None` means all axes.
        weights: `None` (plain mean), a tensor shaped like `x`, or a 1-D tensor along `axis`.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.average([1.0, 4.0], axis=0, weights=[3.0, 1.0]).numpy().tolist()
    1.75
    """
    from .arithmetic import divide, multiply
    from .shape import reshape

    if weights is None:
        return mean(x, axis=axis)
    a, w = (
        np.asarray(unwrap(x, "average", weak=False)[0]),
        np.asarray(unwrap(weights, "average")[0]),
    )
    if w.shape != a.shape:
        if axis is None or w.ndim != 1 or w.shape[0] != a.shape[axis]:
            raise ValueError(
                f"average: weights of shape {w.shape} fit neither x of shape {a.shape} nor "
                f"its axis {axis}."
            )
        w_shape = [1] * a.ndim
        w_shape[axis] = -1
        weights = reshape(weights, w_shape)
    return divide(sum(multiply(x, weights), axis=axis), sum(weights, axis=axis))


@keras_dtype(nargs=1, weak=False)
def median(x, axis=None, keepdims=False):
    """Median over `axis` (the mean of the two middle values for an even count).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> keras.ops.median([3.0, 1.0, 4.0, 2.0]).numpy().tolist()
    2.5
    """
    from .shape import moveaxis, reshape
    from .sorting import sort

    a = np.asarray(unwrap(x, "median", weak=False)[0])
    axes = normalize_axis(axis, a.ndim)
    rest = [i for i in range(a.ndim) if i not in axes]
    if a.size == 0 and 0 in [a.shape[i] for i in rest]:  # an empty result, as Keras on jax
        shape = [1 if i in axes else a.shape[i] for i in range(a.ndim)] if keepdims else None
        return Tensor(np.zeros(shape or [a.shape[i] for i in rest], result_float(a).dtype))
    # put the reduced axes last, flatten them into one, sort it and average the middle entries
    moved = moveaxis(x, axes, tuple(range(len(rest), a.ndim))) if axes else x
    flat = sort(reshape(moved, [a.shape[i] for i in rest] + [-1]), axis=-1)
    n = flat.shape[-1]
    out = mean(flat[..., (n - 1) // 2 : n // 2 + 1], axis=-1)
    if keepdims:
        out = reshape(out, [1 if i in axes else a.shape[i] for i in range(a.ndim)])
    return out


@keras_dtype(nargs=1, weak=False)  # float64 -> float32, as Keras 3's result_type
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm over `axis`, as `numpy.linalg.norm` (no spectral or nuclear norms).

    Args:
        x: input tensor.
        ord: `None` (2-norm of vectors, Frobenius norm of matrices); for vectors a number,
            `inf` or `-inf`; for matrices `"fro"`, 1, -1, `inf` or `-inf`.
        axis: an int (vector norm), a pair of ints (matrix norm), or `None` (all axes).
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    >>> import minikeras as keras
    >>> float(keras.ops.norm([3.0, -4.0]))
    5.0
    """
    from .elementwise import abs as absolute
    from .elementwise import power, sqrt, square
    from .shape import squeeze

    a = np.asarray(unwrap(x, "norm", weak=False)[0])
    if a.dtype.kind == "c":  # each norm here is one of |x| (no spectral norm): real, as Keras
        x = absolute(x)
        a = x.data
    if isinstance(axis, list):
        axis = tuple(axis)
    matrix = (isinstance(axis, tuple) and len(axis) == 2) or (
        axis is None and a.ndim == 2 and ord is not None
    )
    if ord is None or ord == ("fro" if matrix else 2):
        return sqrt(sum(square(x), axis=axis, keepdims=keepdims))
    if matrix:
        if ord not in (1, -1, np.inf, -np.inf):
            raise ValueError(
                "norm: matrix norms support ord None, 'fro', 1, -1, inf and -inf. "
                f"Received: ord={ord!r}"
            )
        rows, cols = normalize_axis(axis, a.ndim) if axis is not None else (0, 1)
        if isinstance(axis, tuple) and (axis[0] % a.ndim) > (axis[1] % a.ndim):
            rows, cols = cols, rows
        # ord=1: largest column sum of |x|; ord=inf: largest row sum
        inner, outer = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = sum(absolute(x), axis=inner, keepdims=True)
        out = (max if ord > 0 else min)(sums, axis=outer, keepdims=True)
        return out if keepdims else squeeze(out, axis=(rows, cols))
    if isinstance(ord, str):
        raise ValueError(f"norm: unknown vector norm. Received: ord={ord!r}")
    if ord == np.inf:
        return max(absolute(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return min(absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        from .conversion import cast

        return cast(count_nonzero(x, axis=axis), a.dtype if a.dtype.kind == "f" else "float32")
    if ord == 1:
        return sum(absolute(x), axis=axis, keepdims=keepdims)
    return power(sum(power(absolute(x), ord), axis=axis, keepdims=keepdims), 1.0 / ord)
