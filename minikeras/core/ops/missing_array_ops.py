"""Keras 3 ops that minikeras lacked (issue 16): numpy-style array helpers (flips, rotations,
splits, `kron`, `vander`, `trapezoid`, lookups) and `keras.ops.nn`'s `psnr`, `depth_to_space` and
`space_to_depth`.

They are composed from other ops (reshape, transpose, flip, split, multiply, ...), so gradients
flow through those ops' backwards; the lookups (`isin`, `searchsorted`, `digitize`, `allclose`)
give integers or booleans and no gradient, as in Keras.
"""

import numpy as np

from ..tensor import Tensor
from . import arithmetic as _arithmetic
from . import conversion as _conversion
from . import elementwise as _elementwise
from . import joining as _joining
from . import reduce as _reduce
from ._base import axis_of, keras_dtype, to_tensor, unwrap
from .linalg import diag
from .shape import expand_dims, flip, moveaxis, reshape, transpose

__all__ = [
    "fliplr",
    "flipud",
    "rot90",
    "dstack",
    "array_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "diagflat",
    "kron",
    "vander",
    "trapezoid",
    "isin",
    "searchsorted",
    "digitize",
    "allclose",
    "psnr",
    "depth_to_space",
    "space_to_depth",
]


def _array(x, op):
    return np.asarray(unwrap(x, op)[0])


def _at_least(x, ndim, op):
    if len(to_tensor(x, op=op).shape) < ndim:
        raise ValueError(f"{op} expects a tensor of rank >= {ndim}. Received: shape={x.shape}")


# -- flips, rotations, stacking, splits --------------------------------------------------------
def fliplr(x):
    """Reverses the order along axis 1 (left/right), for tensors of rank >= 2.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.fliplr([[1, 2], [3, 4]]).numpy().tolist()
    [[2, 1], [4, 3]]
    """
    x = to_tensor(x, op="fliplr")
    _at_least(x, 2, "fliplr")
    return flip(x, axis=1)


def flipud(x):
    """Reverses the order along axis 0 (up/down), for tensors of rank >= 1.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.flipud([[1, 2], [3, 4]]).numpy().tolist()
    [[3, 4], [1, 2]]
    """
    x = to_tensor(x, op="flipud")
    _at_least(x, 1, "flipud")
    return flip(x, axis=0)


