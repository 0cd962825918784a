"""Reductions over axes: sum, mean, max, min, prod, var, std, logsumexp, argmax, argmin, ..."""

import builtins  # this module defines sum, max, min, any and all as ops

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import normalize_axis, result_float, unwrap

__all__ = [
    "sum", "mean", "max", "min", "prod", "var", "std", "logsumexp", "argmax", "argmin", "any",
    "all", "amax", "amin", "cumsum", "cumprod", "norm", "count_nonzero", "average", "median",
]  # fmt: skip


def _expand(grad, shape, axes, keepdims):
    """Reshapes a reduced gradient so that it broadcasts against the input shape."""
    if keepdims:
        return grad
    return np.expand_dims(grad, axes) if axes else grad


def _int_result(dtype):
    """Keras's accumulator dtype for integer sums and products: at least 32 bits, same family."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 4):
        return np.dtype("int32")
    if dtype.kind == "u" and dtype.itemsize < 4:
        return np.dtype("uint32")
    return dtype


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple or None for all); integer inputs keep their dtype (>= 32 bits).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.sum(np.ones((2, 3), "float32"), axis=(0, 1)).numpy().tolist()
    6.0
    """
    a, ta = unwrap(x, "sum")
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    out = np.asarray(np.sum(a, axis=axes, keepdims=keepdims), dtype=_int_result(a.dtype))
    shape = a.shape
    return Tensor.from_op(
        out, (ta,), lambda d: (np.broadcast_to(_expand(d, shape, axes, keepdims), shape),), "sum"
    )


def mean(x, axis=None, keepdims=False):
    """Mean over `axis` (integers give floats)."""
    a, ta = unwrap(x, "mean")
    a = result_float(np.asarray(a))
    axes = normalize_axis(axis, a.ndim)
    out = np.mean(a, axis=axes, keepdims=keepdims).astype(a.dtype, copy=False)
    n = int(np.prod([a.shape[i] for i in axes])) if axes else 1
    shape = a.shape

    def backward(d):
        g = _expand(d, shape, axes, keepdims) / builtins.max(n, 1)
        return (np.broadcast_to(g, shape).astype(a.dtype, copy=False),)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "mean")


def _extreme(op, fn, x, axis, keepdims, initial):
    a, ta = unwrap(x, op)
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

    return Tensor.from_op(out, (ta,), backward, op)


def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`; tied maxima share the gradient."""
    return _extreme("max", np.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`; tied minima share the gradient."""
    return _extreme("min", np.min, x, axis, keepdims, initial)


amax, amin = max, min


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`."""
    a, ta = unwrap(x, "prod")
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


