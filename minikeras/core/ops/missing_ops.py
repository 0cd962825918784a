"""Keras 3 ops that minikeras lacked (issue 16): numpy-style elementwise math and quantiles (the
array helpers and `keras.ops.nn`'s `psnr`, `depth_to_space`, `space_to_depth` are in
`missing_array_ops.py`).

Most are composed from other ops, so their gradients come from those ops' backwards (the
quantiles differentiate through `sort` and `take_along_axis`, as on Keras's jax and torch
backends); the few new primitives define their backward beside the forward. Boolean outputs
(`signbit`, `isposinf`, ...) carry no gradient, as in Keras.
"""

import math

import numpy as np

from ..tensor import Tensor
from . import arithmetic as _arithmetic
from . import comparison as _comparison
from . import elementwise as _elementwise
from . import indexing as _indexing
from . import reduce as _reduce
from . import sorting as _sorting
from ._base import keras_operands, keras_dtype, normalize_axis, result_float, unwrap
from .shape import moveaxis, reshape

__all__ = [
    "cbrt",
    "deg2rad",
    "rad2deg",
    "fabs",
    "hypot",
    "logaddexp2",
    "sinc",
    "fmax",
    "fmin",
    "heaviside",
    "signbit",
    "isneginf",
    "isposinf",
    "ptp",
    "quantile",
    "percentile",
    "nanquantile",
    "nanpercentile",
    "nanmedian",
]


def _no_grad(op, fn, *xs):
    arrays = [np.asarray(unwrap(x, op)[0]) for x in xs]
    if len(arrays) == 2:
        arrays = keras_operands(*arrays)
    return Tensor(np.asarray(fn(*arrays)))


def _floats(x, op):
    """`x` as a Tensor of floats (ints and bools become floatx), gradient kept."""
    a, t = unwrap(x, op, weak=False)
    a = np.asarray(a)
    if a.dtype.kind != "f":
        return Tensor(result_float(a))
    return t if isinstance(x, Tensor) else Tensor(a)


def _float_operands(op, x1, x2):
    """Both operands as arrays in Keras 3's result dtype (floatx when neither is a float)."""
    x, tx = unwrap(x1, op)
    y, ty = unwrap(x2, op)
    x, y = (np.asarray(v) for v in keras_operands(x, y))
    if x.dtype.kind != "f" and y.dtype.kind != "f":
        x, y = result_float(x), result_float(y)
    return x, y, tx, ty


# -- elementwise ------------------------------------------------------------------------------
def cbrt(x):
    """Elementwise cube root (real, so `cbrt(-8) == -2`).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.cbrt([-8.0, 27.0]).numpy().round(4).tolist()
    [-2.0, 3.0]
    """
    a, ta = unwrap(x, "cbrt", weak=False)
    a = result_float(np.asarray(a))
    out = np.cbrt(a)
    with np.errstate(divide="ignore"):  # d cbrt(x) = d / (3 cbrt(x)^2), infinite at 0
        return Tensor.from_op(out, (ta,), lambda d: (d / (3.0 * np.square(out)),), "cbrt")


def deg2rad(x):
    """Converts angles from degrees to radians: `x * pi / 180`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> round(float(keras.ops.deg2rad(180.0)), 5)
    3.14159
    """
    return _arithmetic.multiply(_floats(x, "deg2rad"), math.pi / 180.0)


def rad2deg(x):
    """Converts angles from radians to degrees: `x * 180 / pi`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> round(float(keras.ops.rad2deg(3.141592653589793)), 3)
    180.0
    """
    return _arithmetic.multiply(_floats(x, "rad2deg"), 180.0 / math.pi)


def fabs(x):
    """Elementwise absolute value as floats (`numpy.fabs`).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.fabs([-2, 3]).numpy().tolist()
    [2.0, 3.0]
    """
    return _elementwise.abs(_floats(x, "fabs"))


