"""Elementwise ops with numpy broadcasting: arithmetic, comparisons and unary math."""

import math

import numpy as np

from ...kernels import load as load_kernels
from .. import dtypes
from ..tensor import Tensor
from ._base import _CONST, keras_operands, result_float, unwrap

__all__ = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "power",
    "negative",
    "maximum",
    "minimum",
    "where",
    "exp",
    "log",
    "log1p",
    "sqrt",
    "square",
    "abs",
    "absolute",
    "tanh",
    "clip",
    "sign",
    "reciprocal",
    "floor",
    "ceil",
    "round",
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
    "expm1",
    "sin",
    "cos",
    "floor_divide",
    "mod",
    "rsqrt",
    "erf",
    "exp2",
    "log2",
    "log10",
    "logaddexp",
    "tan",
    "sinh",
    "cosh",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "arcsinh",
    "arccosh",
    "arctanh",
    "isinf",
    "logical_xor",
    "trunc",
    "divide_no_nan",
    "nan_to_num",
    "isclose",
]


def _shape_error(op, a, b, err):
    sa, sb = np.shape(a), np.shape(b)
    return ValueError(f"{op}: shapes {sa} and {sb} cannot be broadcast together ({err}).")


def _operand(value, tensor):
    """An op's input for a differentiable backward: the Tensor, or the constant it wrapped."""
    return value if tensor is _CONST else tensor


def _binary(op, a, b, fn):
    x, ta = unwrap(a, op)
    y, tb = unwrap(b, op)
    x, y = keras_operands(x, y)  # Keras 3's result dtype where numpy's differs
    try:
        out = fn(x, y)
    except ValueError as e:
        raise _shape_error(op, x, y, e) from None
    return x, y, ta, tb, np.asarray(out)


def _bools_in_int32(fn):
    """`fn` computing in int32 when both operands are bools: numpy's floor_divide, power and mod
    give int8 there, Keras 3 (3.15.1 observed) int32."""

    def wrapped(x, y):
        if np.asarray(x).dtype == bool and np.asarray(y).dtype == bool:
            x, y = np.asarray(x, np.int32), np.asarray(y, np.int32)
        return fn(x, y)

    return wrapped


_power_bools_int32 = _bools_in_int32(np.power)
_floor_divide_bools_int32 = _bools_in_int32(np.floor_divide)
_mod_bools_int32 = _bools_in_int32(np.mod)


def add(x1, x2):
    """Elementwise sum `x1 + x2`, with numpy broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.add([1.0, 2.0], 10.0).numpy().tolist()
    [11.0, 12.0]
    """
    x, y, ta, tb, out = _binary("add", x1, x2, np.add)
    return Tensor.from_op(out, (ta, tb), lambda d: (d, d), "add", _add_ops)


def _add_ops(d, out):
    return d, d


def subtract(x1, x2):
    """Elementwise difference `x1 - x2`, with numpy broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.subtract([5.0, 7.0], [1.0, 2.0]).numpy().tolist()
    [4.0, 5.0]
    """
    x, y, ta, tb, out = _binary("subtract", x1, x2, np.subtract)
    return Tensor.from_op(out, (ta, tb), lambda d: (d, -d), "subtract", _subtract_ops)


def _subtract_ops(d, out):
    return d, negative(d)


def multiply(x1, x2):
    """Elementwise product `x1 * x2`, with numpy broadcasting.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.multiply([1.0, 2.0], [3.0, 4.0]).numpy().tolist()
    [3.0, 8.0]
    """
    x, y, ta, tb, out = _binary("multiply", x1, x2, np.multiply)

    def backward(d):
        return (d * y if ta.requires_grad else None, d * x if tb.requires_grad else None)

    def backward_ops(d, out):
        da = multiply(d, _operand(y, tb)) if ta.requires_grad else None
        return da, (multiply(d, _operand(x, ta)) if tb.requires_grad else None)

    return Tensor.from_op(out, (ta, tb), backward, "multiply", backward_ops)


def divide(x1, x2):
    """Elementwise true division `x1 / x2`, with numpy broadcasting (also `ops.true_divide`).

    Args:
        x1, x2: tensors, arrays or Python scalars; two integer inputs give a `floatx` result.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.divide([1.0, 3.0], 2.0).numpy().tolist()
    [0.5, 1.5]
    """
    x, y, ta, tb, out = _binary("divide", x1, x2, np.true_divide)
    if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu":
        out = out.astype(dtypes.floatx())  # int / int -> floatx, as Keras

    def backward(d):
        da = d / y if ta.requires_grad else None
        db = -d * out / y if tb.requires_grad else None
        return da, db

    def backward_ops(d, out):
        b = _operand(y, tb)
        da = divide(d, b) if ta.requires_grad else None
        db = divide(multiply(negative(d), out), b) if tb.requires_grad else None
        return da, db

    return Tensor.from_op(out, (ta, tb), backward, "divide", backward_ops)