def var(x, axis=None, keepdims=False):
    """Biased variance (divides by N) over `axis`, as Keras's `ops.var`."""
    from .elementwise import square, subtract
    from .shape import cast

    if np.asarray(unwrap(x, "var")[0]).dtype.kind in "biu":
        x = cast(x, dtypes.floatx())  # integers: float math, as Keras
    m = mean(x, axis=axis, keepdims=True)
    return mean(square(subtract(x, m)), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Biased standard deviation over `axis`."""
    from .elementwise import sqrt

    return sqrt(var(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed stably."""
    a, ta = unwrap(x, "logsumexp")
    a = result_float(np.asarray(a))
    axes = normalize_axis(axis, a.ndim)
    m = np.max(a, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(a - m)
    s = np.sum(e, axis=axes, keepdims=True)
    out_k = np.log(s) + m
    out = out_k if keepdims else np.squeeze(out_k, axis=axes)
    return Tensor.from_op(
        out, (ta,), lambda d: (_expand(d, a.shape, axes, keepdims) * e / s,), "logsumexp"
    )


def _index_op(op, fn, x, axis, keepdims):
    a, _ = unwrap(x, op)
    a = np.asarray(a)
    if a.size == 0:
        raise ValueError(f"{op} of an empty tensor has no value. Received: shape={a.shape}")
    return Tensor(np.asarray(fn(a, axis=axis, keepdims=keepdims), dtype="int32"))


def argmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis` (int32, no gradient)."""
    return _index_op("argmax", np.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis` (int32, no gradient)."""
    return _index_op("argmin", np.argmin, x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    return Tensor(np.any(unwrap(x, "any")[0], axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):
    return Tensor(np.all(unwrap(x, "all")[0], axis=axis, keepdims=keepdims))


def count_nonzero(x, axis=None):
    return Tensor(np.asarray(np.count_nonzero(unwrap(x, "count_nonzero")[0], axis=axis)))


def _reverse_cumsum(d, axis):
    return np.flip(np.cumsum(np.flip(d, axis), axis=axis), axis)


def _scan_input(op, x, axis, dtype):
    a, ta = unwrap(x, op)
    a = np.asarray(a)
    res = _int_result(a.dtype) if dtype is None else np.dtype(dtypes.standardize_dtype(dtype))
    if axis is None:  # flattened, as numpy
        from .shape import reshape

        return reshape(x, (-1,)) if ta.requires_grad else a.reshape(-1), 0, res
    return x, axis % a.ndim, res


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (of the flattened tensor when None)."""
    x, axis, res = _scan_input("cumsum", x, axis, dtype)
    a, ta = unwrap(x, "cumsum")
    out = np.cumsum(a, axis=axis).astype(res, copy=False)
    return Tensor.from_op(out, (ta,), lambda d: (_reverse_cumsum(d, axis),), "cumsum")


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (of the flattened tensor when None); zeros are allowed."""
    x, axis, res = _scan_input("cumprod", x, axis, dtype)
    a, ta = unwrap(x, "cumprod")
    a = np.asarray(a)
    out = np.cumprod(a, axis=axis).astype(res, copy=False)

    def backward(d):
        # d out_i / d a_j = out_i / a_j for i >= j; where a_j = 0 only the first zero of a lane
        # gets a gradient, the product of the others: cumprod with that zero replaced by 1
        zero = a == 0
        g = _reverse_cumsum(d * out, axis) / np.where(zero, 1, a)
        first = zero & (np.cumsum(zero, axis=axis) == 1)
        if first.any():
            swapped = np.cumprod(np.where(first, 1, a), axis=axis)
            g = np.where(first, _reverse_cumsum(d * swapped, axis), np.where(zero, 0, g))
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "cumprod")


def average(x, axis=None, weights=None):
    """Mean over `axis` weighted by `weights` (1-D along `axis`, or the shape of `x`)."""
    from .elementwise import divide, multiply
    from .shape import reshape

    if weights is None:
        return mean(x, axis=axis)
    a, w = np.asarray(unwrap(x, "average")[0]), np.asarray(unwrap(weights, "average")[0])
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


def median(x, axis=None, keepdims=False):
    """Median over `axis` (the mean of the two middle values for even counts)."""
    from .shape import moveaxis, reshape, sort

    a = np.asarray(unwrap(x, "median")[0])
    axes = normalize_axis(axis, a.ndim)
    rest = [i for i in range(a.ndim) if i not in axes]
    # put the reduced axes last, flatten them into one, sort it and average the middle entries
    moved = moveaxis(x, axes, tuple(range(len(rest), a.ndim))) if axes else x
    flat = sort(reshape(moved, [a.shape[i] for i in rest] + [-1]), axis=-1)
    n = flat.shape[-1]
    out = mean(flat[..., (n - 1) // 2 : n // 2 + 1], axis=-1)
    if keepdims:
        out = reshape(out, [1 if i in axes else a.shape[i] for i in range(a.ndim)])
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm over `axis`, as `numpy.linalg.norm` (no spectral/nuclear norms).

    >>> import minikeras as keras
    >>> float(keras.ops.norm([3.0, -4.0]))
    5.0
    """
    from .elementwise import abs as absolute, power, sqrt, square
    from .shape import squeeze

    a = np.asarray(unwrap(x, "norm")[0])
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
        from .shape import cast

        return cast(count_nonzero(x, axis=axis), a.dtype if a.dtype.kind == "f" else "float32")
    if ord == 1:
        return sum(absolute(x), axis=axis, keepdims=keepdims)
    return power(sum(power(absolute(x), ord), axis=axis, keepdims=keepdims), 1.0 / ord)