def rot90(array, k=1, axes=(0, 1)):
    """Rotates by 90 degrees `k` times in the plane of `axes`, from the first axis to the second.

    Args:
        array: input tensor of rank >= 2.
        k: the number of quarter turns (negative turns the other way).
        axes: the two axes of the plane.

    Returns:
        The rotated tensor.

    >>> import minikeras as keras
    >>> keras.ops.rot90([[1, 2], [3, 4]]).numpy().tolist()
    [[2, 4], [1, 3]]
    """
    x = to_tensor(array, op="rot90")
    ndim = len(x.shape)
    if len(axes) != 2 or axes[0] % max(ndim, 1) == axes[1] % max(ndim, 1) or ndim < 2:
        raise ValueError(
            f"rot90 expects two different axes of a tensor of rank >= 2. Received: axes={axes}, "
            f"shape={x.shape}"
        )
    a0, a1 = axes[0] % ndim, axes[1] % ndim
    k = int(k) % 4
    if k == 0:
        return _conversion.copy(x)
    if k == 2:
        return flip(flip(x, axis=a0), axis=a1)
    perm = list(range(ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:  # flip the second axis, then swap the two
        return transpose(flip(x, axis=a1), perm)
    return flip(transpose(x, perm), axis=a1)  # k == 3


def dstack(xs):
    """Stacks tensors along a third axis (1-D `(n,)` become `(1, n, 1)`, 2-D `(m, n)` `(m, n, 1)`).

    Args:
        xs: a list of tensors.

    Returns:
        The concatenation along axis 2.

    >>> import minikeras as keras
    >>> keras.ops.dstack([[1, 2], [3, 4]]).numpy().tolist()
    [[[1, 3], [2, 4]]]
    """
    parts = []
    for x in xs:
        t = to_tensor(x, op="dstack")
        shape = list(t.shape)
        if len(shape) < 3:  # numpy's atleast_3d: () -> (1, 1, 1), (n,) -> (1, n, 1)
            shape = [1, 1, 1] if not shape else [1, shape[0], 1] if len(shape) == 1 else shape + [1]
            t = reshape(t, shape)
        parts.append(t)
    return _joining.concatenate(parts, axis=2)


def array_split(x, indices_or_sections, axis=0):
    """Splits `x` along `axis` into sections that may differ in size by one (the first larger).

    Args:
        x: input tensor.
        indices_or_sections: a number of sections, or the indices to split at.
        axis: the axis to split.

    Returns:
        A list of tensors.

    >>> import minikeras as keras
    >>> [p.numpy().tolist() for p in keras.ops.array_split([1, 2, 3, 4, 5], 3)]
    [[1, 2], [3, 4], [5]]
    """
    x = to_tensor(x, op="array_split")
    if isinstance(indices_or_sections, bool) or not isinstance(
        indices_or_sections, (int, np.integer)
    ):
        raise TypeError(  # Keras 3 takes a number of sections only
            "array_split: argument `indices_or_sections` must be of type `int`. "
            f"Received: indices_or_sections={indices_or_sections}"
        )
    sections = int(indices_or_sections)
    if sections <= 0:
        raise ValueError(f"array_split: sections must be > 0. Received: {sections}")
    size, extra = divmod(x.shape[axis_of(axis, len(x.shape), "array_split")], sections)
    sizes = [size + 1] * extra + [size] * (sections - extra)
    return _joining.split(x, np.cumsum(sizes)[:-1].tolist(), axis=axis)


def hsplit(x, indices_or_sections):
    """Splits `x` into equal sections (or at indices) along axis 1 (axis 0 for 1-D tensors).

    Args:
        x: input tensor.
        indices_or_sections: a number of equal sections, or the indices to split at.

    Returns:
        A list of tensors.

    >>> import minikeras as keras
    >>> [p.numpy().tolist() for p in keras.ops.hsplit([[1, 2], [3, 4]], 2)]
    [[[1], [3]], [[2], [4]]]
    """
    x = to_tensor(x, op="hsplit")
    return _joining.split(x, indices_or_sections, axis=1 if len(x.shape) > 1 else 0)


def vsplit(x, indices_or_sections):
    """Splits `x` into equal sections (or at indices) along axis 0, for tensors of rank >= 2.

    Args:
        x: input tensor.
        indices_or_sections: a number of equal sections, or the indices to split at.

    Returns:
        A list of tensors.

    >>> import minikeras as keras
    >>> [p.numpy().tolist() for p in keras.ops.vsplit([[1, 2], [3, 4]], 2)]
    [[[1, 2]], [[3, 4]]]
    """
    x = to_tensor(x, op="vsplit")
    _at_least(x, 2, "vsplit")
    return _joining.split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    """Splits `x` into equal sections (or at indices) along axis 2, for tensors of rank >= 3.

    Args:
        x: input tensor.
        indices_or_sections: a number of equal sections, or the indices to split at.

    Returns:
        A list of tensors.

    >>> import numpy as np, minikeras as keras
    >>> [p.shape for p in keras.ops.dsplit(np.zeros((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    x = to_tensor(x, op="dsplit")
    _at_least(x, 3, "dsplit")
    return _joining.split(x, indices_or_sections, axis=2)


# -- matrices and polynomials ------------------------------------------------------------------
def diagflat(x, k=0):
    """A 2-D tensor with the flattened `x` on its `k`-th diagonal.

    Args:
        x: input tensor (flattened).
        k: the diagonal (0 the main one, > 0 above, < 0 below).

    Returns:
        A square 2-D tensor.

    >>> import minikeras as keras
    >>> keras.ops.diagflat([1, 2]).numpy().tolist()
    [[1, 0], [0, 2]]
    """
    return diag(reshape(to_tensor(x, op="diagflat"), [-1]), k=k)


def kron(x1, x2):
    """Kronecker product: blocks `x1[i, j] * x2` (for any ranks, the smaller padded with 1s).

    Args:
        x1, x2: input tensors.

    Returns:
        A tensor whose each axis is the product of the inputs' sizes.

    >>> import minikeras as keras
    >>> keras.ops.kron([1, 10], [1, 2]).numpy().tolist()
    [1, 2, 10, 20]
    """
    a, b = to_tensor(x1, op="kron"), to_tensor(x2, op="kron")
    nd = max(len(a.shape), len(b.shape))
    sa = [1] * (nd - len(a.shape)) + list(a.shape)
    sb = [1] * (nd - len(b.shape)) + list(b.shape)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then merge each pair of axes
    wide_a = reshape(a, [v for s in sa for v in (s, 1)])
    wide_b = reshape(b, [v for s in sb for v in (1, s)])
    return reshape(_arithmetic.multiply(wide_a, wide_b), [p * q for p, q in zip(sa, sb)])


@keras_dtype(nargs=1, weak=False)
def vander(x, N=None, increasing=False):
    """Vandermonde matrix of a 1-D `x`: columns are powers of `x` (decreasing by default).

    Args:
        x: a 1-D tensor.
        N: the number of columns (default `len(x)`).
        increasing: whether the powers go up from `x ** 0`.

    Returns:
        A `(len(x), N)` tensor.

    >>> import minikeras as keras
    >>> keras.ops.vander([1, 2, 3]).numpy().tolist()
    [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = to_tensor(x, op="vander")
    if len(x.shape) != 1:
        raise ValueError(f"vander expects a 1-D tensor. Received: shape={x.shape}")
    n = x.shape[0] if N is None else int(N)
    powers = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
    return _elementwise.power(expand_dims(x, -1), powers.astype(x.dtype))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule, at points `x` or spaced `dx` apart.

    Args:
        y: the sampled values.
        x: the sample points (broadcast along `axis`), or `None` for spacing `dx`.
        dx: the spacing when `x` is `None`.
        axis: the axis to integrate along.

    Returns:
        A float tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> float(keras.ops.trapezoid([1.0, 2.0, 3.0]))
    4.0
    """
    y = moveaxis(to_tensor(y, op="trapezoid"), axis, -1)
    if y.dtype.kind not in "fc":  # complex values integrate as complex, as Keras
        y = _conversion.cast(y, "float32")
    if x is None:
        d = dx
    else:
        x = to_tensor(x, op="trapezoid")
        x = moveaxis(x, axis, -1) if len(x.shape) > 1 else x
        d = _conversion.cast(_arithmetic.subtract(x[..., 1:], x[..., :-1]), y.dtype)
    average = _arithmetic.multiply(_arithmetic.add(y[..., 1:], y[..., :-1]), 0.5)
    return _reduce.sum(_arithmetic.multiply(average, d), axis=-1)


# -- lookups (no gradient) ---------------------------------------------------------------------
def isin(x1, x2, assume_unique=False, invert=False):
    """Elementwise: whether each entry of `x1` occurs in `x2`.

    Args:
        x1: input tensor.
        x2: the values to look for (flattened).
        assume_unique: accepted for Keras compatibility (the result does not depend on it).
        invert: whether to return the negation.

    Returns:
        A bool tensor shaped like `x1`.

    >>> import minikeras as keras
    >>> keras.ops.isin([1, 2, 3], [2, 5]).numpy().tolist()
    [False, True, False]
    """
    a, b = _array(x1, "isin"), _array(x2, "isin")
    return Tensor(np.isin(a, b, invert=invert))


def searchsorted(sorted_sequence, values, side="left"):
    """Indices where `values` would be inserted into the 1-D `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: a sorted 1-D tensor.
        values: the values to place.
        side: `"left"` (first suitable index) or `"right"` (last).

    Returns:
        An int32 tensor shaped like `values`.

    >>> import minikeras as keras
    >>> keras.ops.searchsorted([1.0, 2.0, 3.0], [2.0, 2.5]).numpy().tolist()
    [1, 2]
    """
    seq = _array(sorted_sequence, "searchsorted")
    if seq.ndim != 1:
        raise ValueError(f"searchsorted expects a 1-D sorted_sequence. Received: shape={seq.shape}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right'. Received: {side!r}")
    out = np.searchsorted(seq, _array(values, "searchsorted"), side=side)
    return Tensor(np.asarray(out, "int32"))


def digitize(x, bins):
    """Index of the bin each entry of `x` falls in (`bins` increasing: `bins[i-1] <= x < bins[i]`).

    Args:
        x: input tensor.
        bins: a 1-D monotonic tensor of bin edges.

    Returns:
        An int32 tensor shaped like `x`.

    >>> import minikeras as keras
    >>> keras.ops.digitize([0.5, 1.5, 3.0], [1.0, 2.0]).numpy().tolist()
    [0, 1, 2]
    """
    out = np.digitize(_array(x, "digitize"), _array(bins, "digitize"))
    return Tensor(np.asarray(out, "int32"))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether every `|x1 - x2| <= atol + rtol * |x2|` (a scalar bool).

    Args:
        x1, x2: tensors (broadcast together).
        rtol: the relative tolerance.
        atol: the absolute tolerance.
        equal_nan: whether NaNs in the same place count as equal.

    Returns:
        A scalar bool tensor.

    >>> import minikeras as keras
    >>> bool(keras.ops.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9]))
    True
    """
    a, b = _array(x1, "allclose"), _array(x2, "allclose")
    return Tensor(np.asarray(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


# -- keras.ops.nn ------------------------------------------------------------------------------
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio `20 log10(max_val) - 10 log10(mean((x1 - x2) ** 2))`, in dB.

    Args:
        x1, x2: tensors of the same shape (e.g. images).
        max_val: the largest possible value of a pixel (1.0 or 255).

    Returns:
        A scalar float tensor.

    >>> import minikeras as keras
    >>> round(float(keras.ops.psnr([0.0, 1.0], [0.0, 0.9], 1.0)), 3)
    23.01
    """
    a, b = to_tensor(x1, op="psnr"), to_tensor(x2, op="psnr")
    if a.shape != b.shape:
        raise ValueError(
            f"psnr: input shapes {a.shape} and {b.shape} must match for the PSNR calculation."
        )
    mse = _reduce.mean(_elementwise.square(_arithmetic.subtract(a, b)))
    peak = 20.0 * np.log10(np.asarray(max_val, dtype=b.dtype))
    return _arithmetic.subtract(peak, _arithmetic.multiply(_elementwise.log10(mse), 10.0))


def _check_blocks(op, x, block_size, data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    if len(x.shape) != 4:
        raise ValueError(f"{op} expects a 4-D tensor. Received: shape={x.shape}")
    if int(block_size) < 1:
        raise ValueError(f"{op}: block_size must be >= 1. Received: block_size={block_size}")
    return int(block_size)


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into space (pixel shuffle), the inverse of `space_to_depth`.

    `(n, h, w, c)` becomes `(n, h * b, w * b, c / b**2)`: each pixel's channels are read as
    `(b, b, c / b**2)` and laid out as a `b x b` block of pixels.

    Args:
        x: a 4-D tensor.
        block_size: the block size `b` (`c` divisible by `b**2`).
        data_format: `"channels_last"` or `"channels_first"` (`(n, c, h, w)`).

    Returns:
        The rearranged 4-D tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.depth_to_space(np.arange(4.0).reshape(1, 1, 1, 4), 2)[0, ..., 0].numpy().tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """
    x = to_tensor(x, op="depth_to_space")
    b = _check_blocks("depth_to_space", x, block_size, data_format)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = reshape(x, [n, h, w, b, b, c // (b * b)])
        x = transpose(x, (0, 1, 3, 2, 4, 5))  # (n, h, bh, w, bw, c')
        return reshape(x, [n, h * b, w * b, c // (b * b)])
    n, c, h, w = x.shape
    x = reshape(x, [n, c // (b * b), b, b, h, w])
    x = transpose(x, (0, 1, 4, 2, 5, 3))  # (n, c', h, bh, w, bw)
    return reshape(x, [n, c // (b * b), h * b, w * b])


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves spatial blocks into channels, the inverse of `depth_to_space`.

    `(n, h, w, c)` becomes `(n, h / b, w / b, c * b**2)`: each `b x b` block of pixels is
    stacked into one pixel's channels in `(row, column, channel)` order.

    Args:
        x: a 4-D tensor.
        block_size: the block size `b` (`h` and `w` divisible by `b`).
        data_format: `"channels_last"` or `"channels_first"` (`(n, c, h, w)`).

    Returns:
        The rearranged 4-D tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.space_to_depth(np.arange(4.0).reshape(1, 2, 2, 1), 2).numpy().ravel().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    x = to_tensor(x, op="space_to_depth")
    b = _check_blocks("space_to_depth", x, block_size, data_format)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = reshape(x, [n, h // b, b, w // b, b, c])
        x = transpose(x, (0, 1, 3, 2, 4, 5))  # (n, h', w', bh, bw, c)
        return reshape(x, [n, h // b, w // b, c * b * b])
    n, c, h, w = x.shape
    x = reshape(x, [n, c, h // b, b, w // b, b])
    x = transpose(x, (0, 1, 3, 5, 2, 4))  # (n, c, bh, bw, h', w')
    return reshape(x, [n, c * b * b, h // b, w // b])
