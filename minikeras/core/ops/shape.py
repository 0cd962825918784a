"""Shape and indexing ops, creation ops and conversions."""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import to_tensor, unwrap

__all__ = [
    "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack", "split", "take",
    "take_along_axis", "gather", "getitem", "slice", "pad", "repeat", "tile", "flip", "cast",
    "broadcast_to", "swapaxes", "moveaxis", "stop_gradient", "convert_to_tensor",
    "convert_to_numpy", "shape", "zeros", "ones", "zeros_like", "ones_like", "full", "full_like",
    "arange", "eye", "one_hot", "ravel", "flatten", "tril", "triu", "unstack", "is_tensor",
    "dtype", "size", "ndim", "identity", "copy", "linspace", "meshgrid", "sort", "argsort",
    "top_k", "in_top_k", "unique", "array",
]  # fmt: skip


def convert_to_tensor(x, dtype=None, sparse=None):
    """Any array-like (numpy, Python scalars/lists, Tensor, Variable) as a Tensor."""
    return to_tensor(x, dtype, "convert_to_tensor")


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def convert_to_numpy(x):
    """The value of a Tensor, Variable or array-like as a numpy array."""
    if isinstance(x, Tensor):
        return x.data
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, Tensor)


def shape(x):
    """The shape as a tuple of ints."""
    return tuple(np.shape(unwrap(x, "shape")[0]))


def dtype(x):
    return np.asarray(unwrap(x)[0]).dtype.name


def size(x):
    return int(np.size(unwrap(x)[0]))


def ndim(x):
    return int(np.ndim(unwrap(x)[0]))


def reshape(x, newshape):
    """Reshape; one dimension may be -1 (or None, meaning -1)."""
    a, ta = unwrap(x, "reshape")
    a = np.asarray(a)
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    newshape = tuple(-1 if n is None else int(n) for n in newshape)
    try:
        out = a.reshape(newshape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {a.shape} ({a.size} values) "
            f"into shape {newshape}."
        ) from None
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "reshape")


def ravel(x):
    return reshape(x, (-1,))


flatten = ravel


def transpose(x, axes=None):
    """Permutes axes (reverses them when `axes` is None)."""
    a, ta = unwrap(x, "transpose")
    a = np.asarray(a)
    if axes is None:
        axes = tuple(reversed(range(a.ndim)))
    axes = tuple(int(i) % max(a.ndim, 1) for i in axes)
    if sorted(axes) != list(range(a.ndim)):
        raise ValueError(f"transpose: axes {axes} are not a permutation for shape {a.shape}.")
    inverse = tuple(np.argsort(axes))
    return Tensor.from_op(a.transpose(axes), (ta,), lambda d: (d.transpose(inverse),), "transpose")


def swapaxes(x, axis1, axis2):
    n = ndim(x)
    perm = list(range(n))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(x, perm)


def moveaxis(x, source, destination):
    n = ndim(x)
    perm = list(np.moveaxis(np.arange(n), source, destination))
    return transpose(x, perm)


def expand_dims(x, axis):
    """Inserts a size-1 axis at `axis`."""
    a, ta = unwrap(x, "expand_dims")
    a = np.asarray(a)
    out = np.expand_dims(a, axis)
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "expand_dims")


def squeeze(x, axis=None):
    """Removes size-1 axes (all of them, or those in `axis`)."""
    a, ta = unwrap(x, "squeeze")
    a = np.asarray(a)
    try:
        out = np.squeeze(a, axis=axis)
    except ValueError:
        raise ValueError(f"squeeze: axis {axis} of shape {a.shape} is not of size 1.") from None
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "squeeze")


def concatenate(xs, axis=0):
    """Joins tensors along an existing axis."""
    pairs = [unwrap(x, "concatenate") for x in xs]
    arrays = [np.asarray(p[0]) for p in pairs]
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError:
        shapes = [a.shape for a in arrays]
        raise ValueError(
            f"concatenate: shapes {shapes} must match on every axis except axis={axis}."
        ) from None
    bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]
    return Tensor.from_op(
        out, tuple(p[1] for p in pairs), lambda d: tuple(np.split(d, bounds, axis=axis)), "concat"
    )


def stack(xs, axis=0):
    """Joins tensors along a new axis."""
    pairs = [unwrap(x, "stack") for x in xs]
    arrays = [np.asarray(p[0]) for p in pairs]
    try:
        out = np.stack(arrays, axis=axis)
    except ValueError:
        raise ValueError(f"stack: all shapes must be equal. Received {[a.shape for a in arrays]}.")
    n = len(arrays)
    return Tensor.from_op(
        out,
        tuple(p[1] for p in pairs),
        lambda d: tuple(np.take(d, i, axis=axis) for i in range(n)),
        "stack",
    )


