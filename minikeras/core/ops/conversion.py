"""Conversions and queries: convert_to_tensor, convert_to_numpy, cast, shape, dtype, stop_gradient."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import to_tensor, unwrap

__all__ = [
    "cast",
    "stop_gradient",
    "convert_to_tensor",
    "convert_to_numpy",
    "shape",
    "is_tensor",
    "dtype",
    "size",
    "ndim",
    "copy",
    "array",
]


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts any array-like (numpy array, Python scalar or list, Tensor, Variable) to a Tensor.

    Args:
        x: the value to convert.
        dtype: optional target dtype; `None` keeps the value's dtype (Python floats give `floatx`).
        sparse: accepted for Keras compatibility; tensors are always dense.
        ragged: accepted for Keras compatibility; `True` raises (no ragged tensors).

    Returns:
        A `Tensor`.

    >>> import minikeras as keras
    >>> keras.ops.convert_to_tensor([1.0, 2.0]).dtype
    dtype('float32')
    """
    if ragged:
        raise ValueError(
            "convert_to_tensor: ragged tensors are not supported. Received: ragged=True"
        )
    return to_tensor(x, dtype, "convert_to_tensor")


def array(x, dtype=None):
    """Creates a tensor from an array-like, as `numpy.array`: a new array, never `x`'s memory.

    Args:
        x: the value to convert (a Variable gives a snapshot of its current value, as Keras).
        dtype: optional target dtype.

    Returns:
        A `Tensor`; gradients pass through to `x`.

    >>> import minikeras as keras
    >>> keras.ops.array([[1, 2], [3, 4]], dtype="float32").shape
    (2, 2)
    """
    t = convert_to_tensor(x, dtype)
    source = x.data if isinstance(x, Tensor) else x
    if isinstance(source, np.ndarray) and np.may_share_memory(t.data, source):
        return copy(t)
    return t


def convert_to_numpy(x):
    """Returns the value of a Tensor, Variable or array-like as a numpy array.

    Args:
        x: the value to convert.

    Returns:
        A `numpy.ndarray`: a snapshot for a Variable or a tensor sharing a variable's buffer (as
        Keras, later updates do not change it); an op's fresh output array is not copied.

    >>> import minikeras as keras
    >>> keras.ops.convert_to_numpy(keras.ops.ones((2,))).tolist()
    [1.0, 1.0]
    """
    if isinstance(x, Tensor):
        return x.numpy()
    return np.asarray(x)


def is_tensor(x):
    """Tells whether `x` is a minikeras `Tensor`.

    Args:
        x: any object.

    Returns:
        `True` for a `Tensor`, `False` otherwise (numpy arrays included).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.is_tensor(keras.ops.ones((2,))), keras.ops.is_tensor(np.ones(2))
    (True, False)
    """
    return isinstance(x, Tensor)


def shape(x):
    """Returns the shape of a tensor or array-like.

    Args:
        x: a tensor, variable or array-like.

    Returns:
        The shape as a tuple of ints.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.shape(np.zeros((2, 3)))
    (2, 3)
    """
    return tuple(np.shape(unwrap(x, "shape")[0]))


def dtype(x):
    """Returns the dtype name of a tensor or array-like.

    Args:
        x: a tensor, variable or array-like.

    Returns:
        The dtype as a string, such as `"float32"`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.dtype(np.zeros(2, "float32"))
    'float32'
    """
    return np.asarray(unwrap(x, "dtype", weak=False)[0]).dtype.name


def size(x):
    """Returns the number of elements of a tensor or array-like.

    Args:
        x: a tensor, variable or array-like.

    Returns:
        The element count as an int.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.size(np.zeros((2, 3)))
    6
    """
    return int(np.size(unwrap(x, "size", weak=False)[0]))


def ndim(x):
    """Returns the number of axes of a tensor or array-like.

    Args:
        x: a tensor, variable or array-like.

    Returns:
        The rank as an int.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.ndim(np.zeros((2, 3)))
    2
    """
    return int(np.ndim(unwrap(x, "ndim", weak=False)[0]))


def cast(x, dtype):
    """Converts a tensor to another dtype; gradients flow between float dtypes only.

    Args:
        x: input tensor.
        dtype: the target dtype (a name such as `"int32"` or a numpy dtype).

    Returns:
        A tensor of the same shape with dtype `dtype`.

    >>> import minikeras as keras
    >>> keras.ops.cast([1.7, -1.7], "int32").numpy().tolist()
    [1, -1]
    """
    a, ta = unwrap(x, "cast")
    a = np.asarray(a)
    dt = np.dtype(dtypes.standardize_dtype(dtype))
    if a.dtype == dt and isinstance(x, Tensor):
        return x
    if a.dtype.kind == "c" and dt.kind != "c":
        # as Keras (torch, jax): the real part; to bool, True where either part is nonzero
        out = (a != 0) if dt.kind == "b" else a.real.astype(dt)
    else:
        out = a.astype(dt)
    differentiable = (dtypes.is_float(a.dtype) or a.dtype.kind == "c") and (
        dtypes.is_float(dt) or dt.kind == "c"  # bfloat16 has kind "V"
    )
    if not differentiable:
        return Tensor(out)
    # to complex and back: the gradient of the real part (the engine keeps a real input's part)
    return Tensor.from_op(
        out, (ta,), lambda d: (_cast_back(d, a.dtype),), "cast", lambda d, out: (cast(d, a.dtype),)
    )


def _cast_back(d, dtype):
    """A cast's gradient `d` in the input's dtype (a complex `d` to a real input: its real part;
    a real `d` to a complex input: with a zero imaginary part)."""
    if d.dtype.kind == "c" and dtype.kind != "c":
        d = d.real
    return d.astype(dtype)


def _pass_ops(d, out):
    """The differentiable backward of an identity (the engine sums broadcast axes)."""
    return (d,)


def stop_gradient(variable):
    """Returns the same value with no gradient flowing back to `variable`.

    Args:
        variable: input tensor (Keras 3's argument name).

    Returns:
        A tensor that is a constant for autodiff.

    >>> import minikeras as keras
    >>> v = keras.Variable([1.0, 2.0])
    >>> with keras.GradientTape() as tape:
    ...     y = keras.ops.sum(keras.ops.stop_gradient(v) * v)
    >>> tape.gradient(y, v).numpy().tolist()
    [1.0, 2.0]
    """
    return Tensor(unwrap(variable, "stop_gradient", weak=False)[0])


def copy(x):
    """Returns a copy of a tensor; gradients pass through.

    Args:
        x: input tensor.

    Returns:
        A new tensor with the same values.

    >>> import minikeras as keras
    >>> keras.ops.copy([1.0, 2.0]).numpy().tolist()
    [1.0, 2.0]
    """
    a, ta = unwrap(x, "copy", weak=False)
    return Tensor.from_op(np.array(a), (ta,), lambda d: (d,), "copy", _pass_ops)
