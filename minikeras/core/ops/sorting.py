"""Sorting ops: sort, argsort, top_k, in_top_k, unique."""

import numpy as np

from ..tensor import Tensor
from ._base import unwrap
from .indexing import take_along_axis

__all__ = ["sort", "argsort", "top_k", "in_top_k", "unique"]


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
    if p.ndim != 2 or t.shape != p.shape[:1]:
        raise ValueError(
            "in_top_k: expected `predictions` of shape (batch, classes) and `targets` of shape "
            f"(batch,). Received predictions {p.shape} and targets {t.shape}."
        )
    true_score = np.take_along_axis(p, t[:, None], axis=-1)
    return Tensor((p > true_score).sum(-1) < k)


def unique(
    x,
    sorted=True,  # noqa: A002 (Keras's argument name)
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The unique values of a tensor (flattened, or the distinct slices along `axis`).

    Args:
        x: input tensor.
        sorted: ascending order (True, the default); False keeps the order of first appearance.
        return_index: also return the index of each unique value's first occurrence.
        return_inverse: also return, for each element of `x`, the index of its unique value.
        return_counts: also return how many times each unique value occurs.
        axis: None (flatten `x`) or the axis whose slices are compared.
        size: a fixed output length: values beyond it are dropped, missing ones are padded
            with `fill_value` (default 0), counts with 0 and indices with 1, as Keras 3.
        fill_value: the padding value of `size`.

    Returns:
        The unique values, or a tuple `(values, index?, inverse?, counts?)` in that order with
        the requested extras (int32, as Keras on jax; the inverse has `x`'s shape when `axis`
        is None).

    >>> import minikeras as keras
    >>> keras.ops.unique([3, 1, 3, 2]).numpy().tolist()
    [1, 2, 3]
    >>> [t.numpy().tolist() for t in keras.ops.unique([3, 1, 3], return_counts=True)]
    [[1, 3], [1, 2]]
    """
    a = np.asarray(unwrap(x, "unique")[0])
    if axis is not None and not -a.ndim <= int(axis) < max(a.ndim, 1):
        raise ValueError(f"unique: axis {axis} is out of bounds for a tensor of rank {a.ndim}.")
    values, first, inverse, counts = np.unique(
        a, return_index=True, return_inverse=True, return_counts=True, axis=axis
    )
    dim = 0 if axis is None else int(axis) % a.ndim
    if not sorted:  # order of first appearance
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        values, first, counts = np.take(values, order, axis=dim), first[order], counts[order]
        inverse = rank[inverse]
    if size is not None:
        n = values.shape[dim]
        if n > size:
            values = np.take(values, np.arange(size), axis=dim)
            first, counts = first[:size], counts[:size]
        elif n < size:
            widths = [(0, 0)] * values.ndim
            widths[dim] = (0, size - n)
            fill = 0 if fill_value is None else fill_value
            values = np.pad(values, widths, constant_values=fill)
            counts = np.pad(counts, (0, size - n), constant_values=0)
            first = np.pad(first, (0, size - n), constant_values=1)
    # the inverse has the input's shape when flattening (as Keras on jax), else one per slice
    inverse = inverse.reshape(a.shape if axis is None else -1)
    wanted = ((first, return_index), (inverse, return_inverse), (counts, return_counts))
    extras = [part for part, want in wanted if want]
    outputs = [Tensor(values)] + [Tensor(e.astype(np.int32)) for e in extras]
    return outputs[0] if len(outputs) == 1 else tuple(outputs)
