"""Comparison and logical ops: equal, less, greater, logical_and/or/xor/not, isnan, isclose, where."""

import numpy as np

from ..tensor import Tensor
from ._base import keras_operands, unwrap
from ._elementwise_base import _no_grad

__all__ = [
    "where",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_not",
    "isnan",
    "isfinite",
    "isinf",
    "logical_xor",
    "isclose",
]


def where(condition, x1=None, x2=None):
    """Picks `x1` where `condition` is true and `x2` elsewhere, broadcasting all three.

    Args:
        condition: boolean (or truthy) tensor.
        x1: values taken where `condition` holds.
        x2: values taken elsewhere. With neither `x1` nor `x2`, returns the indices of the true
            entries instead, one int tensor per axis (as `numpy.nonzero`).

    Returns:
        A tensor of the broadcast shape, or a tuple of index tensors.

    >>> import minikeras as keras
    >>> keras.ops.where([True, False, True], [1.0, 2.0, 3.0], 0.0).numpy().tolist()
    [1.0, 0.0, 3.0]
    """
    c, _ = unwrap(condition, "where")
    if x1 is None and x2 is None:
        return tuple(Tensor(i) for i in np.nonzero(c))
    if x1 is None or x2 is None:
        raise ValueError(
            "where: `x1` and `x2` must both be None or both be given. "
            f"Received: x1={'None' if x1 is None else 'a value'}, "
            f"x2={'None' if x2 is None else 'a value'}"
        )
    x, ta = unwrap(x1, "where")
    y, tb = unwrap(x2, "where")
    c = np.asarray(c).astype(bool)
    x, y = keras_operands(x, y)  # Keras 3: int32 with float32 -> float32, where(c, 1, 0) int32
    try:
        out = np.where(c, x, y)
    except ValueError as e:
        shapes = f"{np.shape(c)}, {np.shape(x)} and {np.shape(y)}"
        raise ValueError(f"where: shapes {shapes} cannot be broadcast together ({e}).") from None
    zero = np.zeros((), out.dtype)

    def backward_ops(d, out):
        return where(c, d, zero), where(c, zero, d)

    return Tensor.from_op(
        out,
        (ta, tb),
        lambda d: (np.where(c, d, zero), np.where(c, zero, d)),
        "where",
        backward_ops,
    )


def equal(x1, x2):
    """Elementwise `x1 == x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.equal([1, 2], [1, 3]).numpy().tolist()
    [True, False]
    """
    return _no_grad("equal", np.equal, x1, x2)


def not_equal(x1, x2):
    """Elementwise `x1 != x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.not_equal([1, 2], [1, 3]).numpy().tolist()
    [False, True]
    """
    return _no_grad("not_equal", np.not_equal, x1, x2)


def less(x1, x2):
    """Elementwise `x1 < x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.less([1, 2, 3], 2).numpy().tolist()
    [True, False, False]
    """
    return _no_grad("less", np.less, x1, x2)


def less_equal(x1, x2):
    """Elementwise `x1 <= x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.less_equal([1, 2, 3], 2).numpy().tolist()
    [True, True, False]
    """
    return _no_grad("less_equal", np.less_equal, x1, x2)


def greater(x1, x2):
    """Elementwise `x1 > x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.greater([1, 2, 3], 2).numpy().tolist()
    [False, False, True]
    """
    return _no_grad("greater", np.greater, x1, x2)


def greater_equal(x1, x2):
    """Elementwise `x1 >= x2`, with broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.greater_equal([1, 2, 3], 2).numpy().tolist()
    [False, True, True]
    """
    return _no_grad("greater_equal", np.greater_equal, x1, x2)


def logical_and(x1, x2):
    """Elementwise logical AND of the truth values of `x1` and `x2`.

    Args:
        x1, x2: tensors, arrays or Python scalars (non-zero means true).

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.logical_and([True, True, False], [True, False, False]).numpy().tolist()
    [True, False, False]
    """
    return _no_grad("logical_and", np.logical_and, x1, x2)


def logical_or(x1, x2):
    """Elementwise logical OR of the truth values of `x1` and `x2`.

    Args:
        x1, x2: tensors, arrays or Python scalars (non-zero means true).

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.logical_or([True, True, False], [True, False, False]).numpy().tolist()
    [True, True, False]
    """
    return _no_grad("logical_or", np.logical_or, x1, x2)


def logical_xor(x1, x2):
    """Elementwise logical exclusive OR of the truth values of `x1` and `x2`.

    Args:
        x1, x2: tensors, arrays or Python scalars (non-zero means true).

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.logical_xor([True, True, False], [True, False, False]).numpy().tolist()
    [False, True, False]
    """
    return _no_grad("logical_xor", np.logical_xor, x1, x2)


def logical_not(x):
    """Elementwise logical NOT of the truth values of `x`.

    Args:
        x: input tensor (non-zero means true).

    Returns:
        A bool tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.logical_not([True, False]).numpy().tolist()
    [False, True]
    """
    return _no_grad("logical_not", np.logical_not, x)


def isnan(x):
    """Elementwise test for NaN.

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.isnan([1.0, float("nan")]).numpy().tolist()
    [False, True]
    """
    return _no_grad("isnan", np.isnan, x)


def isfinite(x):
    """Elementwise test for finite values (neither NaN nor infinite).

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.isfinite([1.0, float("inf"), float("nan")]).numpy().tolist()
    [True, False, False]
    """
    return _no_grad("isfinite", np.isfinite, x)


def isinf(x):
    """Elementwise test for positive or negative infinity.

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.isinf([1.0, float("-inf"), float("nan")]).numpy().tolist()
    [False, True, False]
    """
    return _no_grad("isinf", np.isinf, x)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Elementwise `|x1 - x2| <= atol + rtol * |x2|`, as `numpy.isclose`.

    Args:
        x1, x2: tensors, arrays or Python scalars (broadcast together).
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Returns:
        A bool tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.isclose([1.0, 1.0], [1.0 + 1e-9, 1.1]).numpy().tolist()
    [True, False]
    """
    return _no_grad("isclose", lambda a, b: np.isclose(a, b, rtol, atol, equal_nan), x1, x2)
