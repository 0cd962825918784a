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

    >>> import minikeras as keras
    >>> keras.ops.bartlett(5).numpy().tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return _window("bartlett", np.bartlett, x)


def blackman(x):
    """The Blackman window of length `x` (three cosine terms)."""
    return _window("blackman", np.blackman, x)


def hamming(x):
    """The Hamming window of length `x`: `0.54 - 0.46 cos(2 pi n / (x - 1))`."""
    return _window("hamming", np.hamming, x)


def hanning(x):
    """The Hann window of length `x`: `0.5 - 0.5 cos(2 pi n / (x - 1))`."""
    return _window("hanning", np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of length `x` with shape parameter `beta`."""
    return _window("kaiser", np.kaiser, x, float(beta))


def _spaced(op, fn, start, stop, num, endpoint, dtype, axis, **kwargs):
    a = np.asarray(unwrap(start, op)[0], dtype=np.float64)
    b = np.asarray(unwrap(stop, op)[0], dtype=np.float64)
    out = fn(a, b, num=int(num), endpoint=endpoint, axis=axis, **kwargs)
    return Tensor(np.asarray(out, dtype=dtypes.numpy_dtype(dtype or dtypes.floatx())))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale from `start` to `stop` (a geometric progression).

    >>> import minikeras as keras
    >>> keras.ops.geomspace(1.0, 1000.0, num=4).numpy().tolist()
    [1.0, 10.0, 100.0, 1000.0]
    """
    return _spaced("geomspace", np.geomspace, start, stop, num, endpoint, dtype, axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)`: numbers spaced evenly on a log scale.

    >>> import minikeras as keras
    >>> keras.ops.logspace(0.0, 2.0, num=3).numpy().tolist()
    [1.0, 10.0, 100.0]
    """
    return _spaced(
        "logspace", np.logspace, start, stop, num, endpoint, dtype, axis, base=float(base)
    )


def empty_like(x, dtype=None):
    """A tensor of `x`'s shape and dtype (or `dtype`) whose values are unspecified (zeros here).

    >>> import minikeras as keras
    >>> keras.ops.empty_like([[1, 2]]).shape
    (1, 2)
    """
    a = np.asarray(unwrap(x, "empty_like")[0])
    return Tensor(np.zeros(a.shape, dtype=dtypes.numpy_dtype(dtype) if dtype else a.dtype))


def unravel_index(indices, shape):
    """Flat indices into `shape` converted to a tuple of coordinate tensors, one per axis.

    >>> import minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.unravel_index([5, 11], (3, 4))]
    [[1, 2], [1, 3]]
    """
    idx = np.asarray(unwrap(indices, "unravel_index")[0])
    if idx.dtype.kind not in "iu":
        raise TypeError(f"unravel_index expects integer indices. Received: dtype {idx.dtype}")
    return tuple(Tensor(c.astype(idx.dtype)) for c in np.unravel_index(idx, tuple(shape)))
