"""Creation ops: zeros, ones, full, arange, linspace, eye, tri, one_hot and the *_like ones."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import unwrap

__all__ = [
    "zeros",
    "ones",
    "zeros_like",
    "ones_like",
    "full",
    "full_like",
    "arange",
    "eye",
    "one_hot",
    "tril",
    "triu",
    "identity",
    "linspace",
    "meshgrid",
    "tri",
    "empty",
]


def identity(n, dtype=None):
    """Returns the `n x n` identity matrix (Keras's `ops.identity`).

    Args:
        n: number of rows and columns.
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A tensor of shape `(n, n)`.

    >>> import minikeras as keras
    >>> keras.ops.identity(2).numpy().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return eye(n, dtype=dtype)


def _fdt(dtype):
    return dtypes.standardize_dtype(dtype)


def zeros(shape, dtype=None):
    """Creates a tensor filled with zeros.

    Args:
        shape: the shape (an int or tuple).
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.zeros((2,)).numpy().tolist()
    [0.0, 0.0]
    """
    return Tensor(np.zeros(shape, _fdt(dtype)))


def ones(shape, dtype=None):
    """Creates a tensor filled with ones.

    Args:
        shape: the shape (an int or tuple).
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.ones((2,), dtype="int32").numpy().tolist()
    [1, 1]
    """
    return Tensor(np.ones(shape, _fdt(dtype)))


def full(shape, fill_value, dtype=None):
    """Creates a tensor filled with one value.

    Args:
        shape: the shape (an int or tuple).
        fill_value: the value of every entry.
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.full((2,), 7.0).numpy().tolist()
    [7.0, 7.0]
    """
    dt = _fdt(dtype)
    _check_fill("full", fill_value, dt)
    return Tensor(np.full(shape, fill_value, dt))


def _check_fill(op, fill_value, dtype):
    """A complex fill value needs a complex dtype: numpy would drop its imaginary part, Keras
    raises a TypeError (on torch)."""
    if np.iscomplexobj(fill_value) and np.dtype(dtype).kind != "c":
        raise TypeError(
            f"{op}: a complex fill_value needs a complex dtype. Received: "
            f"fill_value={fill_value!r}, dtype={np.dtype(dtype).name}"
        )


def zeros_like(x, dtype=None):
    """Creates a tensor of zeros with the shape (and by default the dtype) of `x`.

    Args:
        x: the tensor whose shape to copy.
        dtype: the dtype; `None` keeps `x`'s dtype.

    Returns:
        A new tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.zeros_like(np.ones((2, 3))).shape
    (2, 3)
    """
    a = np.asarray(unwrap(x, "zeros_like")[0])
    return Tensor(np.zeros_like(a, dtype=dtype and _fdt(dtype)))


def ones_like(x, dtype=None):
    """Creates a tensor of ones with the shape (and by default the dtype) of `x`.

    Args:
        x: the tensor whose shape to copy.
        dtype: the dtype; `None` keeps `x`'s dtype.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.ones_like([5, 6]).numpy().tolist()
    [1, 1]
    """
    a = np.asarray(unwrap(x, "ones_like")[0])
    return Tensor(np.ones_like(a, dtype=dtype and _fdt(dtype)))


def full_like(x, fill_value, dtype=None):
    """Creates a tensor filled with `fill_value`, with the shape (and by default dtype) of `x`.

    Args:
        x: the tensor whose shape to copy.
        fill_value: the value of every entry.
        dtype: the dtype; `None` keeps `x`'s dtype.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.full_like([1.0, 2.0], 3.0).numpy().tolist()
    [3.0, 3.0]
    """
    a = np.asarray(unwrap(x, "full_like")[0])
    _check_fill("full_like", fill_value, dtype and _fdt(dtype) or a.dtype)
    return Tensor(np.full_like(a, fill_value, dtype=dtype and _fdt(dtype)))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`, as `numpy.arange`.

    Args:
        start: the first value (or the stop value when `stop` is None).
        stop: the end, excluded.
        step: the spacing; `None` means 1.
        dtype: the dtype; `None` gives int32 for integer arguments and `floatx` otherwise.

    Returns:
        A 1-D tensor.

    >>> import minikeras as keras
    >>> keras.ops.arange(1, 7, 2).numpy().tolist()
    [1, 3, 5]
    """
    step = 1 if step is None else step
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, stop or 0, step))
        dtype = "int32" if ints else None
    return Tensor(np.arange(start, stop, step, dtype=_fdt(dtype)))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, as `numpy.linspace`.

    Args:
        start: the first value (or array of first values).
        stop: the last value (included when `endpoint` is True).
        num: the number of values.
        endpoint: whether `stop` is included.
        retstep: whether to return the spacing too.
        dtype: the dtype; `None` means `floatx`.
        axis: where the new axis goes when `start`/`stop` are arrays.

    Returns:
        A tensor of `num` values along `axis`, and with `retstep` the step as well.

    >>> import minikeras as keras
    >>> keras.ops.linspace(0, 1, 5).numpy().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    start, stop = (v.data if isinstance(v, Tensor) else v for v in (start, stop))
    out = np.linspace(start, stop, num, endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        step = float(out[1]) if np.ndim(out[1]) == 0 else Tensor(out[1].astype(_fdt(dtype)))
        return Tensor(out[0].astype(_fdt(dtype))), step
    return Tensor(out.astype(_fdt(dtype)))


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors, as `numpy.meshgrid`.

    Args:
        *x: the 1-D coordinate tensors.
        indexing: `"xy"` (Cartesian: the first two output axes swapped) or `"ij"` (matrix).

    Returns:
        A list of tensors, one per input, each of the grid's shape.

    >>> import minikeras as keras
    >>> gx, gy = keras.ops.meshgrid([1, 2, 3], [4, 5])
    >>> gx.numpy().tolist()
    [[1, 2, 3], [1, 2, 3]]
    """
    return [Tensor(g) for g in np.meshgrid(*[unwrap(v)[0] for v in x], indexing=indexing)]


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on diagonal `k` and zeros elsewhere.

    Args:
        N: number of rows.
        M: number of columns; `None` means `N`.
        k: the diagonal: 0 is the main one, positive above it, negative below.
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A tensor of shape `(N, M)`.

    >>> import minikeras as keras
    >>> keras.ops.eye(2, 3, k=1).numpy().tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    return Tensor(np.eye(N, M, k, dtype=_fdt(dtype)))


def tril(x, k=0):
    """Lower triangle of the last two axes: zeros above diagonal `k`.

    Args:
        x: input tensor of rank >= 2.
        k: the diagonal: 0 is the main one, positive above it, negative below.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.tril([[1, 2], [3, 4]]).numpy().tolist()
    [[1, 0], [3, 4]]
    """
    a, ta = unwrap(x, "tril")
    return Tensor.from_op(np.tril(a, k), (ta,), lambda d: (np.tril(d, k),), "tril")


def triu(x, k=0):
    """Upper triangle of the last two axes: zeros below diagonal `k`.

    Args:
        x: input tensor of rank >= 2.
        k: the diagonal: 0 is the main one, positive above it, negative below.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.triu([[1, 2], [3, 4]]).numpy().tolist()
    [[1, 2], [0, 4]]
    """
    a, ta = unwrap(x, "triu")
    return Tensor.from_op(np.triu(a, k), (ta,), lambda d: (np.triu(d, k),), "triu")


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer class ids; ids outside `[0, num_classes)` give all-zero rows.

    Args:
        x: int tensor of class ids.
        num_classes: the number of classes (size of the new axis).
        axis: position of the new axis.
        dtype: the dtype; `None` means `floatx`.
        sparse: accepted for Keras compatibility; results are dense.

    Returns:
        A tensor with one more axis than `x`.

    >>> import minikeras as keras
    >>> keras.ops.one_hot([0, 2], 3).numpy().tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    idx = np.asarray(unwrap(x, "one_hot")[0]).astype(np.int64)
    out = (idx[..., None] == np.arange(num_classes)).astype(_fdt(dtype))
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor(out)


def empty(shape, dtype=None):
    """Creates a tensor of the given shape (filled with zeros here, unlike `numpy.empty`).

    Args:
        shape: the shape (an int or tuple).
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A new tensor.

    >>> import minikeras as keras
    >>> keras.ops.empty((2, 3)).shape
    (2, 3)
    """
    return zeros(shape, dtype)


def tri(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on and below diagonal `k` and zeros above.

    Args:
        N: number of rows.
        M: number of columns; `None` means `N`.
        k: the diagonal: 0 is the main one, positive above it, negative below.
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A tensor of shape `(N, M)`.

    >>> import minikeras as keras
    >>> keras.ops.tri(2).numpy().tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    return Tensor(np.tri(N, M, k, dtype=_fdt(dtype)))
