"""Elementwise ops with numpy broadcasting: arithmetic, comparisons and unary math."""

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import result_float, unwrap

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "maximum",
    "minimum", "where", "exp", "log", "log1p", "sqrt", "square", "abs", "absolute", "tanh",
    "clip", "sign", "reciprocal", "floor", "ceil", "round", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
    "isnan", "isfinite", "expm1", "sin", "cos", "floor_divide", "mod", "rsqrt", "erf", "exp2",
    "log2", "log10", "logaddexp", "tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arctan2",
    "arcsinh", "arccosh", "arctanh", "isinf", "logical_xor", "trunc", "divide_no_nan",
    "nan_to_num", "isclose",
]  # fmt: skip


def _shape_error(op, a, b, err):
    sa, sb = np.shape(a), np.shape(b)
    return ValueError(f"{op}: shapes {sa} and {sb} cannot be broadcast together ({err}).")


def _binary(op, a, b, fn):
    x, ta = unwrap(a, op)
    y, tb = unwrap(b, op)
    try:
        out = fn(x, y)
    except ValueError as e:
        raise _shape_error(op, x, y, e) from None
    return x, y, ta, tb, np.asarray(out)


def add(x1, x2):
    """`x1 + x2` elementwise, broadcasting."""
    x, y, ta, tb, out = _binary("add", x1, x2, np.add)
    return Tensor.from_op(out, (ta, tb), lambda d: (d, d), "add")


def subtract(x1, x2):
    """`x1 - x2` elementwise, broadcasting."""
    x, y, ta, tb, out = _binary("subtract", x1, x2, np.subtract)
    return Tensor.from_op(out, (ta, tb), lambda d: (d, -d), "subtract")


def multiply(x1, x2):
    """`x1 * x2` elementwise, broadcasting."""
    x, y, ta, tb, out = _binary("multiply", x1, x2, np.multiply)

    def backward(d):
        return (d * y if ta.requires_grad else None, d * x if tb.requires_grad else None)

    return Tensor.from_op(out, (ta, tb), backward, "multiply")


def divide(x1, x2):
    """`x1 / x2` elementwise, broadcasting (integers give floats)."""
    x, y, ta, tb, out = _binary("divide", x1, x2, np.true_divide)
    if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu":
        out = out.astype(dtypes.floatx())  # int / int -> floatx, as Keras

    def backward(d):
        da = d / y if ta.requires_grad else None
        db = -d * out / y if tb.requires_grad else None
        return da, db

    return Tensor.from_op(out, (ta, tb), backward, "divide")


true_divide = divide


def power(x1, x2):
    """`x1 ** x2` elementwise, broadcasting."""
    x, y, ta, tb, out = _binary("power", x1, x2, np.power)

    def backward(d):
        da = d * y * np.power(x, y - 1) if ta.requires_grad else None
        db = None
        if tb.requires_grad:
            safe = np.where(np.asarray(x) > 0, x, 1)
            db = d * out * np.log(safe)
        return da, db

    return Tensor.from_op(out, (ta, tb), backward, "power")


def negative(x):
    """`-x`."""
    a, ta = unwrap(x, "negative")
    return Tensor.from_op(np.negative(a), (ta,), lambda d: (-d,), "negative")


def maximum(x1, x2):
    """Elementwise maximum; ties send the gradient to `x1`."""
    x, y, ta, tb, out = _binary("maximum", x1, x2, np.maximum)

    def backward(d):
        pick = np.asarray(x) >= np.asarray(y)
        return d * pick, d * ~pick

    return Tensor.from_op(out, (ta, tb), backward, "maximum")


def minimum(x1, x2):
    """Elementwise minimum; ties send the gradient to `x1`."""
    x, y, ta, tb, out = _binary("minimum", x1, x2, np.minimum)

    def backward(d):
        pick = np.asarray(x) <= np.asarray(y)
        return d * pick, d * ~pick

    return Tensor.from_op(out, (ta, tb), backward, "minimum")