@keras_dtype(weak=False, int_to_float=True)
def hypot(x1, x2):
    """Elementwise hypotenuse `sqrt(x1**2 + x2**2)`.

    Args:
        x1, x2: tensors (broadcast together); integers are converted to floats.

    Returns:
        A float tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.hypot([3.0], [4.0]).numpy().tolist()
    [5.0]
    """
    x, y, tx, ty = _float_operands("hypot", x1, x2)
    out = np.hypot(x, y)

    def backward(d):
        with np.errstate(invalid="ignore", divide="ignore"):
            return d * np.nan_to_num(x / out), d * np.nan_to_num(y / out)

    return Tensor.from_op(out, (tx, ty), backward, "hypot")


@keras_dtype(float, weak=False)
def logaddexp2(x1, x2):
    """Elementwise `log2(2**x1 + 2**x2)`, computed without overflow.

    Args:
        x1, x2: tensors (broadcast together); integers are converted to floats.

    Returns:
        A float tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.logaddexp2([1.0], [1.0]).numpy().tolist()
    [2.0]
    """
    ln2 = math.log(2.0)
    a, b = _floats(x1, "logaddexp2"), _floats(x2, "logaddexp2")
    return _arithmetic.divide(
        _elementwise.logaddexp(_arithmetic.multiply(a, ln2), _arithmetic.multiply(b, ln2)), ln2
    )


def sinc(x):
    """Normalized sinc `sin(pi x) / (pi x)`, 1 at 0.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> float(keras.ops.sinc(0.0)), round(float(keras.ops.sinc(0.5)), 4)
    (1.0, 0.6366)
    """
    a, ta = unwrap(x, "sinc", weak=False)
    a = result_float(np.asarray(a))
    with np.errstate(invalid="ignore"):  # sinc(+-inf) is NaN, as in numpy
        out = np.sinc(a)

    def backward(d):
        # d/dx sin(pi x)/(pi x) = (cos(pi x) - sinc(x)) / x, and 0 at x = 0
        safe = np.where(a == 0, 1, a)
        return (d * np.where(a == 0, 0, (np.cos(np.pi * a) - out) / safe),)

    return Tensor.from_op(out, (ta,), backward, "sinc")


def _pick(op, x1, x2, fn):
    """`fn` choosing one operand per entry (fmax, fmin); the gradient goes to the chosen one."""
    x, tx = unwrap(x1, op)
    y, ty = unwrap(x2, op)
    x, y = keras_operands(np.asarray(x), np.asarray(y))
    out = fn(x, y)
    first = (out == x) | (np.isnan(out) & np.isnan(x))

    def backward(d):
        return d * first, d * ~first

    return Tensor.from_op(np.asarray(out), (tx, ty), backward, op)


@keras_dtype(scalars_too=True)
def fmax(x1, x2):
    """Elementwise maximum that ignores NaN (NaN only where both are NaN).

    Args:
        x1, x2: tensors (broadcast together).

    Returns:
        A tensor of the broadcast shape.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.fmax([np.nan, 1.0], [2.0, 0.0]).numpy().tolist()
    [2.0, 1.0]
    """
    return _pick("fmax", x1, x2, np.fmax)


@keras_dtype(scalars_too=True)
def fmin(x1, x2):
    """Elementwise minimum that ignores NaN (NaN only where both are NaN).

    Args:
        x1, x2: tensors (broadcast together).

    Returns:
        A tensor of the broadcast shape.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.fmin([np.nan, 1.0], [2.0, 0.0]).numpy().tolist()
    [2.0, 0.0]
    """
    return _pick("fmin", x1, x2, np.fmin)


