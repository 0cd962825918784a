"""Normalization ops: moments, normalize, batch_normalization, rms_normalization, layer_normalization."""

import numpy as np

from ._base import axis_of, unwrap
from .nn import EPSILON

__all__ = [
    "moments",
    "normalize",
    "batch_normalization",
    "rms_normalization",
    "layer_normalization",
]


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance over `axes`, as Keras's `ops.moments`.

    Args:
        x: input tensor.
        axes: the axes to reduce (a list or tuple).
        keepdims: whether to keep the reduced axes with size 1.
        synchronized: accepted for Keras compatibility (single device).

    Returns:
        A tuple `(mean, variance)`.

    >>> import minikeras as keras
    >>> mean, variance = keras.ops.moments([1.0, 2.0, 3.0, 4.0], axes=[0])
    >>> float(mean), float(variance)
    (2.5, 1.25)
    """
    from .arithmetic import subtract
    from .elementwise import square
    from .reduce import mean

    m = mean(x, axis=axes, keepdims=True)
    v = mean(square(subtract(x, m)), axis=axes, keepdims=keepdims)
    return (m if keepdims else mean(x, axis=axes)), v


def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm along `axis`: `x / max(norm(x), epsilon)`.

    Args:
        x: input tensor.
        axis: the axis of the norm.
        order: the norm order (an int >= 1; 2 is Euclidean).
        epsilon: the smallest divisor; `None` means 1e-7.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.normalize([3.0, 4.0]).numpy().round(4))
    [0.6 0.8]
    """
    from .arithmetic import divide, maximum
    from .reduce import norm

    unwrap(x, "normalize")  # complex input: a TypeError (Keras on torch raises too)
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: order must be an int >= 1. Received: order={order!r}")
    eps = EPSILON if epsilon is None else epsilon
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), eps))


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalises with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    Args:
        x: input tensor.
        mean, variance: 1-D tensors laid along `axis` (or tensors broadcastable to `x`).
        axis: the feature axis of `x`.
        offset: optional 1-D shift (beta).
        scale: optional 1-D scale (gamma).
        epsilon: added to the variance.

    Returns:
        A tensor of the shape of `x`.

    >>> import minikeras as keras
    >>> keras.ops.batch_normalization([[1.0, 3.0]], mean=[0.0, 1.0], variance=[1.0, 4.0],
    ...                               axis=-1, epsilon=0.0).numpy().tolist()
    [[1.0, 1.0]]
    """
    from .fused_norm import batch_normalization as one_batch_norm_op  # BatchNormalization's op

    return one_batch_norm_op(x, mean, variance, axis, offset, scale, epsilon)


def _norm_axes(x, axis, op):
    n = np.ndim(unwrap(x, op)[0])
    axes = sorted({axis_of(a, n, op) for a in ([axis] if np.ndim(axis) == 0 else axis)})
    # a weight laid along the normalised axes, reshaped to broadcast against `x`
    bshape = [np.shape(unwrap(x, op)[0])[a] if a in axes else 1 for a in range(n)]
    return axes, bshape


def _in_float(x, op):
    """`x` in Keras's compute dtype for a normalisation (at least float32) and the dtype to
    cast the result back to (Keras 3 returns the input's dtype, ints truncated)."""
    from ..dtypes import result_type
    from .conversion import cast

    original = np.asarray(unwrap(x, op)[0]).dtype.name
    compute = result_type(original, "float32")
    return (x if compute == original else cast(x, compute)), original


def _back(out, original):
    from .conversion import cast

    return out if out.dtype.name == original else cast(out, original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalisation: `x * rsqrt(mean(square(x), axis) + epsilon) * scale`.

    Unlike `layer_normalization`, the mean is not subtracted (Zhang & Sennrich, 2019).

    Args:
        x: input tensor.
        scale: optional weight laid along `axis` (or broadcastable to `x`).
        axis: an int or a list of ints, the normalised axes.
        epsilon: added to the mean square; `None` means 1e-7 (Keras's `backend.epsilon()`).

    Returns:
        A tensor of the shape and dtype of `x` (computed in at least float32, as Keras 3: ints
        come back truncated).

    >>> import minikeras as keras
    >>> print(keras.ops.rms_normalization([[3.0, 4.0]], epsilon=0.0).numpy().round(4))
    [[0.8485 1.1314]]
    """
    from .arithmetic import add, multiply
    from .elementwise import rsqrt, square
    from .reduce import mean
    from .shape import reshape

    axes, bshape = _norm_axes(x, axis, "rms_normalization")
    eps = EPSILON if epsilon is None else epsilon
    x, original = _in_float(x, "rms_normalization")
    out = multiply(x, rsqrt(add(mean(square(x), axis=axes, keepdims=True), eps)))
    if scale is not None:
        s = unwrap(scale, "rms_normalization")[0]
        out = multiply(out, reshape(scale, bshape) if np.ndim(s) < len(bshape) else scale)
    return _back(out, original)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalisation: `(x - mean) / sqrt(var + epsilon) * gamma + beta` over `axis`.

    The variance is the biased one. Keras's deprecated `rms_scaling=True` keyword is accepted:
    it then returns `x / sqrt(var + epsilon) * gamma` (a warning says so, as in Keras 3).

    Args:
        x: input tensor.
        gamma, beta: optional scale and shift laid along `axis`.
        axis: an int or a list of ints, the normalised axes.
        epsilon: added to the variance; `None` means 1e-7.

    Returns:
        A tensor of the shape and dtype of `x` (computed in at least float32, as Keras 3: ints
        come back truncated).

    >>> import minikeras as keras
    >>> print(keras.ops.layer_normalization([0.0, 1.0, 2.0, 3.0, 4.0]).numpy().round(4))
    [-1.4142 -0.7071  0.      0.7071  1.4142]
    """
    import warnings

    from .arithmetic import add, multiply, subtract
    from .elementwise import rsqrt
    from .shape import reshape

    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments: {sorted(kwargs)}")
    if rms_scaling:
        warnings.warn(
            "layer_normalization: `rms_scaling=True` is deprecated (it divides by the standard "
            "deviation, not the root mean square); use `keras.ops.rms_normalization`.",
            stacklevel=2,
        )
    axes, bshape = _norm_axes(x, axis, "layer_normalization")
    eps = EPSILON if epsilon is None else epsilon

    def along(v):
        if v is None:
            return None
        if np.ndim(unwrap(v, "layer_normalization")[0]) < len(bshape):
            return reshape(v, bshape)
        return v

    x, original = _in_float(x, "layer_normalization")
    mean, var = moments(x, axes=axes, keepdims=True)
    inv = rsqrt(add(var, eps))
    if rms_scaling:
        out = multiply(x, inv)
        return _back(out if gamma is None else multiply(out, along(gamma)), original)
    out = multiply(subtract(x, mean), inv)
    if gamma is not None:
        out = multiply(out, along(gamma))
    return _back(out if beta is None else add(out, along(beta)), original)