def where(condition, x1=None, x2=None):
    """Picks `x1` where `condition` is true, else `x2` (broadcasting all three)."""
    c, _ = unwrap(condition, "where")
    if x1 is None and x2 is None:
        return tuple(Tensor(i) for i in np.nonzero(c))
    x, ta = unwrap(x1, "where")
    y, tb = unwrap(x2, "where")
    c = np.asarray(c).astype(bool)
    try:
        out = np.where(c, x, y)
    except ValueError as e:
        shapes = f"{np.shape(c)}, {np.shape(x)} and {np.shape(y)}"
        raise ValueError(f"where: shapes {shapes} cannot be broadcast together ({e}).") from None
    zero = np.zeros((), out.dtype)
    return Tensor.from_op(
        out, (ta, tb), lambda d: (np.where(c, d, zero), np.where(c, zero, d)), "where"
    )


def _unary(op, x, fwd, grad_fn):
    """`grad_fn(a, out, d)` returns the input gradient."""
    a, ta = unwrap(x, op)
    a = result_float(np.asarray(a))
    out = np.asarray(fwd(a))
    return Tensor.from_op(out, (ta,), lambda d: (grad_fn(a, out, d),), op)


def exp(x):
    """`e ** x`."""
    return _unary("exp", x, np.exp, lambda a, o, d: d * o)


def expm1(x):
    """`exp(x) - 1`, accurate near 0."""
    return _unary("expm1", x, np.expm1, lambda a, o, d: d * (o + 1))


def log(x):
    """Natural logarithm."""
    return _unary("log", x, np.log, lambda a, o, d: d / a)


def log1p(x):
    """`log(1 + x)`, accurate near 0."""
    return _unary("log1p", x, np.log1p, lambda a, o, d: d / (1 + a))


def sqrt(x):
    """Square root."""
    return _unary("sqrt", x, np.sqrt, lambda a, o, d: d * 0.5 / o)


def rsqrt(x):
    """`1 / sqrt(x)`."""
    return _unary("rsqrt", x, lambda a: 1 / np.sqrt(a), lambda a, o, d: d * -0.5 * o / a)


def square(x):
    """`x * x`."""
    a, ta = unwrap(x, "square")
    a = np.asarray(a)
    return Tensor.from_op(np.square(a), (ta,), lambda d: (d * 2 * a,), "square")


def abs(x):
    """Absolute value (gradient `sign(x)`)."""
    a, ta = unwrap(x, "abs")
    a = np.asarray(a)
    return Tensor.from_op(np.abs(a), (ta,), lambda d: (d * np.sign(a),), "abs")


absolute = abs


def tanh(x):
    """Hyperbolic tangent."""
    return _unary("tanh", x, np.tanh, lambda a, o, d: d * (1 - o * o))


def exp2(x):
    """`2 ** x`."""
    return _unary("exp2", x, np.exp2, lambda a, o, d: d * o * math.log(2))


def log2(x):
    return _unary("log2", x, np.log2, lambda a, o, d: d / (a * math.log(2)))


def log10(x):
    return _unary("log10", x, np.log10, lambda a, o, d: d / (a * math.log(10)))


def sin(x):
    return _unary("sin", x, np.sin, lambda a, o, d: d * np.cos(a))


def cos(x):
    return _unary("cos", x, np.cos, lambda a, o, d: -d * np.sin(a))


def tan(x):
    return _unary("tan", x, np.tan, lambda a, o, d: d * (1 + o * o))


def sinh(x):
    return _unary("sinh", x, np.sinh, lambda a, o, d: d * np.cosh(a))


def cosh(x):
    return _unary("cosh", x, np.cosh, lambda a, o, d: d * np.sinh(a))


def arcsin(x):
    return _unary("arcsin", x, np.arcsin, lambda a, o, d: d / np.sqrt(1 - a * a))


def arccos(x):
    return _unary("arccos", x, np.arccos, lambda a, o, d: -d / np.sqrt(1 - a * a))


def arctan(x):
    return _unary("arctan", x, np.arctan, lambda a, o, d: d / (1 + a * a))


def arcsinh(x):
    return _unary("arcsinh", x, np.arcsinh, lambda a, o, d: d / np.sqrt(a * a + 1))


def arccosh(x):
    return _unary("arccosh", x, np.arccosh, lambda a, o, d: d / np.sqrt(a * a - 1))


def arctanh(x):
    return _unary("arctanh", x, np.arctanh, lambda a, o, d: d / (1 - a * a))


_erf_object = np.frompyfunc(math.erf, 1, 1)  # exact to double precision; no SciPy needed


def _erf(a):
    return np.asarray(_erf_object(a), dtype=a.dtype)


