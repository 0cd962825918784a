"""Window functions and spaced ranges of Keras 3's `keras.ops.numpy`: `bartlett`, `blackman`,
`hamming`, `hanning`, `kaiser`, `geomspace`, `logspace`, and the index helpers `empty_like`,
`unravel_index`. They build new arrays (no gradient), in Keras 3's dtypes: windows in floatx,
spaced ranges in floatx unless `dtype` is given, unravelled indices in the indices' dtype.
"""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import unwrap

__all__ = [
    "bartlett",
    "blackman",
    "hamming",
    "hanning",
    "kaiser",
    "geomspace",
    "logspace",
    "empty_like",
    "unravel_index",
]


def _length(x, op):
    n = np.asarray(unwrap(x, op)[0])
    if n.ndim != 0 or n.dtype.kind not in "iu":
        raise ValueError(f"{op} expects an integer window length. Received: x={x!r}")
    return int(n)


def _window(op, fn, x, *args):
    return Tensor(np.asarray(fn(_length(x, op), *args), dtype=dtypes.floatx()))


def bartlett(x):
    """The Bartlett (triangular) window of length `x`.

    `w[n] = 1 - |2 n / (x - 1) - 1|`: rises linearly from 0 to 1 and back to 0.

    Args:
        x: the window length, a non-negative Python or scalar tensor integer.

    Returns:
        A 1-D floatx tensor of `x` values.

    >>> import minikeras as keras
    >>> keras.ops.bartlett(5).numpy().tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return _window("bartlett", np.bartlett, x)


def blackman(x):
    """The Blackman window of length `x` (three cosine terms).

    `w[n] = 0.42 - 0.5 cos(2 pi n / (x - 1)) + 0.08 cos(4 pi n / (x - 1))`: zero at both ends
    (up to rounding) and 1 in the middle.

    Args:
        x: the window length, a non-negative Python or scalar tensor integer.

    Returns:
        A 1-D floatx tensor of `x` values.

    >>> import minikeras as keras
    >>> [round(v, 4) for v in keras.ops.blackman(5).numpy()[1:4].tolist()]
    [0.34, 1.0, 0.34]
    """
    return _window("blackman", np.blackman, x)


def hamming(x):
    """The Hamming window of length `x`: `0.54 - 0.46 cos(2 pi n / (x - 1))`.

    Args:
        x: the window length, a non-negative Python or scalar tensor integer.

    Returns:
        A 1-D floatx tensor of `x` values, 0.08 at both ends and 1 in the middle.

    >>> import minikeras as keras
    >>> [round(v, 4) for v in keras.ops.hamming(5).numpy().tolist()]
    [0.08, 0.54, 1.0, 0.54, 0.08]
    """
    return _window("hamming", np.hamming, x)


def hanning(x):
    """The Hann window of length `x`: `0.5 - 0.5 cos(2 pi n / (x - 1))`.

    Args:
        x: the window length, a non-negative Python or scalar tensor integer.

    Returns:
        A 1-D floatx tensor of `x` values, 0 at both ends and 1 in the middle.

    >>> import minikeras as keras
    >>> keras.ops.hanning(5).numpy().tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return _window("hanning", np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of length `x` with shape parameter `beta`.

    `w[n] = I0(beta * sqrt(1 - (2 n / (x - 1) - 1) ** 2)) / I0(beta)`, `I0` the modified
    Bessel function of the first kind and order 0; a larger `beta` narrows the window.

    Args:
        x: the window length, a non-negative Python or scalar tensor integer.
        beta: the shape parameter, a float (0 gives a rectangular window).

    Returns:
        A 1-D floatx tensor of `x` values, 1 in the middle.

    >>> import minikeras as keras
    >>> [round(v, 4) for v in keras.ops.kaiser(5, 14.0).numpy().tolist()]
    [0.0, 0.1649, 1.0, 0.1649, 0.0]
    """
    return _window("kaiser", np.kaiser, x, float(beta))


def _spaced(op, fn, start, stop, num, endpoint, dtype, axis, **kwargs):
    a = np.asarray(unwrap(start, op)[0], dtype=np.float64)
    b = np.asarray(unwrap(stop, op)[0], dtype=np.float64)
    out = fn(a, b, num=int(num), endpoint=endpoint, axis=axis, **kwargs)
    return Tensor(np.asarray(out, dtype=dtypes.numpy_dtype(dtype or dtypes.floatx())))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale from `start` to `stop` (a geometric progression).

    Each sample is a constant multiple of the previous one.

    Args:
        start: the first value (a number or a tensor of numbers, non-zero).
        stop: the last value; with `endpoint=False` the sequence stops one step before it.
        num: the number of samples (default 50).
        endpoint: whether `stop` is the last sample (default True).
        dtype: the output dtype (default None: floatx).
        axis: the result axis holding the samples when `start`/`stop` are tensors (default 0).

    Returns:
        A tensor of `num` samples (along `axis`, the other axes from `start` and `stop`).

    >>> import minikeras as keras
    >>> keras.ops.geomspace(1.0, 1000.0, num=4).numpy().tolist()
    [1.0, 10.0, 100.0, 1000.0]
    """
    return _spaced("geomspace", np.geomspace, start, stop, num, endpoint, dtype, axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)`: numbers spaced evenly on a log scale.

    Args:
        start: the first exponent: the sequence starts at `base ** start`.
        stop: the last exponent; with `endpoint=False` the sequence stops one step before it.
        num: the number of samples (default 50).
        endpoint: whether `base ** stop` is the last sample (default True).
        base: the base of the log space (default 10).
        dtype: the output dtype (default None: floatx).
        axis: the result axis holding the samples when `start`/`stop` are tensors (default 0).

    Returns:
        A tensor of `num` samples (along `axis`, the other axes from `start` and `stop`).

    >>> import minikeras as keras
    >>> keras.ops.logspace(0.0, 2.0, num=3).numpy().tolist()
    [1.0, 10.0, 100.0]
    """
    return _spaced(
        "logspace", np.logspace, start, stop, num, endpoint, dtype, axis, base=float(base)
    )


def empty_like(x, dtype=None):
    """A tensor of `x`'s shape and dtype (or `dtype`) whose values are unspecified (zeros here).

    Args:
        x: the tensor whose shape (and, by default, dtype) to take.
        dtype: the output dtype (default None: `x`'s dtype).

    Returns:
        A new tensor of `x.shape`; code must not rely on its values.

    >>> import minikeras as keras
    >>> keras.ops.empty_like([[1, 2]]).shape
    (1, 2)
    """
    a = np.asarray(unwrap(x, "empty_like")[0])
    return Tensor(np.zeros(a.shape, dtype=dtypes.numpy_dtype(dtype) if dtype else a.dtype))


def unravel_index(indices, shape):
    """Flat indices into `shape` converted to a tuple of coordinate tensors, one per axis.

    Args:
        indices: an integer or an integer tensor of flat (row-major) indices.
        shape: the shape of the array the indices point into, a tuple of ints.

    Returns:
        A tuple of `len(shape)` tensors of `indices`' shape and dtype: the coordinates on each
        axis.

    >>> import minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.unravel_index([5, 11], (3, 4))]
    [[1, 2], [1, 3]]
    """
    idx = np.asarray(unwrap(indices, "unravel_index")[0])
    if idx.dtype.kind not in "iu":
        raise TypeError(f"unravel_index expects integer indices. Received: dtype {idx.dtype}")
    return tuple(Tensor(c.astype(idx.dtype)) for c in np.unravel_index(idx, tuple(shape)))
