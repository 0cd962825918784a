"""Shape ops: reshape, transpose and axis moves, squeeze, broadcast, repeat, tile, flip, roll."""

import numpy as np

from ..scopes import in_symbolic_scope
from ..tensor import Tensor
from ._base import axis_of, unwrap
from .conversion import _pass_ops, ndim

__all__ = [
    "reshape",
    "transpose",
    "expand_dims",
    "squeeze",
    "repeat",
    "tile",
    "flip",
    "broadcast_to",
    "swapaxes",
    "moveaxis",
    "ravel",
    "flatten",
    "roll",
]


def reshape(x, newshape):
    """Gives a tensor a new shape with the same elements in the same (row-major) order.

    Args:
        x: input tensor.
        newshape: the new shape; one dimension may be -1 (or None, meaning -1) and is inferred.

    Returns:
        A tensor of shape `newshape`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.reshape(np.arange(6), (2, -1)).numpy().tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    a, ta = unwrap(x, "reshape", weak=False)
    a = np.asarray(a)
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    newshape = tuple(-1 if n is None else int(n) for n in newshape)
    try:
        out = a.reshape(newshape)
    except ValueError:
        if in_symbolic_scope() and newshape.count(-1) <= 1:
            # a shape-inference run of the functional API computes on placeholder sizes; a
            # `call` that reshapes to sizes fixed for the real batch (keras.io's Switch
            # Transformer) cannot fit them. Keras's TensorFlow backend accepts such a reshape
            # while tracing and checks it when the real data comes; so does minikeras.
            return Tensor(np.zeros(tuple(1 if n == -1 else n for n in newshape), a.dtype))
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {a.shape} ({a.size} values) "
            f"into shape {newshape}."
        ) from None
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "reshape", _reshape_back)


def _reshape_back(d, out):
    """Differentiable backward of reshape, expand_dims and squeeze: `d` in the input's shape."""
    return (reshape(d, out._parents[0].shape),)


def ravel(x):
    """Flattens a tensor to one axis, in row-major order (also `ops.flatten`).

    Args:
        x: input tensor.

    Returns:
        A 1-D tensor with `size(x)` elements.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.ravel(np.array([[1, 2], [3, 4]])).numpy().tolist()
    [1, 2, 3, 4]
    """
    return reshape(x, (-1,))


flatten = ravel


def transpose(x, axes=None):
    """Permutes the axes of a tensor.

    Args:
        x: input tensor.
        axes: the new order of the axes; `None` reverses them.

    Returns:
        A tensor whose axis `i` is axis `axes[i]` of `x`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.transpose(np.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    """
    a, ta = unwrap(x, "transpose", weak=False)
    a = np.asarray(a)
    if axes is None:
        axes = tuple(reversed(range(a.ndim)))
    axes = tuple(int(i) % max(a.ndim, 1) for i in axes)
    if sorted(axes) != list(range(a.ndim)):
        raise ValueError(f"transpose: axes {axes} are not a permutation for shape {a.shape}.")
    inverse = tuple(np.argsort(axes))
    return Tensor.from_op(
        a.transpose(axes),
        (ta,),
        lambda d: (d.transpose(inverse),),
        "transpose",
        lambda d, out: (transpose(d, inverse),),
    )


def swapaxes(x, axis1, axis2):
    """Exchanges two axes of a tensor.

    Args:
        x: input tensor.
        axis1, axis2: the axes to exchange.

    Returns:
        A tensor with those two axes swapped.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.swapaxes(np.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    n = ndim(x)
    axis1, axis2 = axis_of(axis1, n, "swapaxes", "axis1"), axis_of(axis2, n, "swapaxes", "axis2")
    perm = list(range(n))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(x, perm)


def moveaxis(x, source, destination):
    """Moves axes to new positions, keeping the other axes in their order.

    Args:
        x: input tensor.
        source: axis or tuple of axes to move.
        destination: their new positions (same length as `source`).

    Returns:
        A tensor with the axes moved.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.moveaxis(np.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    n = ndim(x)
    src = [source] if np.ndim(source) == 0 else list(source)
    dst = [destination] if np.ndim(destination) == 0 else list(destination)
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} differ in length."
        )
    src = [axis_of(i, n, "moveaxis", "source") for i in src]
    dst = [axis_of(i, n, "moveaxis", "destination") for i in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError(
            f"moveaxis: repeated axis in source {source} or destination {destination}."
        )
    perm = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return transpose(x, perm)


def expand_dims(x, axis):
    """Inserts a size-1 axis.

    Args:
        x: input tensor.
        axis: position of the new axis in the output (negative counts from the end).

    Returns:
        A tensor with one more axis.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.expand_dims(np.zeros((2, 3)), -1).shape
    (2, 3, 1)
    """
    a, ta = unwrap(x, "expand_dims", weak=False)
    a = np.asarray(a)
    out = np.expand_dims(a, axis)
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "expand_dims", _reshape_back)