true_divide = divide


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
            safe = np.where(np.asarray(x) > 0, x, 1)
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


def negative(x):
    """Elementwise negation `-x`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape and dtype.

    >>> import minikeras as keras
    >>> keras.ops.negative([1.0, -2.0]).numpy().tolist()
    [-1.0, 2.0]
    """
    a, ta = unwrap(x, "negative")
    return Tensor.from_op(np.negative(a), (ta,), lambda d: (-d,), "negative", _negative_ops)


def _negative_ops(d, out):
    return (negative(d),)


def maximum(x1, x2):
    """Elementwise maximum of `x1` and `x2`, with broadcasting; ties send the gradient to `x1`.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.maximum([1.0, 5.0], 3.0).numpy().tolist()
    [3.0, 5.0]
    """
    x, y, ta, tb, out = _binary("maximum", x1, x2, np.maximum)

    def backward(d):
        pick = np.asarray(x) >= np.asarray(y)
        return d * pick, d * ~pick

    def backward_ops(d, out):  # the selection is constant almost everywhere
        pick = np.asarray(x) >= np.asarray(y)
        return multiply(d, pick), multiply(d, ~pick)

    return Tensor.from_op(out, (ta, tb), backward, "maximum", backward_ops)


def minimum(x1, x2):
    """Elementwise minimum of `x1` and `x2`, with broadcasting; ties send the gradient to `x1`.

    Args:
        x1, x2: tensors, arrays or Python scalars.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.minimum([1.0, 5.0], 3.0).numpy().tolist()
    [1.0, 3.0]
    """
    x, y, ta, tb, out = _binary("minimum", x1, x2, np.minimum)

    def backward(d):
        pick = np.asarray(x) <= np.asarray(y)
        return d * pick, d * ~pick

    def backward_ops(d, out):  # the selection is constant almost everywhere
        pick = np.asarray(x) <= np.asarray(y)
        return multiply(d, pick), multiply(d, ~pick)

    return Tensor.from_op(out, (ta, tb), backward, "minimum", backward_ops)


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
    x, ta = unwrap(x1, "where")
    y, tb = unwrap(x2, "where")
    c = np.asarray(c).astype(bool)
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


def _unary(op, x, fwd, grad_fn, grad_ops=None):
    """`grad_fn(a, out, d)` returns the input gradient from arrays; `grad_ops(x, out, d)`, when
    given, the same from Tensors with ops, so that it can be differentiated again."""
    a, ta = unwrap(x, op)
    a = result_float(np.asarray(a))
    out = np.asarray(fwd(a))
    backward_ops = None
    if grad_ops is not None:

        def backward_ops(d, out):
            return (grad_ops(out._parents[0], out, d),)

    return Tensor.from_op(out, (ta,), lambda d: (grad_fn(a, out, d),), op, backward_ops)


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
    a, ta = unwrap(x, "square")
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
    a, ta = unwrap(x, "abs")
    a = np.asarray(a)
    return Tensor.from_op(np.abs(a), (ta,), lambda d: (d * np.sign(a),), "abs", _abs_ops)


def _abs_ops(d, out):  # sign(x) is constant almost everywhere
    return (multiply(d, np.sign(out._parents[0].data)),)


absolute = abs