def erf(x):
    """Gauss error function; d erf(x) / dx = 2 / sqrt(pi) * exp(-x**2)."""
    c = 2 / math.sqrt(math.pi)
    return _unary("erf", x, _erf, lambda a, o, d: d * c * np.exp(-a * a))


def arctan2(x1, x2):
    """Angle of the point `(x2, x1)`, i.e. `arctan(x1 / x2)` in the right quadrant."""
    y, x, ta, tb, out = _binary("arctan2", x1, x2, np.arctan2)
    out = result_float(out)

    def backward(d):
        r2 = np.square(x) + np.square(y)  # d/dy = x / r2, d/dx = -y / r2
        return d * x / r2, -d * y / r2

    return Tensor.from_op(out, (ta, tb), backward, "arctan2")


def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))`, computed stably."""
    x, y, ta, tb, out = _binary("logaddexp", x1, x2, np.logaddexp)
    out = result_float(out)
    return Tensor.from_op(
        out, (ta, tb), lambda d: (d * np.exp(x - out), d * np.exp(y - out)), "logaddexp"
    )


def divide_no_nan(x1, x2):
    """`x1 / x2`, but 0 where `x2 == 0` (and no gradient flows there)."""
    y = unwrap(x2, "divide_no_nan")[0]
    zero = np.asarray(y) == 0
    return where(zero, 0, divide(x1, where(zero, 1, x2)))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN and infinities by finite numbers; the gradient flows only where finite."""
    a, ta = unwrap(x, "nan_to_num")
    a = np.asarray(a)
    out = np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)
    return Tensor.from_op(out, (ta,), lambda d: (d * np.isfinite(a),), "nan_to_num")


def reciprocal(x):
    """`1 / x`."""
    return _unary("reciprocal", x, np.reciprocal, lambda a, o, d: -d * o * o)


def clip(x, x_min, x_max):
    """Limits values to `[x_min, x_max]`; the gradient is zero outside."""
    a, ta = unwrap(x, "clip")
    a = np.asarray(a)
    lo = x_min.data if isinstance(x_min, Tensor) else x_min
    hi = x_max.data if isinstance(x_max, Tensor) else x_max
    out = np.clip(a, lo, hi).astype(a.dtype, copy=False)
    return Tensor.from_op(out, (ta,), lambda d: (d * ((a >= lo) & (a <= hi)),), "clip")


def _no_grad(op, fn, *xs):
    arrays = [unwrap(x, op)[0] for x in xs]
    return Tensor(np.asarray(fn(*arrays)))


def sign(x):
    return _no_grad("sign", np.sign, x)


def floor(x):
    return _no_grad("floor", np.floor, x)


def ceil(x):
    return _no_grad("ceil", np.ceil, x)


def round(x, decimals=0):
    return _no_grad("round", lambda a: np.round(a, decimals), x)


def trunc(x):
    return _no_grad("trunc", np.trunc, x)


def floor_divide(x1, x2):
    return _no_grad("floor_divide", np.floor_divide, x1, x2)


def mod(x1, x2):
    return _no_grad("mod", np.mod, x1, x2)


def equal(x1, x2):
    return _no_grad("equal", np.equal, x1, x2)


def not_equal(x1, x2):
    return _no_grad("not_equal", np.not_equal, x1, x2)


def less(x1, x2):
    return _no_grad("less", np.less, x1, x2)


def less_equal(x1, x2):
    return _no_grad("less_equal", np.less_equal, x1, x2)


def greater(x1, x2):
    return _no_grad("greater", np.greater, x1, x2)


def greater_equal(x1, x2):
    return _no_grad("greater_equal", np.greater_equal, x1, x2)


def logical_and(x1, x2):
    return _no_grad("logical_and", np.logical_and, x1, x2)


def logical_or(x1, x2):
    return _no_grad("logical_or", np.logical_or, x1, x2)


def logical_xor(x1, x2):
    return _no_grad("logical_xor", np.logical_xor, x1, x2)


def logical_not(x):
    return _no_grad("logical_not", np.logical_not, x)


def isnan(x):
    return _no_grad("isnan", np.isnan, x)


def isfinite(x):
    return _no_grad("isfinite", np.isfinite, x)


def isinf(x):
    return _no_grad("isinf", np.isinf, x)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return _no_grad("isclose", lambda a, b: np.isclose(a, b, rtol, atol, equal_nan), x1, x2)
