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
    "top_k", "in_top_k", "unique", "array", "roll", "hstack", "vstack", "append", "nonzero",
    "tri", "empty", "slice_update", "scatter", "scatter_update", "select", "diff",
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
    """Moves axes `source` (int or tuple) to positions `destination`, keeping the others' order."""
    n = ndim(x)
    src = [source] if np.ndim(source) == 0 else list(source)
    dst = [destination] if np.ndim(destination) == 0 else list(destination)
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} differ in length."
        )
    src, dst = [int(i) % n for i in src], [int(i) % n for i in dst]
    perm = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
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
        shapes = [a.shape for a in arrays]
        raise ValueError(f"stack: all shapes must be equal. Received: {shapes}") from None
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
    """Picks along `axis` with `indices` shaped like `x` (other axes broadcast)."""
    a, ta = unwrap(x, "take_along_axis")
    a = np.asarray(a)
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if axis is None:
        return take_along_axis(reshape(x, (-1,)), idx.reshape(-1), axis=0)
    if idx.ndim != a.ndim:
        raise ValueError(
            f"take_along_axis: indices must have the rank of x. Received: shape {idx.shape} "
            f"for x of shape {a.shape}"
        )
    axis = axis % a.ndim
    _check_indices("take_along_axis", idx, a.shape[axis], axis)
    out = np.take_along_axis(a, idx, axis=axis)

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        grid = np.indices(out.shape, sparse=True)
        # axes where x has size 1 but the output is wider were broadcast: they map to index 0
        where = [idx if k == axis else (i if a.shape[k] == out.shape[k] else 0 * i)
                 for k, i in enumerate(grid)]  # fmt: skip
        np.add.at(g, tuple(where), d)
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
    basic = all(
        k is None
        or k is Ellipsis
        or isinstance(k, builtin_slice)
        or (isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)))
        for k in (key if isinstance(key, tuple) else (key,))
    )

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        if basic:  # a view: every entry is picked at most once
            g[key] = d
        else:  # integer arrays may pick an entry several times: accumulate
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
    if (pw < 0).any():
        raise ValueError(f"pad: pad_width must be >= 0. Received: pad_width={pad_width}")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"pad: constant_values needs mode='constant'. Received: mode={mode!r}")
    kw = {"constant_values": constant_values or 0} if mode == "constant" else {}
    out = np.pad(a, pw, mode=mode, **kw)
    if mode == "constant":
        key = tuple(builtin_slice(lo, lo + n) for (lo, _), n in zip(pw, a.shape))
        return Tensor.from_op(out, (ta,), lambda d: (d[key],), "pad")
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        return stop_gradient(out)  # statistic modes (mean, maximum, ...): no gradient
    # copying modes: pad an array of source positions the same way, then sum back through it
    source = np.pad(np.arange(a.size).reshape(a.shape), pw, mode=mode).reshape(-1)

    def backward(d):
        g = np.bincount(source, weights=d.reshape(-1), minlength=a.size)
        return (g.reshape(a.shape).astype(d.dtype, copy=False),)

    return Tensor.from_op(out, (ta,), backward, "pad")


def repeat(x, repeats, axis=None):
    """Repeats each element `repeats` times along `axis`."""
    a, ta = unwrap(x, "repeat")
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
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {np.shape(a)} to {shape}."
        ) from None
    return Tensor.from_op(out, (ta,), lambda d: (d,), "broadcast_to")


def stop_gradient(x):
    """The same value with no gradient flowing back."""
    return Tensor(unwrap(x, "stop_gradient")[0])


def identity(n, dtype=None):
    """The `n x n` identity matrix (Keras's `ops.identity`)."""
    return eye(n, dtype=dtype)


def copy(x):
    """A new tensor with the same values (gradients pass through)."""
    a, ta = unwrap(x, "copy")
    return Tensor.from_op(np.array(a), (ta,), lambda d: (d,), "copy")


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
    """Sorted along `axis`; the gradient follows each value back to its place."""
    a = np.asarray(unwrap(x, "sort")[0])
    return take_along_axis(x, np.argsort(a, axis=axis, kind="stable"), axis=axis)


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


def empty(shape, dtype=None):
    return zeros(shape, dtype)


def tri(N, M=None, k=0, dtype=None):
    return Tensor(np.tri(N, M, k, dtype=_fdt(dtype)))


def nonzero(x):
    """Indices of the non-zero entries, one int32 tensor per axis."""
    return tuple(Tensor(i.astype("int32")) for i in np.nonzero(unwrap(x, "nonzero")[0]))


