"""Reductions that ignore NaNs: nansum, nanprod, nanmean, nanvar, nanstd, nanmax, nanmin, nanargmax, nanargmin."""

import numpy as np

from ._base import keras_dtype, result_float, unwrap
from .reduce import _index_op, max, min, prod, sum

__all__ = [
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
]


# -- NaN-ignoring reductions (keras.ops.nan*) --------------------------------------------------
# Each is the plain op on `x` with NaNs replaced by the op's neutral value (composed of
# differentiable ops, so NaN entries get a zero gradient); integers have no NaNs and go straight
# through.
def _without_nan(x, op, fill):
    from .comparison import isnan, where

    a, _ = unwrap(x, op, weak=False)
    if np.asarray(a).dtype.kind != "f":
        return x, None
    nan = isnan(x)
    return where(nan, np.asarray(fill, np.asarray(a).dtype), x), nan


def _all_nan_to_nan(out, nan, axis, keepdims):
    """A slice that is all NaN gives NaN (numpy's nanmax/nanmin/nanmean, with a warning)."""
    if nan is None:
        return out
    from .comparison import where

    every = np.all(nan.data, axis=axis, keepdims=keepdims)
    return where(every, np.asarray(np.nan, out.dtype), out) if np.any(every) else out


def nansum(x, axis=None, keepdims=False):
    """Sum over `axis` treating NaN as 0.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A tensor (int8/int16/bool sums in int32, as `sum`).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nansum([[1.0, np.nan], [3.0, 2.0]], axis=1).numpy().tolist()
    [1.0, 5.0]
    """
    y, _ = _without_nan(x, "nansum", 0)
    return sum(y, axis=axis, keepdims=keepdims)


@keras_dtype(nargs=1, weak=False)  # result_type(x): 64-bit narrowed, as Keras 3
def nanprod(x, axis=None, keepdims=False):
    """Product over `axis` treating NaN as 1.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanprod([[1.0, np.nan], [3.0, 2.0]], axis=1).numpy().tolist()
    [1.0, 6.0]
    """
    y, _ = _without_nan(x, "nanprod", 1)
    return prod(y, axis=axis, keepdims=keepdims)


def _nan_count(nan, a, axis, keepdims):
    keep = ~nan.data if nan is not None else np.ones(np.shape(a), bool)
    return np.sum(keep, axis=axis, keepdims=keepdims)


@keras_dtype(nargs=1, weak=False)
def nanmean(x, axis=None, keepdims=False):
    """Mean over `axis` of the non-NaN entries (NaN where a slice has none).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor (floatx for integer input).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanmean([[1.0, np.nan], [3.0, 2.0]], axis=1).numpy().tolist()
    [1.0, 2.5]
    """
    from .arithmetic import divide

    a, _ = unwrap(x, "nanmean", weak=False)
    y, nan = _without_nan(x, "nanmean", 0)
    total = sum(y, axis=axis, keepdims=keepdims)
    count = _nan_count(nan, a, axis, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = divide(total, np.asarray(count, result_float(np.asarray(total.data)).dtype))
    return out


@keras_dtype(nargs=1, weak=False)
def nanvar(x, axis=None, keepdims=False):
    """Variance (biased) over `axis` of the non-NaN entries.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanvar([[1.0, np.nan, 3.0]], axis=1).numpy().tolist()
    [1.0]
    """
    from .arithmetic import divide, subtract
    from .elementwise import square

    a, _ = unwrap(x, "nanvar", weak=False)
    m = nanmean(x, axis=axis, keepdims=True)
    y, nan = _without_nan(subtract(x, m), "nanvar", 0)
    count = _nan_count(nan, a, axis, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = sum(square(y), axis=axis, keepdims=keepdims)
        return divide(total, np.asarray(count, total.dtype))


@keras_dtype(nargs=1, weak=False)
def nanstd(x, axis=None, keepdims=False):
    """Standard deviation (biased) over `axis` of the non-NaN entries.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanstd([[1.0, np.nan, 3.0]], axis=1).numpy().tolist()
    [1.0]
    """
    from .elementwise import sqrt

    return sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nanmax(x, axis=None, keepdims=False):
    """Largest non-NaN value over `axis` (NaN where a slice is all NaN).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanmax([[1.0, np.nan], [3.0, 2.0]], axis=1).numpy().tolist()
    [1.0, 3.0]
    """
    y, nan = _without_nan(x, "nanmax", -np.inf)
    return _all_nan_to_nan(max(y, axis=axis, keepdims=keepdims), nan, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """Smallest non-NaN value over `axis` (NaN where a slice is all NaN).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanmin([[1.0, np.nan], [3.0, 2.0]], axis=1).numpy().tolist()
    [1.0, 2.0]
    """
    y, nan = _without_nan(x, "nanmin", np.inf)
    return _all_nan_to_nan(min(y, axis=axis, keepdims=keepdims), nan, axis, keepdims)


def nanargmax(x, axis=None, keepdims=False):
    """Index of the largest non-NaN value along `axis` (int32, no gradient).

    Args:
        x: input tensor.
        axis: the axis to search; `None` searches the flattened tensor.
        keepdims: whether to keep the reduced axis with size 1.

    Returns:
        An int32 tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanargmax([[1.0, np.nan, 3.0]], axis=1).numpy().tolist()
    [2]
    """
    return _index_op("nanargmax", np.nanargmax, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """Index of the smallest non-NaN value along `axis` (int32, no gradient).

    Args:
        x: input tensor.
        axis: the axis to search; `None` searches the flattened tensor.
        keepdims: whether to keep the reduced axis with size 1.

    Returns:
        An int32 tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanargmin([[1.0, np.nan, 3.0]], axis=1).numpy().tolist()
    [0]
    """
    return _index_op("nanargmin", np.nanargmin, x, axis, keepdims)