def unstack(x, num=None, axis=0):
    n = shape(x)[axis]
    return [take(x, i, axis=axis) for i in range(n)]


def split(x, indices_or_sections, axis=0):
    """Splits into equal sections (an int) or at the given indices; returns a list."""
    a = np.asarray(unwrap(x, "split")[0])
    length = a.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if length % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of shape {a.shape} does not divide into "
                f"{indices_or_sections} equal sections."
            )
        step = length // indices_or_sections
        bounds = list(range(step, length, step))
    else:
        bounds = list(indices_or_sections)
    edges = [0] + bounds + [length]
    index = [builtin_slice(None)] * a.ndim
    parts = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        index[axis] = builtin_slice(lo, hi)
        parts.append(getitem(x, tuple(index)))
    return parts


builtin_slice = slice


def _check_indices(op, idx, length, axis):
    idx = np.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers. Received dtype {idx.dtype}.")
    if idx.size and (idx.max() >= length or idx.min() < -length):
        bad = idx.max() if idx.max() >= length else idx.min()
        raise IndexError(
            f"{op}: index {int(bad)} is out of range for axis {axis} of size {length}."
        )
    return idx


def take(x, indices, axis=None):
    """Picks entries by integer index along `axis` (flattened when None)."""
    a, ta = unwrap(x, "take")
    a = np.asarray(a)
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if axis is None:
        flat_shape = a.shape
        _check_indices("take", idx, a.size, None)
        out = a.reshape(-1)[idx]

        def backward(d):
            g = np.zeros(a.size, dtype=d.dtype)
            np.add.at(g, idx.reshape(-1), d.reshape(-1))
            return (g.reshape(flat_shape),)

        return Tensor.from_op(out, (ta,), backward, "take")
    axis = axis % a.ndim
    idx = _check_indices("take", idx, a.shape[axis], axis)
    out = np.take(a, idx, axis=axis)

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        if axis == 0:
            np.add.at(g, idx, d)  # an embedding lookup's gradient
        else:
            moved = np.moveaxis(g, axis, 0)
            dm = np.moveaxis(d, tuple(range(axis, axis + idx.ndim)), tuple(range(idx.ndim)))
            np.add.at(moved, idx, dm)
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "take")


gather = take


def take_along_axis(x, indices, axis=None):
    a, ta = unwrap(x, "take_along_axis")
    a = np.asarray(a)
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    _check_indices("take_along_axis", idx, a.shape[axis], axis)
    out = np.take_along_axis(a, idx, axis=axis)

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        full_idx = list(np.indices(idx.shape, sparse=True))
        full_idx[axis] = idx
        np.add.at(g, tuple(full_idx), d)
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "take_along_axis")


def getitem(x, key):
    """`x[key]` with numpy indexing (basic and advanced), differentiable."""
    a, ta = unwrap(x, "getitem")
    a = np.asarray(a)
    if isinstance(key, Tensor):
        key = key.data
    elif isinstance(key, tuple):
        key = tuple(k.data if isinstance(k, Tensor) else k for k in key)
    try:
        out = a[key]
    except IndexError as e:
        raise IndexError(f"Index {key!r} is invalid for a tensor of shape {a.shape}: {e}") from None

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        np.add.at(g, key, d)
        return (g,)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "getitem")


