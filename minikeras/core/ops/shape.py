"""Shape and indexing ops, creation ops and conversions."""

import numpy as np

from ...kernels import load as load_kernels
from .. import dtypes
from ..tensor import Tensor
from ._base import to_tensor, unwrap

__all__ = [
    "reshape",
    "transpose",
    "expand_dims",
    "squeeze",
    "concatenate",
    "stack",
    "split",
    "take",
    "take_along_axis",
    "gather",
    "getitem",
    "get_item",
    "slice",
    "pad",
    "repeat",
    "tile",
    "flip",
    "cast",
    "broadcast_to",
    "swapaxes",
    "moveaxis",
    "stop_gradient",
    "convert_to_tensor",
    "convert_to_numpy",
    "shape",
    "zeros",
    "ones",
    "zeros_like",
    "ones_like",
    "full",
    "full_like",
    "arange",
    "eye",
    "one_hot",
    "ravel",
    "flatten",
    "tril",
    "triu",
    "unstack",
    "is_tensor",
    "dtype",
    "size",
    "ndim",
    "identity",
    "copy",
    "linspace",
    "meshgrid",
    "sort",
    "argsort",
    "top_k",
    "in_top_k",
    "unique",
    "array",
    "roll",
    "hstack",
    "vstack",
    "append",
    "nonzero",
    "tri",
    "empty",
    "slice_update",
    "scatter",
    "scatter_update",
    "select",
    "diff",
]


def convert_to_tensor(x, dtype=None, sparse=None):
    """Converts any array-like (numpy array, Python scalar or list, Tensor, Variable) to a Tensor.

    Args:
        x: the value to convert.
        dtype: optional target dtype; `None` keeps the value's dtype (Python floats give `floatx`).
        sparse: accepted for Keras compatibility; tensors are always dense.

    Returns:
        A `Tensor`.

    >>> import minikeras as keras
    >>> keras.ops.convert_to_tensor([1.0, 2.0]).dtype
    dtype('float32')
    """
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
    return np.asarray(unwrap(x)[0]).dtype.name


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
    return int(np.size(unwrap(x)[0]))


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
    return int(np.ndim(unwrap(x)[0]))


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
    a, ta = unwrap(x, "transpose")
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
    src, dst = [int(i) % n for i in src], [int(i) % n for i in dst]
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
    a, ta = unwrap(x, "expand_dims")
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
    a, ta = unwrap(x, "squeeze")
    a = np.asarray(a)
    try:
        out = np.squeeze(a, axis=axis)
    except ValueError:
        raise ValueError(f"squeeze: axis {axis} of shape {a.shape} is not of size 1.") from None
    return Tensor.from_op(out, (ta,), lambda d: (d.reshape(a.shape),), "squeeze", _reshape_back)


def _keras_common_dtype(arrays):
    """Int or bool arrays joined with float ones take the floats' dtype, as Keras 3's result_type
    (numpy would give float64 for int32 with float32)."""
    floats = [a.dtype for a in arrays if a.dtype.kind == "f"]
    if floats and any(a.dtype.kind in "biu" for a in arrays):
        target = np.result_type(*floats)
        return [a.astype(target) if a.dtype.kind in "biu" else a for a in arrays]
    return arrays


def concatenate(xs, axis=0):
    """Joins tensors along an existing axis.

    Args:
        xs: list of tensors with equal shapes except along `axis`.
        axis: the axis to join along.

    Returns:
        A tensor whose `axis` is the sum of the inputs' sizes.

    >>> import minikeras as keras
    >>> keras.ops.concatenate([[1, 2], [3]], axis=0).numpy().tolist()
    [1, 2, 3]
    """
    pairs = [unwrap(x, "concatenate") for x in xs]
    arrays = _keras_common_dtype([np.asarray(p[0]) for p in pairs])
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError:
        shapes = [a.shape for a in arrays]
        raise ValueError(
            f"concatenate: shapes {shapes} must match on every axis except axis={axis}."
        ) from None
    bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]

    def backward_ops(d, out):  # each input's block of `d` along the axis
        index = [builtin_slice(None)] * out.ndim
        parts = []
        for lo, hi in zip([0, *bounds], [*bounds, out.shape[axis]]):
            index[axis] = builtin_slice(int(lo), int(hi))
            parts.append(getitem(d, tuple(index)))
        return parts

    return Tensor.from_op(
        out,
        tuple(p[1] for p in pairs),
        lambda d: tuple(np.split(d, bounds, axis=axis)),
        "concat",
        backward_ops,
    )