def roll(x, shift, axis=None):
    """Shifts entries along `axis` (the flattened tensor when None), wrapping around."""
    a, ta = unwrap(x, "roll")
    neg = -np.asarray(shift)
    return Tensor.from_op(
        np.roll(a, shift, axis), (ta,), lambda d: (np.roll(d, neg, axis),), "roll"
    )


def hstack(xs):
    """Joins along the second axis (the first for 1-D tensors)."""
    return concatenate(xs, axis=1 if ndim(xs[0]) > 1 else 0)


def vstack(xs):
    """Joins along the first axis; 1-D tensors become rows."""
    return concatenate([reshape(x, (1, -1)) if ndim(x) == 1 else x for x in xs], axis=0)


def append(x1, x2, axis=None):
    """`x2` joined after `x1` along `axis` (both flattened when None)."""
    if axis is None:
        return concatenate([reshape(x1, (-1,)), reshape(x2, (-1,))], axis=0)
    return concatenate([x1, x2], axis=axis)


def diff(a, n=1, axis=-1):
    """`n`-th discrete difference along `axis`."""
    from .elementwise import subtract

    for _ in range(n):
        k = ndim(a)
        head = [builtin_slice(None)] * k
        tail = [builtin_slice(None)] * k
        head[axis], tail[axis] = builtin_slice(1, None), builtin_slice(None, -1)
        a = subtract(getitem(a, tuple(head)), getitem(a, tuple(tail)))
    return a


def select(condlist, choicelist, default=0):
    """Per entry, the choice of the first true condition, else `default`."""
    from .elementwise import where

    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select: {len(condlist)} conditions but {len(choicelist)} choices."
        )
    out = default
    for c, v in zip(reversed(condlist), reversed(choicelist)):
        out = where(c, v, out)
    return to_tensor(out)


def slice_update(inputs, start_indices, updates):
    """`inputs` with the block at `start_indices` replaced by `updates`."""
    a, ta = unwrap(inputs, "slice_update")
    u, tu = unwrap(updates, "slice_update")
    a, u = np.asarray(a), np.asarray(u)
    if u.ndim != a.ndim or len(start_indices) != a.ndim:
        raise ValueError(
            f"slice_update: inputs {a.shape}, updates {u.shape} and start_indices "
            f"{tuple(start_indices)} must have the same rank."
        )
    key = tuple(builtin_slice(int(s), int(s) + n) for s, n in zip(start_indices, u.shape))
    if any(int(s) < 0 or int(s) + n > m for s, n, m in zip(start_indices, u.shape, a.shape)):
        raise IndexError(
            f"slice_update: a block of shape {u.shape} at {tuple(start_indices)} does not fit in "
            f"inputs of shape {a.shape}."
        )
    out = a.copy()
    out[key] = u

    def backward(d):
        da = d.copy()
        da[key] = 0
        return da, d[key]

    return Tensor.from_op(out, (ta, tu), backward, "slice_update")


def _nd_index(op, indices, shape):
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if idx.ndim < 1 or idx.shape[-1] > len(shape):
        raise ValueError(
            f"{op}: indices must be (..., k) with k <= rank {len(shape)}. Received: {idx.shape}"
        )
    for k in range(idx.shape[-1]):
        _check_indices(op, idx[..., k], shape[k], k)
    return tuple(np.moveaxis(idx, -1, 0))


def scatter(indices, values, shape):
    """A zero tensor of `shape` with `values` added at `indices` (N, k); duplicates sum."""
    v, tv = unwrap(values, "scatter")
    v = np.asarray(v)
    key = _nd_index("scatter", indices, tuple(shape))
    out = np.zeros(tuple(shape), v.dtype)
    np.add.at(out, key, v)
    return Tensor.from_op(out, (tv,), lambda d: (d[key],), "scatter")


def scatter_update(inputs, indices, updates):
    """`inputs` with the entries (or slices) at `indices` (N, k) replaced by `updates`."""
    a, ta = unwrap(inputs, "scatter_update")
    u, tu = unwrap(updates, "scatter_update")
    a = np.asarray(a)
    key = _nd_index("scatter_update", indices, a.shape)
    out = a.copy()
    out[key] = u

    def backward(d):
        da = d.copy()
        da[key] = 0
        return da, d[key]

    return Tensor.from_op(out, (ta, tu), backward, "scatter_update")