def slice(x, start_indices, shape):
    """The block of `shape` starting at `start_indices` (Keras's `ops.slice`)."""
    key = tuple(builtin_slice(s, s + n) for s, n in zip(start_indices, shape))
    return getitem(x, key)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads with `pad_width` = [(before, after), ...] per axis."""
    a, ta = unwrap(x, "pad")
    a = np.asarray(a)
    pw = np.broadcast_to(np.asarray(pad_width, dtype=int), (a.ndim, 2))
    kw = {"constant_values": constant_values or 0} if mode == "constant" else {}
    out = np.pad(a, pw, mode=mode, **kw)
    if mode != "constant":
        return Tensor(out)
    key = tuple(builtin_slice(lo, lo + n) for (lo, _), n in zip(pw, a.shape))
    return Tensor.from_op(out, (ta,), lambda d: (d[key],), "pad")


def repeat(x, repeats, axis=None):
    """Repeats each element `repeats` times along `axis`."""
    a, ta = unwrap(x, "repeat")
    a = np.asarray(a)
    out = np.repeat(a, repeats, axis=axis)

    def backward(d):
        if axis is None:
            flat = d.reshape(a.size, -1) if np.ndim(repeats) == 0 else None
            if flat is not None:
                return (flat.sum(1).reshape(a.shape),)
            return (np.add.reduceat(d, np.r_[0, np.cumsum(repeats)[:-1]]).reshape(a.shape),)
        if np.ndim(repeats) == 0:
            ax = axis % a.ndim
            shp = a.shape[:ax] + (a.shape[ax], repeats) + a.shape[ax + 1 :]
            return (d.reshape(shp).sum(ax + 1),)
        starts = np.r_[0, np.cumsum(repeats)[:-1]]
        return (np.add.reduceat(d, starts, axis=axis),)

    return Tensor.from_op(out, (ta,), backward, "repeat")


def tile(x, repeats):
    """Tiles the tensor `repeats` times per axis."""
    a, ta = unwrap(x, "tile")
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
    """Reverses the order of elements along `axis`."""
    a, ta = unwrap(x, "flip")
    a = np.asarray(a)
    return Tensor.from_op(np.flip(a, axis), (ta,), lambda d: (np.flip(d, axis),), "flip")


def cast(x, dtype):
    """Converts to `dtype`; gradients flow between float dtypes only."""
    a, ta = unwrap(x, "cast")
    a = np.asarray(a)
    dt = np.dtype(dtypes.standardize_dtype(dtype))
    if a.dtype == dt and isinstance(x, Tensor):
        return x
    out = a.astype(dt)
    if dt.kind != "f" or a.dtype.kind != "f":
        return Tensor(out)
    return Tensor.from_op(out, (ta,), lambda d: (d.astype(a.dtype),), "cast")


def broadcast_to(x, shape):
    a, ta = unwrap(x, "broadcast_to")
    try:
        out = np.broadcast_to(a, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {np.shape(a)} to {shape}.") from None
    return Tensor.from_op(out, (ta,), lambda d: (d,), "broadcast_to")


def stop_gradient(x):
    """The same value with no gradient flowing back."""
    return Tensor(unwrap(x, "stop_gradient")[0])


def identity(x):
    return to_tensor(x)


def copy(x):
    return Tensor(np.array(unwrap(x)[0]))


def _fdt(dtype):
    return dtypes.standardize_dtype(dtype)


def zeros(shape, dtype=None):
    return Tensor(np.zeros(shape, _fdt(dtype)))


def ones(shape, dtype=None):
    return Tensor(np.ones(shape, _fdt(dtype)))


def full(shape, fill_value, dtype=None):
    return Tensor(np.full(shape, fill_value, _fdt(dtype)))


def zeros_like(x, dtype=None):
    a = np.asarray(unwrap(x)[0])
    return Tensor(np.zeros_like(a, dtype=dtype and _fdt(dtype)))


def ones_like(x, dtype=None):
    a = np.asarray(unwrap(x)[0])
    return Tensor(np.ones_like(a, dtype=dtype and _fdt(dtype)))


def full_like(x, fill_value, dtype=None):
    a = np.asarray(unwrap(x)[0])
    return Tensor(np.full_like(a, fill_value, dtype=dtype and _fdt(dtype)))


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, stop or 0, step))
        dtype = "int32" if ints else None
    return Tensor(np.arange(start, stop, step, dtype=_fdt(dtype)))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    return Tensor(np.linspace(start, stop, num, endpoint=endpoint).astype(_fdt(dtype)))


def meshgrid(*xs, indexing="xy"):
    return [Tensor(g) for g in np.meshgrid(*[unwrap(x)[0] for x in xs], indexing=indexing)]


def eye(N, M=None, k=0, dtype=None):
    return Tensor(np.eye(N, M, k, dtype=_fdt(dtype)))


def tril(x, k=0):
    a, ta = unwrap(x, "tril")
    return Tensor.from_op(np.tril(a, k), (ta,), lambda d: (np.tril(d, k),), "tril")


def triu(x, k=0):
    a, ta = unwrap(x, "triu")
    return Tensor.from_op(np.triu(a, k), (ta,), lambda d: (np.triu(d, k),), "triu")


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encoding of integer ids; ids outside [0, num_classes) give all-zero rows."""
    idx = np.asarray(unwrap(x, "one_hot")[0]).astype(np.int64)
    out = (idx[..., None] == np.arange(num_classes)).astype(_fdt(dtype))
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor(out)


def sort(x, axis=-1):
    return Tensor(np.sort(unwrap(x)[0], axis=axis))


def argsort(x, axis=-1):
    return Tensor(np.argsort(unwrap(x)[0], axis=axis).astype("int32"))


def top_k(x, k, sorted=True):
    """The `k` largest values on the last axis and their indices."""
    a = np.asarray(unwrap(x)[0])
    idx = np.argsort(-a, axis=-1, kind="stable")[..., :k]
    return take_along_axis(x, idx, axis=-1), Tensor(idx.astype("int32"))


def in_top_k(targets, predictions, k):
    p = np.asarray(unwrap(predictions)[0])
    t = np.asarray(unwrap(targets)[0]).astype(int)
    true_score = np.take_along_axis(p, t[:, None], axis=-1)
    return Tensor((p > true_score).sum(-1) < k)


def unique(x):
    return Tensor(np.unique(unwrap(x)[0]))