def tanh(x):
    """Elementwise hyperbolic tangent.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.ops.tanh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "tanh",
        x,
        np.tanh,
        lambda a, o, d: d * (1 - o * o),
        lambda x, o, d: multiply(d, subtract(1, square(o))),
    )


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


def sin(x):
    """Elementwise sine (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sin([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "sin", x, np.sin, lambda a, o, d: d * np.cos(a), lambda x, o, d: multiply(d, cos(x))
    )


def cos(x):
    """Elementwise cosine (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.cos([0.0]).numpy().tolist()
    [1.0]
    """
    return _unary(
        "cos",
        x,
        np.cos,
        lambda a, o, d: -d * np.sin(a),
        lambda x, o, d: multiply(negative(d), sin(x)),
    )


def tan(x):
    """Elementwise tangent (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.tan([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("tan", x, np.tan, lambda a, o, d: d * (1 + o * o))


def sinh(x):
    """Elementwise hyperbolic sine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sinh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("sinh", x, np.sinh, lambda a, o, d: d * np.cosh(a))


def cosh(x):
    """Elementwise hyperbolic cosine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.cosh([0.0]).numpy().tolist()
    [1.0]
    """
    return _unary("cosh", x, np.cosh, lambda a, o, d: d * np.sinh(a))


def arcsin(x):
    """Elementwise inverse sine, in radians.

    Args:
        x: input tensor with values in [-1, 1]; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in [-pi/2, pi/2].

    >>> import minikeras as keras
    >>> keras.ops.arcsin([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arcsin", x, np.arcsin, lambda a, o, d: d / np.sqrt(1 - a * a))


def arccos(x):
    """Elementwise inverse cosine, in radians.

    Args:
        x: input tensor with values in [-1, 1]; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in [0, pi].

    >>> import minikeras as keras
    >>> keras.ops.arccos([1.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arccos", x, np.arccos, lambda a, o, d: -d / np.sqrt(1 - a * a))


def arctan(x):
    """Elementwise inverse tangent, in radians.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (-pi/2, pi/2).

    >>> import minikeras as keras
    >>> keras.ops.arctan([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arctan", x, np.arctan, lambda a, o, d: d / (1 + a * a))


def arcsinh(x):
    """Elementwise inverse hyperbolic sine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arcsinh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arcsinh", x, np.arcsinh, lambda a, o, d: d / np.sqrt(a * a + 1))


def arccosh(x):
    """Elementwise inverse hyperbolic cosine.

    Args:
        x: input tensor with values >= 1; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arccosh([1.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arccosh", x, np.arccosh, lambda a, o, d: d / np.sqrt(a * a - 1))


def arctanh(x):
    """Elementwise inverse hyperbolic tangent.

    Args:
        x: input tensor with values in (-1, 1); integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arctanh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arctanh", x, np.arctanh, lambda a, o, d: d / (1 - a * a))


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


def arctan2(x1, x2):
    """Elementwise angle of the point `(x2, x1)`: `arctan(x1 / x2)` in the right quadrant.

    Args:
        x1: the y coordinates.
        x2: the x coordinates (broadcast against `x1`).

    Returns:
        A float tensor of angles in [-pi, pi].

    >>> import minikeras as keras
    >>> keras.ops.arctan2([0.0], [1.0]).numpy().tolist()
    [0.0]
    """
    y, x, ta, tb, out = _binary("arctan2", x1, x2, np.arctan2)
    out = _float_of_ints(out, x, y)

    def backward(d):
        r2 = np.square(x) + np.square(y)  # d/dy = x / r2, d/dx = -y / r2
        return d * x / r2, -d * y / r2

    return Tensor.from_op(out, (ta, tb), backward, "arctan2")


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
    x, y, ta, tb, out = _binary("logaddexp", x1, x2, np.logaddexp)
    out = _float_of_ints(out, x, y)
    return Tensor.from_op(
        out, (ta, tb), lambda d: (d * np.exp(x - out), d * np.exp(y - out)), "logaddexp"
    )


def divide_no_nan(x1, x2):
    """Elementwise `x1 / x2`, giving 0 where `x2 == 0` (and passing no gradient there).

    Args:
        x1: the numerators.
        x2: the denominators.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.divide_no_nan([1.0, 1.0], [2.0, 0.0]).numpy().tolist()
    [0.5, 0.0]
    """
    y = unwrap(x2, "divide_no_nan")[0]
    zero = np.asarray(y) == 0
    return where(zero, 0, divide(x1, where(zero, 1, x2)))


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
    a, ta = unwrap(x, "nan_to_num")
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


def clip(x, x_min, x_max):
    """Limits values to `[x_min, x_max]`; the gradient is zero where `x` lies outside.

    Args:
        x: input tensor.
        x_min: lower bound (scalar or broadcastable tensor).
        x_max: upper bound (scalar or broadcastable tensor).

    Returns:
        A tensor of the same shape and dtype as `x` (int32 for bool input, as Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.clip([-2.0, 0.5, 3.0], 0.0, 1.0).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    a, ta = unwrap(x, "clip")
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype("int32")
    lo = x_min.data if isinstance(x_min, Tensor) else x_min
    hi = x_max.data if isinstance(x_max, Tensor) else x_max
    out = np.clip(a, lo, hi).astype(a.dtype, copy=False)
    return Tensor.from_op(
        out,
        (ta,),
        lambda d: (d * ((a >= lo) & (a <= hi)),),
        "clip",
        lambda d, out: (multiply(d, (a >= lo) & (a <= hi)),),
    )


def _float_of_ints(out, x, y):
    """Float math of two int/bool inputs gives floatx, as Keras 3 (numpy gives float64)."""
    if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu":
        return out.astype(dtypes.floatx())
    return out


def _no_grad(op, fn, *xs):
    arrays = [unwrap(x, op)[0] for x in xs]
    if len(arrays) == 2:
        arrays = keras_operands(*arrays)
    return Tensor(np.asarray(fn(*arrays)))


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


def floor_divide(x1, x2):
    """Elementwise floor division `x1 // x2`, with broadcasting (no gradient).

    Args:
        x1: the dividends.
        x2: the divisors.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.floor_divide([7, -7], 2).numpy().tolist()
    [3, -4]
    """
    return _no_grad("floor_divide", _floor_divide_bools_int32, x1, x2)


def mod(x1, x2):
    """Elementwise remainder `x1 % x2`, with the sign of the divisor as numpy (no gradient).

    Args:
        x1: the dividends.
        x2: the divisors.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> keras.ops.mod([7, -7], 3).numpy().tolist()
    [1, 2]
    """
    return _no_grad("mod", _mod_bools_int32, x1, x2)


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


# -- bitwise ops (integers and bools; no gradient) ---------------------------------------------
def _int_operand(x, op, shift=False):
    a, _ = unwrap(x, op)
    arr = np.asarray(a)
    if arr.dtype.kind not in "biu":
        raise TypeError(f"{op} expects integer or bool input. Received: dtype={arr.dtype}")
    if shift and arr.dtype.kind == "b":
        return np.asarray(a, "int32") if isinstance(a, np.ndarray) else int(a)  # as Keras 3
    return a


def _bitwise(op, fn, x, y, shift=False):
    a, b = keras_operands(_int_operand(x, op, shift), _int_operand(y, op, shift))
    out = np.asarray(fn(a, b))
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
        out = out.astype("int32" if out.dtype.kind != "b" else bool)  # Python ints: int32
    return Tensor(out)


def bitwise_and(x, y):
    """Elementwise bitwise AND of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together); the result dtype follows Keras 3's
            promotion (int8 & int32 -> int32, uint8 & int8 -> int16).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_and([12, 5], [10, 3]).numpy().tolist()
    [8, 1]
    """
    return _bitwise("bitwise_and", np.bitwise_and, x, y)


def bitwise_or(x, y):
    """Elementwise bitwise OR of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_or([12, 5], [10, 3]).numpy().tolist()
    [14, 7]
    """
    return _bitwise("bitwise_or", np.bitwise_or, x, y)


def bitwise_xor(x, y):
    """Elementwise bitwise XOR of integer (or bool) tensors.

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer (or bool) tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_xor([12, 5], [10, 3]).numpy().tolist()
    [6, 6]
    """
    return _bitwise("bitwise_xor", np.bitwise_xor, x, y)


def bitwise_invert(x):
    """Elementwise bitwise NOT (`~x`; logical NOT for bools).

    Args:
        x: integer or bool tensor.

    Returns:
        A tensor of the same dtype.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_invert([5, -3]).numpy().tolist()
    [-6, 2]
    """
    return Tensor(np.asarray(np.invert(np.asarray(_int_operand(x, "bitwise_invert")))))


def bitwise_not(x):
    """Elementwise bitwise NOT; the same as `bitwise_invert`.

    Args:
        x: integer or bool tensor.

    Returns:
        A tensor of the same dtype.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_not([True, False]).numpy().tolist()
    [False, True]
    """
    return Tensor(np.asarray(np.invert(np.asarray(_int_operand(x, "bitwise_not")))))


def bitwise_left_shift(x, y):
    """Elementwise `x << y` (bools count as int32, as Keras 3).

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_left_shift([1, 3], [2, 1]).numpy().tolist()
    [4, 6]
    """
    return _bitwise("bitwise_left_shift", np.left_shift, x, y, shift=True)


def bitwise_right_shift(x, y):
    """Elementwise arithmetic `x >> y` (bools count as int32, as Keras 3).

    Args:
        x, y: integer or bool tensors (broadcast together).

    Returns:
        An integer tensor.

    >>> import minikeras as keras
    >>> keras.ops.bitwise_right_shift([8, -3], [2, 2]).numpy().tolist()
    [2, -1]
    """
    return _bitwise("bitwise_right_shift", np.right_shift, x, y, shift=True)


left_shift = bitwise_left_shift
right_shift = bitwise_right_shift

__all__ += [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_not",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "left_shift",
    "right_shift",
]
