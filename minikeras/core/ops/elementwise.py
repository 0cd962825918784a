"""Elementwise math: exp and log, powers and roots, abs, erf, sign and rounding."""

import math

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from ._base import keras_dtype, result_float, unwrap
from ._elementwise_base import _binary, _bools_in_int32, _float_of_ints, _no_grad, _operand, _unary
from .arithmetic import add, divide, multiply, negative, subtract
from .comparison import greater, where

__all__ = [
    "power",
    "exp",
    "log",
    "log1p",
    "sqrt",
    "square",
    "abs",
    "absolute",
    "sign",
    "reciprocal",
    "floor",
    "ceil",
    "round",
    "expm1",
    "rsqrt",
    "erf",
    "exp2",
    "log2",
    "log10",
    "logaddexp",
    "trunc",
    "nan_to_num",
]


_power_bools_int32 = _bools_in_int32(np.power)


def power(x1, x2):
    """Elementwise power `x1 ** x2`, with numpy broadcasting.

    Args:
        x1: the bases.
        x2: the exponents.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.power([2.0, 3.0], 2.0).numpy().tolist()
    [4.0, 9.0]
    """
    x, y, ta, tb, out = _binary("power", x1, x2, _power_bools_int32)

    def backward(d):
        da = d * y * np.power(x, y - 1) if ta.requires_grad else None
        db = None
        if tb.requires_grad:
            xs = np.asarray(x)
            if out.dtype.kind == "c":  # the principal complex log of every nonzero base
                safe = np.where(xs != 0, xs, 1).astype(out.dtype)
            else:
                safe = np.where(xs > 0, x, 1)
            db = d * out * np.log(safe)
        return da, db

    def backward_ops(d, out):
        a, b = _operand(x, ta), _operand(y, tb)
        da = multiply(d, multiply(b, power(a, subtract(b, 1)))) if ta.requires_grad else None
        db = None
        if tb.requires_grad:  # log of the positive bases only, as above
            db = multiply(multiply(d, out), log(where(greater(a, 0), a, 1)))
        return da, db

    return Tensor.from_op(out, (ta, tb), backward, "power", backward_ops)


def exp(x):
    """Elementwise exponential `e ** x`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.exp([0.0]).numpy().tolist()
    [1.0]
    """
    return _unary("exp", x, np.exp, lambda a, o, d: d * o, lambda x, o, d: multiply(d, o))


