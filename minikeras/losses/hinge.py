"""Hinge losses (hinge, squared hinge, categorical hinge) for -1/1 or 0/1 labels, as functions
and as `Loss` classes."""

import numpy as np

from ..core import ops
from .loss import _FunctionLoss, _pair, _pred, _true


def _hinge_labels(y_true):
    t = y_true.data
    if np.all((t == 0) | (t == 1)):  # binary labels become -1 / 1
        return 2.0 * y_true - 1.0
    return y_true


def _margin_violations(y_true, y_pred):
    # max(1 - t * p, 0), with 0/1 labels read as -1/1
    return ops.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)


def hinge(y_true, y_pred):
    """Hinge loss per sample: `mean(max(1 - t * p, 0), axis=-1)`; 0/1 labels become -1/1.

    Args:
        y_true: labels, -1/1 or 0/1.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.hinge([[0.0, 1.0]], [[0.5, 0.5]]).numpy().tolist()
    [1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(_margin_violations(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss per sample: `mean(square(max(1 - t * p, 0)), axis=-1)`.

    Labels 0/1 are converted to -1/1.

    Args:
        y_true: labels, -1/1 or 0/1.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.squared_hinge([[0.0, 1.0]], [[0.5, 0.5]]).numpy().tolist()
    [1.25]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.square(_margin_violations(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge per sample: `max(neg - pos + 1, 0)` over the last axis.

    Here `pos = sum(t * p)` and `neg = max((1 - t) * p)`.

    Args:
        y_true: one-hot targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> keras.losses.categorical_hinge([[0.0, 1.0]], [[0.25, 0.75]]).numpy().tolist()
    [0.5]
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


class Hinge(_FunctionLoss):
    """Loss computing `mean(max(1 - t * p, 0))` per sample (0/1 labels become -1/1), then reduced.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.Hinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.0
    """

    _fn, _name = staticmethod(hinge), "hinge"


class SquaredHinge(_FunctionLoss):
    """Loss computing `mean(square(max(1 - t * p, 0)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"squared_hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.25
    """

    _fn, _name = staticmethod(squared_hinge), "squared_hinge"


class CategoricalHinge(_FunctionLoss):
    """Loss computing the categorical hinge `max(neg - pos + 1, 0)` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"categorical_hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.CategoricalHinge()([[0.0, 1.0]], [[0.25, 0.75]]))
    0.5
    """

    _fn, _name = staticmethod(categorical_hinge), "categorical_hinge"