@keras_dtype(weak=False, int_to_float=True)
def heaviside(x1, x2):
    """Heaviside step: 0 where `x1 < 0`, 1 where `x1 > 0`, `x2` where `x1 == 0` (no gradient).

    Args:
        x1: input tensor.
        x2: the value at 0 (broadcast against `x1`).

    Returns:
        A tensor of the broadcast shape (floatx for integer inputs).

    >>> import minikeras as keras
    >>> keras.ops.heaviside([-1.0, 0.0, 2.0], 0.5).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    if all(np.asarray(unwrap(v, "heaviside")[0]).dtype == bool for v in (x1, x2)):
        x1, x2 = (result_float(np.asarray(unwrap(v, "heaviside")[0])) for v in (x1, x2))
    out = _no_grad("heaviside", np.heaviside, x1, x2)  # two bools: floatx, as Keras on jax
    return Tensor(result_float(out.data)) if out.data.dtype.kind in "biu" else out


def signbit(x):
    """Elementwise: whether the sign bit is set (True for negatives and -0.0).

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.signbit([-1.0, -0.0, 2.0]).numpy().tolist()
    [True, True, False]
    """
    return _no_grad("signbit", np.signbit, x)


def isneginf(x):
    """Elementwise: whether the entry is negative infinity.

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.isneginf([-np.inf, np.inf, 0.0]).numpy().tolist()
    [True, False, False]
    """
    return _no_grad("isneginf", np.isneginf, x)


def isposinf(x):
    """Elementwise: whether the entry is positive infinity.

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the same shape.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.isposinf([-np.inf, np.inf, 0.0]).numpy().tolist()
    [False, True, False]
    """
    return _no_grad("isposinf", np.isposinf, x)


# -- quantiles ----------------------------------------------------------------------------------
_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(op, x, q, axis, method, keepdims, skip_nan):
    """Quantiles `q` (in [0, 1]) of `x` over `axis`: the reduced axes are flattened into one last
    axis and sorted (NaN sorts last), then each quantile's neighbours are gathered and mixed."""
    if method not in _METHODS:
        raise ValueError(f"{op}: `method` must be one of {_METHODS}. Received: method={method!r}")
    a = np.asarray(unwrap(x, op)[0])
    xt = _floats(x, op)
    try:
        if q is None:
            raise TypeError
        qa = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{op}: `q` must be a number or an array of numbers. Received: {q!r}"
        ) from None
    if np.any(np.isnan(qa) | (qa < 0) | (qa > 1)):
        raise ValueError(f"{op}: quantiles must be in [0, 1]. Received: q={qa.tolist()}")
    axes = (
        tuple(range(a.ndim)) if axis is None else normalize_axis(tuple(np.atleast_1d(axis)), a.ndim)
    )
    axes = tuple(i for i in axes if i < a.ndim)  # a scalar's axis 0 is the scalar itself
    if any(a.shape[i] == 0 for i in axes):
        raise ValueError(  # numpy raises an IndexError, Keras 3 on torch a RuntimeError
            f"{op}: the reduced axes {axes} of x {a.shape} are empty; a quantile needs at least "
            "one value."
        )
    rest = [i for i in range(a.ndim) if i not in axes]
    moved = moveaxis(xt, axes, tuple(range(len(rest), a.ndim))) if axes else xt
    flat = _sorting.sort(reshape(moved, [a.shape[i] for i in rest] + [-1]), axis=-1)
    isnan = np.isnan(flat.data)
    n = flat.shape[-1]
    count = (~isnan).sum(-1, keepdims=True) if skip_nan else np.full(flat.shape[:-1] + (1,), n)
    pos = (count - 1) * qa.reshape(-1)  # (..., number of quantiles)
    lo, hi = np.floor(pos), np.ceil(pos)
    if method == "lower":
        hi = lo
    elif method == "higher":
        lo = hi
    elif method == "nearest":
        lo = hi = np.around(pos)

    def gather(index):
        return _indexing.take_along_axis(flat, np.clip(index, 0, n - 1).astype("int64"), axis=-1)

    low = gather(lo)
    if method == "midpoint":
        out = _arithmetic.multiply(_arithmetic.add(low, gather(hi)), 0.5)
    elif method == "linear":
        weight = (pos - lo).astype(flat.dtype)
        out = _arithmetic.add(
            low, _arithmetic.multiply(_arithmetic.subtract(gather(hi), low), weight)
        )
    else:
        out = low
    if not skip_nan and isnan.any():  # a slice holding NaN has NaN quantiles, as in numpy
        out = _comparison.where(isnan.any(-1, keepdims=True), np.nan, out)
    out = moveaxis(out, -1, 0)  # (quantiles, kept axes)
    kept = [1 if i in axes else a.shape[i] for i in range(a.ndim)] if keepdims else out.shape[1:]
    return reshape(out, list(qa.shape) + list(kept))


