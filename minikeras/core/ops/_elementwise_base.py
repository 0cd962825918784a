"""Helpers of the elementwise families: binary and unary op builders, results without a gradient."""

import numpy as np

from ...kernels import threads
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
        out = _split_ufunc(fn, x, y)
        if out is None:
            out = fn(x, y)
    except ValueError as e:
        raise _shape_error(op, x, y, e) from None
    return x, y, ta, tb, np.asarray(out)


# the ufuncs whose large float calls run split over minikeras's threads (numpy releases the GIL
# in its loops); each value is computed alone, so the result does not depend on the split
_SPLIT_UFUNCS = (np.add, np.subtract, np.multiply, np.true_divide, np.maximum, np.minimum)
SPLIT_MIN = 1 << 17  # output values below which one thread does it all (a split costs ~20 us)


def _split_ufunc(fn, x, y):
    """`fn(x, y)` computed in blocks of the output's first axis on minikeras's threads, for a
    ufunc of `_SPLIT_UFUNCS` on two float arrays of one dtype with at least `SPLIT_MIN` output
    values; None otherwise (the caller then calls `fn` itself). The transformer block's bias
    adds, query scaling and residual adds (32 x 128 x 64 values each): 0.17 -> 0.09 ms each on
    two threads."""
    if fn not in _SPLIT_UFUNCS:
        return None
    x, y = _array_operand(x, y), _array_operand(y, x)
    if not isinstance(x, np.ndarray) or not isinstance(y, np.ndarray):
        return None
    if x.dtype != y.dtype or x.dtype.kind != "f" or max(x.size, y.size) < SPLIT_MIN:
        return None
    n_threads = threads.num_threads()
    if n_threads < 2:
        return None
    shape = np.broadcast_shapes(x.shape, y.shape)
    if len(shape) == 0 or shape[0] < 2:  # (the output has at least the inputs' values)
        return None
    out = np.empty(shape, x.dtype)
    x_rows = x.ndim == len(shape) and x.shape[0] == shape[0]  # else broadcast along axis 0
    y_rows = y.ndim == len(shape) and y.shape[0] == shape[0]

    def rows(i0, i1):
        fn(x[i0:i1] if x_rows else x, y[i0:i1] if y_rows else y, out=out[i0:i1])

    threads.run_blocks(rows, shape[0], n_threads)
    return out


def _array_operand(v, other):
    """`v` as numpy computes it against `other`: numpy scalars as 0-d arrays, a Python int or
    float beside a float array as a 0-d array of its dtype (numpy's weak scalars, NEP 50: the
    same values); anything else unchanged."""
    if isinstance(v, np.generic):
        return np.asarray(v)
    weak = isinstance(v, (int, float)) and not isinstance(v, bool)
    if weak and isinstance(other, np.ndarray) and other.dtype.kind == "f":
        return np.asarray(v, other.dtype)
    return v


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
