"""Indexing ops: getitem, take, take_along_axis, slice, scatter, slice_update, select, nonzero."""

import numpy as np

from ...kernels import expect as expect_kernels, load as load_kernels
from ..scopes import in_symbolic_scope
from ..tensor import Tensor
from ._base import to_tensor, unwrap
from .shape import reshape

__all__ = [
    "take",
    "take_along_axis",
    "gather",
    "getitem",
    "get_item",
    "slice",
    "nonzero",
    "slice_update",
    "scatter",
    "scatter_update",
    "select",
]


builtin_slice = slice


def _check_indices(op, idx, length, axis):
    """`idx` as an integer array; IndexError for an index outside `[-length, length)`, except
    in a symbolic build's placeholder run (`in_symbolic_scope`), whose placeholder indices
    (ones) may exceed a placeholder axis of size 1: there they are wrapped into the axis, as
    only the output's shape is wanted (Keras traces without data and raises nothing)."""
    idx = np.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers. Received dtype {idx.dtype}.")
    out_of_range = idx.size and (idx.max() >= length or idx.min() < -length)
    if out_of_range and length > 0 and in_symbolic_scope():
        return idx % length
    if out_of_range:
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
        idx = _check_indices("take", idx, a.size, None)
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
    if axis == 0 and a.ndim >= 2:
        expect_kernels("scatter")  # the backward's kernel, planned by a cold start's warm-up

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        if axis == 0 and a.ndim >= 2 and d.size:
            # an embedding lookup's gradient: a row scatter-add kernel (np.add.at is ~10x slower);
            # float16/bfloat16 rows (mixed precision) accumulate in float32, as numba has no bfloat16
            scatter = load_kernels("scatter")
            flat_ids = np.ascontiguousarray((idx % a.shape[0]).reshape(-1), dtype=np.int64)
            width = int(np.prod(a.shape[1:]))
            native = d.dtype in (np.float32, np.float64)
            acc = g if native else np.zeros(a.shape, np.float32)
            rows = np.ascontiguousarray(d.reshape(flat_ids.size, width), acc.dtype)
            scatter.scatter_add_rows(acc.reshape(a.shape[0], width), flat_ids, rows)
            if not native:
                g = acc.astype(d.dtype)
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
    idx = _check_indices("take_along_axis", idx, a.shape[axis], axis)
    out = np.take_along_axis(a, idx, axis=axis)

    def where():
        grid = np.indices(out.shape, sparse=True)
        # axes where x has size 1 but the output is wider were broadcast: they map to index 0
        return tuple(
            idx if k == axis else (i if a.shape[k] == out.shape[k] else 0 * i)
            for k, i in enumerate(grid)
        )

    def backward(d):
        g = np.zeros(a.shape, dtype=d.dtype)
        np.add.at(g, where(), d)
        return (g,)

    def backward_ops(d, out):  # the same scatter-add as an op, so it differentiates again
        return (_getitem_grad(d, where(), False, a.shape),)

    return Tensor.from_op(out, (ta,), backward, "take_along_axis", backward_ops)


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


def slice(inputs, start_indices, shape):
    """Extracts the block of `shape` that starts at `start_indices` (Keras's `ops.slice`).

    Args:
        inputs: input tensor.
        start_indices: one start index per axis.
        shape: the size of the block along each axis.

    Returns:
        A tensor of shape `shape`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.slice(np.arange(12).reshape(3, 4), (1, 1), (2, 2)).numpy().tolist()
    [[5, 6], [9, 10]]
    """
    starts, sizes = _block_ints(start_indices, "start_indices"), _block_ints(shape, "shape")
    key = tuple(builtin_slice(s, s + n) for s, n in zip(starts, sizes))
    return getitem(inputs, key)


def _block_ints(values, name):
    """`slice`'s start indices or block shape as a list of ints (TypeError naming `name`)."""
    a = np.asarray(values.data if isinstance(values, Tensor) else values)
    if (
        a.ndim != 1
        or a.dtype.kind not in "iuf"
        or (a.dtype.kind == "f" and np.any(a != np.floor(a)))
    ):
        raise TypeError(
            f"slice: `{name}` must be a list of ints, one per axis. Received: {values!r}"
        )
    return [int(v) for v in a]


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
    from .comparison import where

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


_SCATTER_REDUCTIONS = {"add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}


def scatter_update(inputs, indices, updates, reduction=None):
    """Returns `inputs` with the entries (or slices) at `indices` replaced by `updates`.

    Args:
        inputs: input tensor.
        indices: int tensor of shape `(..., k)`, each row indexing the first `k` axes.
        updates: the new values, one entry (or slice) per index row.
        reduction: None (replace; the last of repeated indices wins), or how each update
            combines with the current value: `"add"`, `"max"`, `"min"` or `"mul"` (repeated
            indices all apply), as Keras 3.

    Returns:
        A new tensor of the shape and dtype of `inputs`.

    >>> import minikeras as keras
    >>> keras.ops.scatter_update([[0, 0], [0, 0]], [[1, 0]], [5]).numpy().tolist()
    [[0, 0], [5, 0]]
    >>> keras.ops.scatter_update([1.0, 1.0], [[0], [0]], [2.0, 3.0], reduction="add").numpy().tolist()
    [6.0, 1.0]
    """
    if reduction is not None and reduction not in _SCATTER_REDUCTIONS:
        raise ValueError(
            f"scatter_update: unsupported reduction {reduction!r}; expected None, "
            f"{', '.join(repr(r) for r in _SCATTER_REDUCTIONS)}."
        )
    a, ta = unwrap(inputs, "scatter_update")
    u, tu = unwrap(updates, "scatter_update")
    a = np.asarray(a)
    key = _nd_index("scatter_update", indices, a.shape)
    u = np.asarray(u).astype(a.dtype, copy=False)
    out = a.copy()
    if reduction is None:
        out[key] = u
    else:
        _SCATTER_REDUCTIONS[reduction].at(out, key, u)

    def backward(d):
        if reduction is None:
            da = d.copy()
            da[key] = 0
            return da, d[key]
        if reduction == "add":
            return d, d[key]
        if reduction == "mul":  # out = inputs * prod(updates at each index)
            factor = np.ones_like(a)
            np.multiply.at(factor, key, u)
            others = np.divide(out[key], u, out=np.zeros_like(out[key]), where=u != 0)
            return d * factor, d[key] * others
        # max / min: the gradient goes to whichever value was kept (ties: to each of them)
        return d * (out == a), d[key] * (out[key] == u)

    return Tensor.from_op(out, (ta, tu), backward, "scatter_update")