@keras_dtype(nargs=1, weak=False)
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of `x` over `axis` (NaN where a slice holds NaN).

    Args:
        x: input tensor.
        q: a quantile or an array of quantiles, in [0, 1].
        axis: an int, a tuple of ints, or `None` (all axes).
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`, as in numpy.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor shaped `q.shape + kept axes`.

    >>> import minikeras as keras
    >>> keras.ops.quantile([1.0, 2.0, 3.0, 4.0], 0.5).numpy().tolist()
    2.5
    """
    return _quantile("quantile", x, q, axis, method, keepdims, skip_nan=False)


@keras_dtype(nargs=1, weak=False)
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles of `x` over `axis`: `quantile(x, q / 100)`.

    Args:
        x: input tensor.
        q: a percentile or an array of percentiles, in [0, 100].
        axis: an int, a tuple of ints, or `None` (all axes).
        method: as in `quantile`.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor shaped `q.shape + kept axes`.

    >>> import minikeras as keras
    >>> keras.ops.percentile([1.0, 2.0, 3.0, 4.0], 50).numpy().tolist()
    2.5
    """
    q = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64) / 100.0
    return _quantile("percentile", x, q, axis, method, keepdims, skip_nan=False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of the non-NaN entries of `x` over `axis` (NaN for all-NaN slices).

    Args:
        x: input tensor.
        q: a quantile or an array of quantiles, in [0, 1].
        axis: an int, a tuple of ints, or `None` (all axes).
        method: as in `quantile`.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor shaped `q.shape + kept axes`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanquantile([1.0, np.nan, 3.0], 0.5).numpy().tolist()
    2.0
    """
    return _quantile("nanquantile", x, q, axis, method, keepdims, skip_nan=True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles of the non-NaN entries of `x` over `axis`.

    Args:
        x: input tensor.
        q: a percentile or an array of percentiles, in [0, 100].
        axis: an int, a tuple of ints, or `None` (all axes).
        method: as in `quantile`.
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor shaped `q.shape + kept axes`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanpercentile([1.0, np.nan, 3.0], 50).numpy().tolist()
    2.0
    """
    q = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64) / 100.0
    return _quantile("nanpercentile", x, q, axis, method, keepdims, skip_nan=True)


@keras_dtype(nargs=1, weak=False)  # result_type(x): 64-bit narrowed, as Keras 3
def nanmedian(x, axis=None, keepdims=False):
    """Median of the non-NaN entries of `x` over `axis` (NaN for all-NaN slices).

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` (all axes).
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        A float tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.nanmedian([[1.0, np.nan], [3.0, 4.0]], axis=1).numpy().tolist()
    [1.0, 3.5]
    """
    return _quantile("nanmedian", x, 0.5, axis, "linear", keepdims, skip_nan=True)


def ptp(x, axis=None, keepdims=False):
    """Range (peak to peak) `max - min` over `axis`.

    Args:
        x: input tensor.
        axis: an int, a tuple of ints, or `None` (all axes).
        keepdims: whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor, in `x`'s dtype.

    >>> import minikeras as keras
    >>> keras.ops.ptp([[1.0, 5.0], [2.0, 3.0]], axis=1).numpy().tolist()
    [4.0, 1.0]
    """
    high = _reduce.max(x, axis=axis, keepdims=keepdims)
    return _arithmetic.subtract(high, _reduce.min(x, axis=axis, keepdims=keepdims))
