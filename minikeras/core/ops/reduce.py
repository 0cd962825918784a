"""Reductions over axes: sum, mean, max, min, prod, var, std, logsumexp, argmax, argmin, ..."""

import numpy as np

from ..tensor import Tensor
from ._base import normalize_axis, result_float, unwrap

__all__ = [
    "sum", "mean", "max", "min", "prod", "var", "std", "logsumexp", "argmax", "argmin", "any",
    "all", "amax", "amin", "cumsum", "norm", "count_nonzero",
]  # fmt: skip


def _expand(grad, shape, axes, keepdims):
    """Reshapes a reduced gradient so that it broadcasts against the input shape."""
    if keepdims:
        return grad
    return np.expand_dims(grad, axes) if axes else grad


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple or None for all)."""
    a, ta = unwrap(x, "sum")
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    out = np.sum(a, axis=axes, keepdims=keepdims)
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
        g = _expand(d, shape, axes, keepdims) / max(n, 1)
        return (np.broadcast_to(g, shape).astype(a.dtype, copy=False),)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "mean")


def _extreme(op, fn, x, axis, keepdims):
    a, ta = unwrap(x, op)
    a = np.asarray(a)
    if a.size == 0:
        raise ValueError(f"{op} of an empty tensor (shape {a.shape}) has no value.")
    axes = normalize_axis(axis, a.ndim)
    out = np.asarray(fn(a, axis=axes, keepdims=keepdims))

    def backward(d):
        full = fn(a, axis=axes, keepdims=True)
        hit = a == full
        count = hit.sum(axis=axes, keepdims=True)  # ties share the gradient equally
        return (hit * (_expand(d, a.shape, axes, keepdims) / count),)

    return Tensor.from_op(out, (ta,), backward, op)


def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`; tied maxima share the gradient."""
    return _extreme("max", np.max, x, axis, keepdims)


def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`; tied minima share the gradient."""
    return _extreme("min", np.min, x, axis, keepdims)


amax, amin = max, min


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`."""
    a, ta = unwrap(x, "prod")
    a = np.asarray(a)
    axes = normalize_axis(axis, a.ndim)
    out = np.prod(a, axis=axes, keepdims=keepdims)

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
    if axis is None:
        out = fn(a.reshape(-1))
        return Tensor(np.asarray(out, dtype="int32"))
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


def cumsum(x, axis=None):
    """Cumulative sum along `axis` (flattened when None)."""
    a, ta = unwrap(x, "cumsum")
    a = np.asarray(a)
    if axis is None:
        flat = a.reshape(-1)
        out = np.cumsum(flat)
        return Tensor.from_op(
            out, (ta,), lambda d: (np.cumsum(d[::-1])[::-1].reshape(a.shape),), "cumsum"
        )
    out = np.cumsum(a, axis=axis)
    return Tensor.from_op(
        out, (ta,), lambda d: (np.flip(np.cumsum(np.flip(d, axis), axis=axis), axis),), "cumsum"
    )


def norm(x, ord=None, axis=None, keepdims=False):
    """Euclidean norm over `axis` (the default `ord`)."""
    from .elementwise import sqrt, square

    if ord not in (None, 2, "fro", "euclidean"):
        raise ValueError(f"norm supports ord=None/2/'fro' only. Received: ord={ord!r}")
    return sqrt(sum(square(x), axis=axis, keepdims=keepdims))
