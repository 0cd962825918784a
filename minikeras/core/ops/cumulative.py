"""Cumulative ops along an axis: cumsum, cumprod and their nan-ignoring forms."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import keras_dtype, normalize_axis, unwrap
from .nan_reduce import _without_nan

__all__ = ["cumsum", "cumprod", "nancumsum", "nancumprod"]


def _reverse_cumsum(d, axis):
    return np.flip(np.cumsum(np.flip(d, axis), axis=axis), axis)


def _scan_input(op, x, axis, dtype):
    a, ta = unwrap(x, op, weak=False)
    a = np.asarray(a)
    if dtype is not None:
        res = np.dtype(dtypes.standardize_dtype(dtype))
    else:  # Keras 3 keeps the input dtype (int8 stays int8, unlike sum), bool counts in int32
        res = np.dtype("int32") if a.dtype == bool else a.dtype
    if axis is None:  # flattened, as numpy
        from .shape import reshape

        return reshape(x, (-1,)) if ta.requires_grad else a.reshape(-1), 0, res
    return x, normalize_axis(axis, a.ndim)[0], res  # out of range: AxisError, as Keras 3


@keras_dtype(nargs=1, weak=False)  # result_type(x): 64-bit narrowed, as Keras 3
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis`.

    Args:
        x: input tensor.
        axis: the axis; `None` works on the flattened tensor.
        dtype: the result dtype; `None` keeps the input's (bool gives int32), as Keras 3.

    Returns:
        A tensor of the same shape (1-D when `axis` is None).

    >>> import minikeras as keras
    >>> keras.ops.cumsum([1, 2, 3]).numpy().tolist()
    [1, 3, 6]
    """
    x, axis, res = _scan_input("cumsum", x, axis, dtype)
    a, ta = unwrap(x, "cumsum", weak=False)
    out = np.cumsum(a, axis=axis).astype(res, copy=False)
    return Tensor.from_op(out, (ta,), lambda d: (_reverse_cumsum(d, axis),), "cumsum")


@keras_dtype(nargs=1, weak=False)
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`; the gradient is exact even with zero entries.

    Args:
        x: input tensor.
        axis: the axis; `None` works on the flattened tensor.
        dtype: the result dtype; `None` keeps the input's (bool gives int32), as Keras 3.

    Returns:
        A tensor of the same shape (1-D when `axis` is None).

    >>> import minikeras as keras
    >>> keras.ops.cumprod([1, 2, 3]).numpy().tolist()
    [1, 2, 6]
    """
    x, axis, res = _scan_input("cumprod", x, axis, dtype)
    a, ta = unwrap(x, "cumprod", weak=False)
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


@keras_dtype(nargs=1, weak=False)
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` treating NaN as 0.

    Args:
        x: input tensor.
        axis: the axis; `None` works on the flattened tensor.
        dtype: the result dtype (as `cumsum`).

    Returns:
        A tensor of the same shape (1-D when `axis` is None).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nancumsum([1.0, np.nan, 2.0]).numpy().tolist()
    [1.0, 1.0, 3.0]
    """
    y, _ = _without_nan(x, "nancumsum", 0)
    return cumsum(y, axis=axis, dtype=dtype)


@keras_dtype(nargs=1, weak=False)
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` treating NaN as 1.

    Args:
        x: input tensor.
        axis: the axis; `None` works on the flattened tensor.
        dtype: the result dtype (as `cumprod`).

    Returns:
        A tensor of the same shape (1-D when `axis` is None).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nancumprod([2.0, np.nan, 3.0]).numpy().tolist()
    [2.0, 2.0, 6.0]
    """
    y, _ = _without_nan(x, "nancumprod", 1)
    return cumprod(y, axis=axis, dtype=dtype)
