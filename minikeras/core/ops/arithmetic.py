"""Arithmetic ops: add, subtract, multiply, divide, negative, maximum, minimum, floor_divide, mod, clip."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import complex_error, keras_dtype, keras_operands, unwrap
from ._elementwise_base import _binary, _bools_in_int32, _no_grad, _operand
from .comparison import where

__all__ = [
    "add",
    "fmod",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "negative",
    "maximum",
    "minimum",
    "clip",
    "floor_divide",
    "mod",
    "divide_no_nan",
]
_floor_divide_bools_int32 = _bools_in_int32(np.floor_divide)
_mod_bools_int32 = _bools_in_int32(np.mod)
_fmod_bools_int32 = _bools_in_int32(np.fmod)


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
    a, ta = unwrap(x, "negative", weak=False)
    return Tensor.from_op(np.negative(a), (ta,), lambda d: (-d,), "negative", _negative_ops)


def _negative_ops(d, out):
    return (negative(d),)


@keras_dtype()  # result_type(x1, x2): 64-bit narrowed, as in Keras 3
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


@keras_dtype()
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


@keras_dtype(float, scalars_too=True)
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
    a, ta = unwrap(x, "clip", weak=False)
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype("int32")
    lo = x_min.data if isinstance(x_min, Tensor) else x_min
    hi = x_max.data if isinstance(x_max, Tensor) else x_max
    for bound in (lo, hi):  # complex bounds: Keras raises (torch and jax), numpy would warn
        if np.iscomplexobj(bound):
            raise complex_error("clip", np.asarray(bound))
    if a.dtype.kind in "iu":  # float bounds make the result float, as Keras 3 (jnp.clip)
        for bound in (lo, hi):
            if bound is not None and np.asarray(bound).dtype.kind == "f":
                a = keras_operands(a, bound)[0]
    out = np.clip(a, lo, hi).astype(a.dtype, copy=False)
    return Tensor.from_op(
        out,
        (ta,),
        lambda d: (d * ((a >= lo) & (a <= hi)),),
        "clip",
        lambda d, out: (multiply(d, (a >= lo) & (a <= hi)),),
    )


@keras_dtype()
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


def fmod(x1, x2):
    """Elementwise remainder of `x1 / x2` with the dividend's sign, as C's `fmod` (no gradient).

    `mod` gives the divisor's sign instead: `fmod(-7, 3)` is -1 where `mod(-7, 3)` is 2.

    Args:
        x1: the dividends.
        x2: the divisors.

    Returns:
        A tensor of the broadcast shape (int32 for two bool inputs, as Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.fmod([7, -7], 3).numpy().tolist()
    [1, -1]
    """
    return _no_grad("fmod", _fmod_bools_int32, x1, x2)