def expm1(x):
    """Elementwise `exp(x) - 1`, accurate for `x` near 0.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.expm1([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "expm1", x, np.expm1, lambda a, o, d: d * (o + 1), lambda x, o, d: multiply(d, add(o, 1))
    )


def log(x):
    """Elementwise natural logarithm.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape (`-inf` at 0, NaN below).

    >>> import minikeras as keras
    >>> keras.ops.log([1.0]).numpy().tolist()
    [0.0]
    """
    return _unary("log", x, np.log, lambda a, o, d: d / a, lambda x, o, d: divide(d, x))


def log1p(x):
    """Elementwise `log(1 + x)`, accurate for `x` near 0.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.log1p([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "log1p", x, np.log1p, lambda a, o, d: d / (1 + a), lambda x, o, d: divide(d, add(x, 1))
    )


def sqrt(x):
    """Elementwise square root.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sqrt([4.0, 9.0]).numpy().tolist()
    [2.0, 3.0]
    """
    return _unary(
        "sqrt", x, np.sqrt, lambda a, o, d: d * 0.5 / o, lambda x, o, d: divide(multiply(d, 0.5), o)
    )


def rsqrt(x):
    """Elementwise reciprocal square root `1 / sqrt(x)`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.rsqrt([4.0]).numpy().tolist()
    [0.5]
    """
    return _unary(
        "rsqrt",
        x,
        lambda a: 1 / np.sqrt(a),
        lambda a, o, d: d * -0.5 * o / a,
        lambda x, o, d: divide(multiply(multiply(d, -0.5), o), x),
    )


def square(x):
    """Elementwise square `x * x`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype (int32 for bool input, as Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.square([-3.0, 2.0]).numpy().tolist()
    [9.0, 4.0]
    """
    a, ta = unwrap(x, "square", weak=False)
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype("int32")
    return Tensor.from_op(np.square(a), (ta,), lambda d: (d * 2 * a,), "square", _square_ops)


def _square_ops(d, out):
    return (multiply(d, multiply(2, out._parents[0])),)


def abs(x):
    """Elementwise absolute value (also `ops.absolute`); the gradient is `sign(x)`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.abs([-2.0, 3.0]).numpy().tolist()
    [2.0, 3.0]
    """
    a, ta = unwrap(x, "abs", weak=False)
    a = np.asarray(a)
    return Tensor.from_op(np.abs(a), (ta,), lambda d: (d * np.sign(a),), "abs", _abs_ops)


def _abs_ops(d, out):  # sign(x) is constant almost everywhere
    return (multiply(d, np.sign(out._parents[0].data)),)


absolute = abs


def exp2(x):
    """Elementwise power of two `2 ** x`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.exp2([3.0]).numpy().tolist()
    [8.0]
    """
    return _unary("exp2", x, np.exp2, lambda a, o, d: d * o * math.log(2))


def log2(x):
    """Elementwise base-2 logarithm.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.log2([8.0]).numpy().tolist()
    [3.0]
    """
    return _unary("log2", x, np.log2, lambda a, o, d: d / (a * math.log(2)))


def log10(x):
    """Elementwise base-10 logarithm.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import numpy as np, minikeras as keras
    >>> np.round(keras.ops.log10([1.0, 100.0]).numpy(), 4).tolist()
    [0.0, 2.0]
    """
    return _unary("log10", x, np.log10, lambda a, o, d: d / (a * math.log(10)))


def _erf(a):
    """erf of a float array in its dtype: the numba loop for float32/64, else Python's."""
    k = load_kernels("erf")
    return k.erf(a) if a.dtype in (np.float32, np.float64) else k.erf_ref(a)


def erf(x):
    """Elementwise Gauss error function; its derivative is `2 / sqrt(pi) * exp(-x**2)`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.ops.erf([0.0]).numpy().tolist()
    [0.0]
    """
    c = 2 / math.sqrt(math.pi)
    return _unary(
        "erf",
        x,
        _erf,
        lambda a, o, d: d * c * np.exp(-a * a),
        lambda x, o, d: multiply(multiply(d, c), exp(negative(square(x)))),
    )


@keras_dtype(float, weak=False)
def logaddexp(x1, x2):
    """Elementwise `log(exp(x1) + exp(x2))`, computed without overflow.

    Args:
        x1, x2: tensors, arrays or Python scalars (broadcast together).

    Returns:
        A float tensor of the broadcast shape.

    >>> import numpy as np, minikeras as keras
    >>> print(keras.ops.logaddexp(0.0, 0.0).numpy().round(4))  # log(2)
    0.6931
    """
    x, y, ta, tb, out = _binary("logaddexp", x1, x2, _logaddexp)
    out = _float_of_ints(out, x, y)
    return Tensor.from_op(
        out, (ta, tb), lambda d: (d * np.exp(x - out), d * np.exp(y - out)), "logaddexp"
    )


def _logaddexp(x, y):
    if np.iscomplexobj(x) or np.iscomplexobj(y):  # numpy's ufunc has no complex loop
        m = np.where(np.real(x) >= np.real(y), x, y)  # shift by the larger real part
        return m + np.log(np.exp(x - m) + np.exp(y - m))
    return np.logaddexp(x, y)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN and infinities with finite numbers; the gradient flows only where `x` is finite.

    Args:
        x: input tensor.
        nan: value for NaN entries.
        posinf: value for `+inf`; `None` means the largest finite value of the dtype.
        neginf: value for `-inf`; `None` means the most negative finite value of the dtype.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.nan_to_num([float("nan"), 1.0, float("inf")], posinf=9.0).numpy().tolist()
    [0.0, 1.0, 9.0]
    """
    a, ta = unwrap(x, "nan_to_num", weak=False)
    a = np.asarray(a)
    out = np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)
    return Tensor.from_op(out, (ta,), lambda d: (d * np.isfinite(a),), "nan_to_num")


def reciprocal(x):
    """Elementwise reciprocal `1 / x`.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.reciprocal([2.0, 4.0]).numpy().tolist()
    [0.5, 0.25]
    """
    return _unary(
        "reciprocal",
        x,
        np.reciprocal,
        lambda a, o, d: -d * o * o,
        lambda x, o, d: multiply(negative(d), square(o)),
    )


def sign(x):
    """Elementwise sign: -1, 0 or 1 (no gradient).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.sign([-3.0, 0.0, 2.0]).numpy().tolist()
    [-1.0, 0.0, 1.0]
    """
    return _no_grad("sign", np.sign, x)


@keras_dtype(float, nargs=1, weak=False)
def floor(x):
    """Elementwise floor: the largest integer not above `x` (no gradient).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype (floatx for int or bool input, as Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.floor([1.5, -1.5]).numpy().tolist()
    [1.0, -2.0]
    """
    return _no_grad("floor", lambda a: np.floor(result_float(np.asarray(a))), x)


@keras_dtype(float, nargs=1, weak=False)
def ceil(x):
    """Elementwise ceiling: the smallest integer not below `x` (no gradient).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype (floatx for int or bool input, as Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.ceil([1.5, -1.5]).numpy().tolist()
    [2.0, -1.0]
    """
    return _no_grad("ceil", lambda a: np.ceil(result_float(np.asarray(a))), x)


def round(x, decimals=0):
    """Rounds to `decimals` decimal places, halves to even as numpy (no gradient).

    Args:
        x: input tensor.
        decimals: number of decimal places to keep.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.round([0.5, 1.5, 2.25], decimals=0).numpy().tolist()
    [0.0, 2.0, 2.0]
    """
    if np.asarray(unwrap(x, "round", weak=False)[0]).dtype == bool:  # Keras 3 raises too
        raise TypeError("round expects a numeric tensor. Received: a bool tensor")
    return _no_grad("round", lambda a: np.round(a, decimals), x)


def trunc(x):
    """Elementwise truncation towards zero (no gradient).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.trunc([1.7, -1.7]).numpy().tolist()
    [1.0, -1.0]
    """
    return _no_grad("trunc", np.trunc, x)
