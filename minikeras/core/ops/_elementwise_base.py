"""Helpers of the elementwise families: binary and unary op builders, results without a gradient."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import _CONST, keras_operands, result_float, unwrap


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


def _unary(op, x, fwd, grad_fn, grad_ops=None):
    """`grad_fn(a, out, d)` returns the input gradient from arrays; `grad_ops(x, out, d)`, when
    given, the same from Tensors with ops, so that it can be differentiated again."""
    a, ta = unwrap(x, op, weak=False)
    a = result_float(np.asarray(a))
    out = np.asarray(fwd(a))
    backward_ops = None
    if grad_ops is not None:

        def backward_ops(d, out):
            return (grad_ops(out._parents[0], out, d),)

    return Tensor.from_op(out, (ta,), lambda d: (grad_fn(a, out, d),), op, backward_ops)


def _float_of_ints(out, x, y):
    """Float math of two int/bool inputs gives floatx, as Keras 3 (numpy gives float64)."""
    if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu":
        return out.astype(dtypes.floatx())
    return out


def _no_grad(op, fn, *xs):
    arrays = [unwrap(x, op, weak=len(xs) > 1)[0] for x in xs]
    if len(arrays) == 2:
        arrays = keras_operands(*arrays)
    return Tensor(np.asarray(fn(*arrays)))
