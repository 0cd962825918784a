"""Elementwise ops with numpy broadcasting: arithmetic, comparisons and unary math."""

import numpy as np

from ..tensor import Tensor
from ._base import result_float, unwrap

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "maximum",
    "minimum", "where", "exp", "log", "log1p", "sqrt", "square", "abs", "absolute", "tanh",
    "clip", "sign", "reciprocal", "floor", "ceil", "round", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
    "isnan", "isfinite", "expm1", "sin", "cos", "floor_divide", "mod", "rsqrt",
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
    out = result_float(out)

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
        raise ValueError(f"where: shapes {np.shape(c)}, {np.shape(x)}, {np.shape(y)}: {e}") from None
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


def sin(x):
    return _unary("sin", x, np.sin, lambda a, o, d: d * np.cos(a))


def cos(x):
    return _unary("cos", x, np.cos, lambda a, o, d: -d * np.sin(a))


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


def logical_not(x):
    return _no_grad("logical_not", np.logical_not, x)


def isnan(x):
    return _no_grad("isnan", np.isnan, x)


def isfinite(x):
    return _no_grad("isfinite", np.isfinite, x)