def stack(xs, axis=0):
    """Joins tensors of equal shape along a new axis.

    Args:
        xs: list of tensors with the same shape.
        axis: position of the new axis in the output.

    Returns:
        A tensor with one more axis, of size `len(xs)`.

    >>> import minikeras as keras
    >>> keras.ops.stack([[1, 2], [3, 4]], axis=1).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    pairs = [unwrap(x, "stack") for x in xs]
    arrays = _keras_common_dtype([np.asarray(p[0]) for p in pairs])
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
        lambda d, out: tuple(
            getitem(d, (builtin_slice(None),) * (axis % out.ndim) + (i,)) for i in range(n)
        ),
    )


def unstack(x, num=None, axis=0):
    """Splits a tensor along `axis` into a list of its slices (the inverse of `stack`).

    Args:
        x: input tensor.
        num: accepted for Keras compatibility; the count is always `shape(x)[axis]`.
        axis: the axis to split along (removed from each slice).

    Returns:
        A list of `shape(x)[axis]` tensors.

    >>> import minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.unstack([[1, 2], [3, 4]], axis=1)]
    [[1, 3], [2, 4]]
    """
    n = shape(x)[axis]
    return [take(x, i, axis=axis) for i in range(n)]


def split(x, indices_or_sections, axis=0):
    """Splits a tensor along `axis` into equal sections or at given indices.

    Args:
        x: input tensor.
        indices_or_sections: an int `n` (the axis must divide into `n` equal parts) or a list of
            split points.
        axis: the axis to split along.

    Returns:
        A list of tensors.

    >>> import numpy as np, minikeras as keras
    >>> [t.numpy().tolist() for t in keras.ops.split(np.arange(5), [2])]
    [[0, 1], [2, 3, 4]]
    """
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
    """Picks entries by integer index along an axis (also `ops.gather`).

    Args:
        x: input tensor.
        indices: int tensor of indices; negative indices count from the end.
        axis: the axis to index; `None` indexes the flattened tensor.

    Returns:
        A tensor where `axis` is replaced by the shape of `indices`.

    >>> import minikeras as keras
    >>> keras.ops.take([[1, 2], [3, 4]], [1, 0], axis=1).numpy().tolist()
    [[2, 1], [4, 3]]
    """
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

        def backward_ops(d, out):
            return (reshape(_getitem_grad(d, idx, False, (a.size,)), flat_shape),)

        return Tensor.from_op(out, (ta,), backward, "take", backward_ops)
    axis = axis % a.ndim
    idx = _check_indices("take", idx, a.shape[axis], axis)
    out = np.take(a, idx, axis=axis)

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        if axis == 0 and a.ndim >= 2 and d.size:
            # an embedding lookup's gradient: a row scatter-add kernel (np.add.at is ~10x slower)
            scatter = load_kernels("scatter")
            flat_ids = np.ascontiguousarray((idx % a.shape[0]).reshape(-1), dtype=np.int64)
            width = int(np.prod(a.shape[1:]))
            rows = np.ascontiguousarray(d.reshape(flat_ids.size, width))
            scatter.scatter_add_rows(g.reshape(a.shape[0], width), flat_ids, rows)
        elif axis == 0:
            np.add.at(g, idx, d)
        else:
            moved = np.moveaxis(g, axis, 0)
            dm = np.moveaxis(d, tuple(range(axis, axis + idx.ndim)), tuple(range(idx.ndim)))
            np.add.at(moved, idx, dm)
        return (g,)

    def backward_ops(d, out):  # take along an axis is indexing with (:, ..., idx)
        key = (builtin_slice(None),) * axis + (idx,)
        return (_getitem_grad(d, key, False, a.shape),)

    return Tensor.from_op(out, (ta,), backward, "take", backward_ops)


gather = take


def take_along_axis(x, indices, axis=None):
    """Picks entries along `axis` using indices shaped like `x` (as `numpy.take_along_axis`).

    Args:
        x: input tensor.
        indices: int tensor with the rank of `x`; other axes broadcast against `x`.
        axis: the axis to index; `None` works on the flattened tensor.

    Returns:
        A tensor of the broadcast shape of `indices`.

    >>> import minikeras as keras
    >>> keras.ops.take_along_axis([[10, 20], [30, 40]], [[1], [0]], axis=1).numpy().tolist()
    [[20], [30]]
    """
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
        where = [
            idx if k == axis else (i if a.shape[k] == out.shape[k] else 0 * i)
            for k, i in enumerate(grid)
        ]
        np.add.at(g, tuple(where), d)
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "take_along_axis")


def getitem(x, key):
    """Indexes a tensor as `x[key]` with numpy rules (basic and advanced); differentiable.

    Args:
        x: input tensor.
        key: an int, slice, `None`, `Ellipsis`, int/bool array, or a tuple of these.

    Returns:
        The indexed tensor (`tensor[key]` calls this).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.getitem(np.arange(6).reshape(2, 3), np.s_[1, 1:]).numpy().tolist()
    [4, 5]
    """
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
        return (_scatter_add(d, key, basic, a.shape),)

    def backward_ops(d, out):
        return (_getitem_grad(d, key, basic, a.shape),)

    return Tensor.from_op(np.asarray(out), (ta,), backward, "getitem", backward_ops)


def _scatter_add(d, key, basic, shape):
    """Zeros of `shape` with `d` added at `key`: the adjoint of `x[key]`."""
    g = np.zeros(shape, dtype=d.dtype)
    if basic:  # a view: every entry is picked at most once
        g[key] = d
    else:  # integer arrays may pick an entry several times: accumulate
        np.add.at(g, key, d)
    return g


def _getitem_grad(d, key, basic, shape):
    """`_scatter_add` as an op (getitem's differentiable backward); its own gradient is
    `getitem` again."""
    d = to_tensor(d)
    return Tensor.from_op(
        _scatter_add(d.data, key, basic, shape),
        (d,),
        lambda g: (g[key],),
        "getitem_grad",
        lambda g, out: (getitem(g, key),),
    )


get_item = getitem  # the Keras 3 name


def slice(x, start_indices, shape):
    """Extracts the block of `shape` that starts at `start_indices` (Keras's `ops.slice`).

    Args:
        x: input tensor.
        start_indices: one start index per axis.
        shape: the size of the block along each axis.

    Returns:
        A tensor of shape `shape`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.slice(np.arange(12).reshape(3, 4), (1, 1), (2, 2)).numpy().tolist()
    [[5, 6], [9, 10]]
    """
    key = tuple(builtin_slice(s, s + n) for s, n in zip(start_indices, shape))
    return getitem(x, key)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads a tensor, as `numpy.pad`.

    Args:
        x: input tensor.
        pad_width: `[(before, after), ...]` per axis, or one pair (or int) for all axes.
        mode: `"constant"`, `"edge"`, `"reflect"`, `"symmetric"`, `"wrap"` or another
            `numpy.pad` mode (the statistic modes pass no gradient).
        constant_values: the fill value for `mode="constant"` (default 0).

    Returns:
        The padded tensor.

    >>> import minikeras as keras
    >>> keras.ops.pad([1, 2], [(1, 2)], constant_values=9).numpy().tolist()
    [9, 1, 2, 9, 9]
    """
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
        return Tensor.from_op(
            out, (ta,), lambda d: (d[key],), "pad", lambda d, out: (getitem(d, key),)
        )
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        return stop_gradient(out)  # statistic modes (mean, maximum, ...): no gradient
    # copying modes: pad an array of source positions the same way, then sum back through it
    source = np.pad(np.arange(a.size).reshape(a.shape), pw, mode=mode).reshape(-1)

    def backward(d):
        g = np.bincount(source, weights=d.reshape(-1), minlength=a.size)
        return (g.reshape(a.shape).astype(d.dtype, copy=False),)

    return Tensor.from_op(out, (ta,), backward, "pad")


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
    a, ta = unwrap(x, "flip")
    a = np.asarray(a)
    return Tensor.from_op(
        np.flip(a, axis),
        (ta,),
        lambda d: (np.flip(d, axis),),
        "flip",
        lambda d, out: (flip(d, axis),),
    )


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
    out = a.astype(dt)
    if dt.kind != "f" or a.dtype.kind != "f":
        return Tensor(out)
    return Tensor.from_op(
        out, (ta,), lambda d: (d.astype(a.dtype),), "cast", lambda d, out: (cast(d, a.dtype),)
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
    a, ta = unwrap(x, "broadcast_to")
    try:
        out = np.broadcast_to(a, shape)
    except ValueError:
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {np.shape(a)} to {shape}."
        ) from None
    return Tensor.from_op(out, (ta,), lambda d: (d,), "broadcast_to", _pass_ops)


def _pass_ops(d, out):
    """The differentiable backward of an identity (the engine sums broadcast axes)."""
    return (d,)


def stop_gradient(x):
    """Returns the same value with no gradient flowing back to `x`.

    Args:
        x: input tensor.

    Returns:
        A tensor that is a constant for autodiff.

    >>> import minikeras as keras
    >>> v = keras.Variable([1.0, 2.0])
    >>> with keras.GradientTape() as tape:
    ...     y = keras.ops.sum(keras.ops.stop_gradient(v) * v)
    >>> tape.gradient(y, v).numpy().tolist()
    [1.0, 2.0]
    """
    return Tensor(unwrap(x, "stop_gradient")[0])


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
    a, ta = unwrap(x, "copy")
    return Tensor.from_op(np.array(a), (ta,), lambda d: (d,), "copy", _pass_ops)


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
    return Tensor(np.full(shape, fill_value, _fdt(dtype)))


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
    a = np.asarray(unwrap(x)[0])
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
    a = np.asarray(unwrap(x)[0])
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
    a = np.asarray(unwrap(x)[0])
    return Tensor(np.full_like(a, fill_value, dtype=dtype and _fdt(dtype)))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in `[start, stop)`, as `numpy.arange`.

    Args:
        start: the first value (or the stop value when `stop` is None).
        stop: the end, excluded.
        step: the spacing.
        dtype: the dtype; `None` gives int32 for integer arguments and `floatx` otherwise.

    Returns:
        A 1-D tensor.

    >>> import minikeras as keras
    >>> keras.ops.arange(1, 7, 2).numpy().tolist()
    [1, 3, 5]
    """
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, stop or 0, step))
        dtype = "int32" if ints else None
    return Tensor(np.arange(start, stop, step, dtype=_fdt(dtype)))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    """`num` evenly spaced values from `start` to `stop`, as `numpy.linspace`.

    Args:
        start: the first value.
        stop: the last value (included when `endpoint` is True).
        num: the number of values.
        endpoint: whether `stop` is included.
        dtype: the dtype; `None` means `floatx`.

    Returns:
        A 1-D tensor of `num` values.

    >>> import minikeras as keras
    >>> keras.ops.linspace(0, 1, 5).numpy().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    return Tensor(np.linspace(start, stop, num, endpoint=endpoint).astype(_fdt(dtype)))


def meshgrid(*xs, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors, as `numpy.meshgrid`.

    Args:
        *xs: the 1-D coordinate tensors.
        indexing: `"xy"` (Cartesian: the first two output axes swapped) or `"ij"` (matrix).

    Returns:
        A list of tensors, one per input, each of the grid's shape.

    >>> import minikeras as keras
    >>> gx, gy = keras.ops.meshgrid([1, 2, 3], [4, 5])
    >>> gx.numpy().tolist()
    [[1, 2, 3], [1, 2, 3]]
    """
    return [Tensor(g) for g in np.meshgrid(*[unwrap(x)[0] for x in xs], indexing=indexing)]


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


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encodes integer class ids; ids outside `[0, num_classes)` give all-zero rows.

    Args:
        x: int tensor of class ids.
        num_classes: the number of classes (size of the new axis).
        axis: position of the new axis.
        dtype: the dtype; `None` means `floatx`.

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


def sort(x, axis=-1):
    """Sorts along an axis, in ascending order; the gradient follows each value to its place.

    Args:
        x: input tensor.
        axis: the axis to sort along.

    Returns:
        A sorted tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sort([3, 1, 2]).numpy().tolist()
    [1, 2, 3]
    """
    a = np.asarray(unwrap(x, "sort")[0])
    return take_along_axis(x, np.argsort(a, axis=axis, kind="stable"), axis=axis)


def argsort(x, axis=-1):
    """Indices that sort a tensor along an axis, in ascending order (no gradient).

    Args:
        x: input tensor.
        axis: the axis to sort along.

    Returns:
        An int32 tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.argsort([3, 1, 2]).numpy().tolist()
    [1, 2, 0]
    """
    return Tensor(np.argsort(unwrap(x)[0], axis=axis, kind="stable").astype("int32"))


def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis, and their indices.

    Args:
        x: input tensor.
        k: how many values to keep.
        sorted: accepted for Keras compatibility; the values always come in descending order.

    Returns:
        A tuple `(values, indices)`, both with last axis `k`; indices are int32 and ties keep
        the earlier index first.

    >>> import minikeras as keras
    >>> values, indices = keras.ops.top_k([1.0, 4.0, 3.0], 2)
    >>> values.numpy().tolist(), indices.numpy().tolist()
    ([4.0, 3.0], [1, 2])
    """
    a = np.asarray(unwrap(x)[0])
    idx = np.argsort(-a, axis=-1, kind="stable")[..., :k]
    return take_along_axis(x, idx, axis=-1), Tensor(idx.astype("int32"))


def in_top_k(targets, predictions, k):
    """Tells, per row, whether the target class is among the `k` highest predictions.

    Args:
        targets: int tensor of class ids, shape `(batch,)`.
        predictions: scores of shape `(batch, classes)`.
        k: how many top classes count; ties with the k-th score count as in.

    Returns:
        A bool tensor of shape `(batch,)`.

    >>> import minikeras as keras
    >>> keras.ops.in_top_k([1, 0], [[0.1, 0.9, 0.0], [0.2, 0.5, 0.3]], 2).numpy().tolist()
    [True, False]
    """
    p = np.asarray(unwrap(predictions)[0])
    t = np.asarray(unwrap(targets)[0]).astype(int)
    true_score = np.take_along_axis(p, t[:, None], axis=-1)
    return Tensor((p > true_score).sum(-1) < k)


def unique(x):
    """The sorted unique values of a tensor (flattened).

    Args:
        x: input tensor.

    Returns:
        A 1-D tensor.

    >>> import minikeras as keras
    >>> keras.ops.unique([3, 1, 3, 2]).numpy().tolist()
    [1, 2, 3]
    """
    return Tensor(np.unique(unwrap(x)[0]))


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


def nonzero(x):
    """Indices of the non-zero entries, as `numpy.nonzero`.

    Args:
        x: input tensor.

    Returns:
        A tuple with one int32 tensor of indices per axis of `x`.

    >>> import minikeras as keras
    >>> [i.numpy().tolist() for i in keras.ops.nonzero([[0, 1], [2, 0]])]
    [[0, 1], [1, 0]]
    """
    return tuple(Tensor(i.astype("int32")) for i in np.nonzero(unwrap(x, "nonzero")[0]))


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
    a, ta = unwrap(x, "roll")
    neg = -np.asarray(shift)
    return Tensor.from_op(
        np.roll(a, shift, axis), (ta,), lambda d: (np.roll(d, neg, axis),), "roll"
    )


def hstack(xs):
    """Joins tensors along the second axis (the first for 1-D tensors).

    Args:
        xs: list of tensors.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.hstack([[[1], [2]], [[3], [4]]]).numpy().tolist()
    [[1, 3], [2, 4]]
    """
    return concatenate(xs, axis=1 if ndim(xs[0]) > 1 else 0)


def vstack(xs):
    """Joins tensors along the first axis; 1-D tensors become rows.

    Args:
        xs: list of tensors.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.vstack([[1, 2], [3, 4]]).numpy().tolist()
    [[1, 2], [3, 4]]
    """
    return concatenate([reshape(x, (1, -1)) if ndim(x) == 1 else x for x in xs], axis=0)


def append(x1, x2, axis=None):
    """Joins `x2` after `x1` along an axis.

    Args:
        x1, x2: tensors.
        axis: the axis to join along; `None` flattens both first.

    Returns:
        The joined tensor.

    >>> import minikeras as keras
    >>> keras.ops.append([1, 2], [[3], [4]]).numpy().tolist()
    [1, 2, 3, 4]
    """
    if axis is None:
        return concatenate([reshape(x1, (-1,)), reshape(x2, (-1,))], axis=0)
    return concatenate([x1, x2], axis=axis)


def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along an axis: `a[1:] - a[:-1]`, applied `n` times.

    Args:
        a: input tensor.
        n: how many times to take the difference.
        axis: the axis to difference along.

    Returns:
        A tensor whose `axis` is `n` shorter; for bool input, a bool tensor marking where
        neighbours differ (as numpy and Keras 3).

    >>> import minikeras as keras
    >>> keras.ops.diff([1, 4, 9, 16]).numpy().tolist()
    [3, 5, 7]
    """
    from .elementwise import not_equal, subtract

    for _ in range(n):
        k = ndim(a)
        head = [builtin_slice(None)] * k
        tail = [builtin_slice(None)] * k
        head[axis], tail[axis] = builtin_slice(1, None), builtin_slice(None, -1)
        later, earlier = getitem(a, tuple(head)), getitem(a, tuple(tail))
        a = not_equal(later, earlier) if later.dtype == bool else subtract(later, earlier)
    return a


def select(condlist, choicelist, default=0):
    """Per entry, the value from the choice of the first true condition, else `default`.

    Args:
        condlist: list of boolean tensors.
        choicelist: list of tensors, one per condition (all broadcast together).
        default: value where no condition holds.

    Returns:
        A tensor of the broadcast shape.

    >>> import minikeras as keras
    >>> x = keras.ops.array([-2, 0, 3])
    >>> keras.ops.select([x < 0, x > 0], [-1, 1], default=0).numpy().tolist()
    [-1, 0, 1]
    """
    from .elementwise import where

    if len(condlist) != len(choicelist):
        raise ValueError(f"select: {len(condlist)} conditions but {len(choicelist)} choices.")
    out = default
    for c, v in zip(reversed(condlist), reversed(choicelist)):
        out = where(c, v, out)
    return to_tensor(out)


def slice_update(inputs, start_indices, updates):
    """Returns `inputs` with the block that starts at `start_indices` replaced by `updates`.

    Args:
        inputs: input tensor.
        start_indices: one start index per axis.
        updates: the new block; it has the rank of `inputs` and must fit inside it.

    Returns:
        A new tensor of the shape of `inputs`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.slice_update(np.zeros(4, "int32"), (1,), np.array([7, 8])).numpy().tolist()
    [0, 7, 8, 0]
    """
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
    """A zero tensor of `shape` with `values` added at `indices`; duplicate indices sum.

    Args:
        indices: int tensor of shape `(..., k)`, each row indexing the first `k` axes.
        values: the values to add, one entry (or slice) per index row.
        shape: the shape of the result.

    Returns:
        A tensor of shape `shape` with the dtype of `values`.

    >>> import minikeras as keras
    >>> keras.ops.scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (3,)).numpy().tolist()
    [4.0, 0.0, 2.0]
    """
    v, tv = unwrap(values, "scatter")
    v = np.asarray(v)
    key = _nd_index("scatter", indices, tuple(shape))
    out = np.zeros(tuple(shape), v.dtype)
    np.add.at(out, key, v)
    return Tensor.from_op(out, (tv,), lambda d: (d[key],), "scatter")


def scatter_update(inputs, indices, updates):
    """Returns `inputs` with the entries (or slices) at `indices` replaced by `updates`.

    Args:
        inputs: input tensor.
        indices: int tensor of shape `(..., k)`, each row indexing the first `k` axes.
        updates: the new values, one entry (or slice) per index row.

    Returns:
        A new tensor of the shape of `inputs`.

    >>> import minikeras as keras
    >>> keras.ops.scatter_update([[0, 0], [0, 0]], [[1, 0]], [5]).numpy().tolist()
    [[0, 0], [5, 0]]
    """
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