def squeeze(x, axis=None):
    """Removes size-1 axes.

    Args:
        x: input tensor.
        axis: an axis or tuple of axes to remove (each must have size 1); `None` removes all
            size-1 axes.

    Returns:
        A tensor with fewer axes.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.squeeze(np.zeros((2, 1, 3, 1)), axis=1).shape
    (2, 3, 1)
    """
    a, ta = unwrap(x, "squeeze", weak=False)
    a = np.asarray(a)
    try:
        out = np.squeeze(a, axis=axis)
    except ValueError:
        raise ValueError(f"squeeze: axis {axis} of shape {a.shape} is not of size 1.") from None
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "squeeze", _reshape_back)


def repeat(x, repeats, axis=None):
    """Repeats each element along an axis.

    Args:
        x: input tensor.
        repeats: an int, or one count per element along `axis`.
        axis: the axis to repeat along; `None` flattens the tensor first.

    Returns:
        The tensor with repeated elements.

    >>> import minikeras as keras
    >>> keras.ops.repeat([1, 2], 2).numpy().tolist()
    [1, 1, 2, 2]
    """
    a, ta = unwrap(x, "repeat", weak=False)
    a = np.asarray(a)
    out = np.repeat(a, repeats, axis=axis)

    scalar = np.ndim(repeats) == 0 or np.size(repeats) == 1

    def backward(d):
        r = int(np.reshape(repeats, -1)[0]) if scalar else None
        if axis is None:
            if scalar:
                return (d.reshape(a.size, r).sum(1).reshape(a.shape),)
            source = np.repeat(np.arange(a.size), repeats)
            g = np.bincount(source, weights=d, minlength=a.size)
            return (g.reshape(a.shape).astype(d.dtype, copy=False),)
        ax = axis % a.ndim
        if scalar:
            shp = a.shape[:ax] + (a.shape[ax], r) + a.shape[ax + 1 :]
            return (d.reshape(shp).sum(ax + 1),)
        g = np.zeros(a.shape, d.dtype)
        source = np.repeat(np.arange(a.shape[ax]), repeats)
        np.add.at(np.moveaxis(g, ax, 0), source, np.moveaxis(d, ax, 0))
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "repeat")


def tile(x, repeats):
    """Tiles a tensor: repeats the whole tensor along each axis.

    Args:
        x: input tensor.
        repeats: an int or one count per axis.

    Returns:
        The tiled tensor.

    >>> import minikeras as keras
    >>> keras.ops.tile([1, 2], 2).numpy().tolist()
    [1, 2, 1, 2]
    """
    a, ta = unwrap(x, "tile", weak=False)
    a = np.asarray(a)
    reps = (repeats,) if np.ndim(repeats) == 0 else tuple(repeats)
    out = np.tile(a, reps)
    nd = out.ndim
    a_shape = (1,) * (nd - a.ndim) + a.shape
    reps = (1,) * (nd - len(reps)) + reps

    def backward(d):
        inter = []
        for r, n in zip(reps, a_shape):
            inter += [r, n]
        g = d.reshape(inter).sum(axis=tuple(range(0, 2 * nd, 2)))
        return (g.reshape(a.shape),)

    return Tensor.from_op(out, (ta,), backward, "tile")


def flip(x, axis=None):
    """Reverses the order of elements along an axis.

    Args:
        x: input tensor.
        axis: an axis or tuple of axes; `None` flips all axes.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.flip([1, 2, 3]).numpy().tolist()
    [3, 2, 1]
    """
    a, ta = unwrap(x, "flip", weak=False)
    a = np.asarray(a)
    return Tensor.from_op(
        np.flip(a, axis),
        (ta,),
        lambda d: (np.flip(d, axis),),
        "flip",
        lambda d, out: (flip(d, axis),),
    )


def broadcast_to(x, shape):
    """Broadcasts a tensor to a shape, as `numpy.broadcast_to`.

    Args:
        x: input tensor.
        shape: the target shape; `x`'s shape must broadcast to it.

    Returns:
        A tensor of shape `shape`.

    >>> import minikeras as keras
    >>> keras.ops.broadcast_to([1, 2], (2, 2)).numpy().tolist()
    [[1, 2], [1, 2]]
    """
    a, ta = unwrap(x, "broadcast_to", weak=False)
    try:
        out = np.broadcast_to(a, shape)
    except ValueError:
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {np.shape(a)} to {shape}."
        ) from None
    return Tensor.from_op(out, (ta,), lambda d: (d,), "broadcast_to", _pass_ops)


def roll(x, shift, axis=None):
    """Shifts entries along an axis, wrapping around at the end.

    Args:
        x: input tensor.
        shift: the number of places (negative shifts left); an int or one per axis.
        axis: an axis or tuple of axes; `None` rolls the flattened tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.roll([1, 2, 3, 4], 1).numpy().tolist()
    [4, 1, 2, 3]
    """
    a, ta = unwrap(x, "roll", weak=False)
    neg = -np.asarray(shift)
    return Tensor.from_op(
        np.roll(a, shift, axis), (ta,), lambda d: (np.roll(d, neg, axis),), "roll"
    )
