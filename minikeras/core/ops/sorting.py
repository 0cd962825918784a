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
