"""Softmax-like ops over an axis: softmax, log_softmax, sparsemax, glu."""

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from . import elementwise as ew
from ._base import axis_of, result_float, unwrap
from .nn import sigmoid

__all__ = ["softmax", "log_softmax", "sparsemax", "glu"]


def _softmax_rows(a, axis):
    """Whether softmax over `axis` of `a` can run on `kernels/softmax.py`'s rows."""
    return (
        type(axis) is int
        and a.ndim
        and axis in (-1, a.ndim - 1)
        and a.size
        and a.dtype in (np.float32, np.float64)
    )


def _softmax_array(a, axis):
    if _softmax_rows(a, axis):
        rows = np.ascontiguousarray(a).reshape(-1, a.shape[-1])
        return load_kernels("softmax").softmax(rows).reshape(a.shape)
    # in place after the first temporary: attention scores are MBs, and each fresh temporary
    # costs page faults (same values as exp(a - max) / sum)
    e = np.subtract(a, a.max(axis=axis, keepdims=True), out=np.empty(a.shape, a.dtype))
    np.exp(e, out=e)
    e /= e.sum(axis=axis, keepdims=True)
    return e


def _scalar_as_vector(fn, x, axis, name):
    """`fn` of a 0-d `x` over its only value, as Keras 3 computes it (torch treats a scalar as
    one element along axis -1 or 0): `fn(x as shape (1,))` back to shape ()."""
    from .shape import reshape

    if axis not in (-1, 0, None):
        raise np.exceptions.AxisError(
            f"{name}: axis {axis} is out of range for a tensor of rank 0 (a scalar has no axis)."
        )
    return reshape(fn(reshape(x, (1,)), axis=-1), ())


def softmax(x, axis=-1):
    """Softmax along an axis: `exp(x) / sum(exp(x))`, computed stably.

    Args:
        x: input tensor.
        axis: the axis that sums to 1.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.softmax([[0.0, 0.0], [1.0, 1.0]]).numpy().tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    if isinstance(x, (int, float)):  # Keras 3 fails on a Python number (AttributeError)
        raise TypeError(
            f"softmax expects a tensor (it normalises along `axis`). Received a Python "
            f"{type(x).__name__}: {x!r}"
        )
    a, ta = unwrap(x, "softmax", weak=False)
    if np.ndim(a) == 0:  # a 0-d array or tensor: Keras 3 (torch) gives 1
        return _scalar_as_vector(softmax, x, axis, "softmax")
    a = result_float(np.asarray(a))
    out = _softmax_array(a, axis)

    def backward(d):
        # d softmax: s * (d - sum(d * s)), reusing one temporary
        if _softmax_rows(out, axis) and d.dtype == out.dtype:
            rows = out.reshape(-1, out.shape[-1])
            d = np.ascontiguousarray(d).reshape(rows.shape)
            return (load_kernels("softmax").softmax_grad(rows, d).reshape(out.shape),)
        g = d * out
        np.subtract(d, g.sum(axis=axis, keepdims=True), out=g)
        g *= out
        return (g,)

    def backward_ops(d, s):
        from .reduce import sum as rsum

        return (s * (d - rsum(d * s, axis=axis, keepdims=True)),)

    return Tensor.from_op(out, (ta,), backward, "softmax", backward_ops)


def log_softmax(x, axis=-1):
    """Log-softmax along an axis: `x - logsumexp(x)`, computed stably.

    Args:
        x: input tensor.
        axis: the axis to normalise over.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.log_softmax([0.0, 0.0]).numpy().round(4))
    [-0.6931 -0.6931]
    """
    a, ta = unwrap(x, "log_softmax", weak=False)
    if np.ndim(a) == 0:
        return _scalar_as_vector(log_softmax, x, axis, "log_softmax")
    a = result_float(np.asarray(a))
    shifted = a - a.max(axis=axis, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

    def backward(d):
        return (d - np.exp(out) * d.sum(axis=axis, keepdims=True),)

    def backward_ops(d, out):
        from .reduce import sum as rsum

        return (d - ew.exp(out) * rsum(d, axis=axis, keepdims=True),)

    return Tensor.from_op(out, (ta,), backward, "log_softmax", backward_ops)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` into halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
        x: input tensor; its size along `axis` must be even.
        axis: the axis to split.

    Returns:
        A tensor with `axis` halved.

    >>> import minikeras as keras
    >>> keras.ops.glu([[1.0, 0.0]]).numpy().tolist()
    [[0.5]]
    """
    from .arithmetic import multiply
    from .joining import split

    a, b = split(x, 2, axis=axis)
    return multiply(a, sigmoid(b))


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    `max(x - tau, 0)` with `tau` chosen so that each slice sums to 1 (Martins & Astudillo, 2016).

    Keras 3.15.1 computes `tau` from the sum of the cumulative sums over the support, which
    is right only when one entry is non-zero (keras-team/keras#23425, fixed upstream in #23469);
    minikeras computes the projection itself, so they agree whenever Keras 3.15.1 is correct.

    Args:
        x: input tensor.
        axis: the axis to normalise.

    Returns:
        A float tensor of the same shape: non-negative, summing to 1 along `axis`.

    >>> import minikeras as keras
    >>> keras.ops.sparsemax([[0.0, 0.5, 1.0]]).numpy().tolist()
    [[0.0, 0.25, 0.75]]
    """
    a, ta = unwrap(x, "sparsemax")
    a = result_float(np.asarray(a))
    if a.ndim == 0:
        return _scalar_as_vector(sparsemax, x, axis, "sparsemax")
    axis = axis_of(axis, a.ndim, "sparsemax")
    if a.size == 0:  # nothing to project (Keras 3 returns the empty tensor)
        return Tensor.from_op(a.copy(), (ta,), lambda d: (np.zeros_like(d),), "sparsemax")
    z = np.moveaxis(a, axis, -1)
    srt = -np.sort(-z, axis=-1)
    cum = np.cumsum(srt, axis=-1)
    k = np.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    support = srt * k > cum - 1  # sorted entries inside the support: a prefix
    size = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cum, size - 1, axis=-1) - 1) / size.astype(z.dtype)
    out = np.moveaxis(np.maximum(z - tau, 0), -1, axis).astype(a.dtype, copy=False)

    def backward(d):
        # on the support S: d - mean_S(d); zero elsewhere (the Jacobian diag(s) - s s^T / |S|)
        s = out > 0
        n = np.maximum(s.sum(axis=axis, keepdims=True), 1)
        mean = (d * s).sum(axis=axis, keepdims=True) / n
        return (np.where(s, d - mean, 0).astype(a.dtype, copy=False),)

    return Tensor.from_op(out, (ta,), backward, "sparsemax")
