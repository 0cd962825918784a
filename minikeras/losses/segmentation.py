"""Overlap losses for segmentation (Dice, Tversky) over soft counts, as functions and as `Loss`
classes."""

from ..core import ops
from ..core.ops.nn import EPSILON
from .loss import _FunctionLoss, _pred, _true


def dice(y_true, y_pred, axis=None):
    """Dice loss `1 - 2 * sum(t * p) / (sum(t) + sum(p) + 1e-7)` over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: predictions, shaped like `y_true`.
        axis: the axes to sum over; `None` sums all of them (one value).

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> print(keras.losses.dice([[1.0, 1.0]], [[1.0, 0.0]]).numpy().round(4))
    0.3333
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    inter = ops.sum(y_true * y_pred, axis=axis)
    return 1 - 2.0 * inter / (ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + EPSILON)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss `1 - tp / (tp + alpha * fp + beta * fn + 1e-7)` with soft counts over `axis`.

    The soft counts are `tp = sum(t * p)`, `fp = sum(t * (1 - p))` and `fn = sum((1 - t) * p)`,
    as Keras computes them.

    Args:
        y_true: targets in [0, 1].
        y_pred: predictions, shaped like `y_true`.
        alpha: the weight of `fp`.
        beta: the weight of `fn`.
        axis: the axes to sum over; `None` sums all of them (one value).

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> print(keras.losses.tversky([[1.0, 1.0]], [[1.0, 0.0]]).numpy().round(4))
    0.3333
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    tp = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - tp / (tp + fp * alpha + fn * beta + EPSILON)


class Dice(_FunctionLoss):
    """Loss computing the Dice loss over `axis` (see `dice`), then the reduction.

    Args:
        axis: the axes to sum over; `None` (default) sums all of them.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"dice"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.Dice()([[1.0, 1.0]], [[1.0, 0.0]])), 4)
    0.3333
    """

    _fn, _name, _args = staticmethod(dice), "dice", ("axis",)
    _positional = ("reduction", "name", "axis", "dtype")


class Tversky(_FunctionLoss):
    """Loss computing the Tversky loss over `axis` (see `tversky`), then the reduction.

    Args:
        alpha: the weight of false positives (default 0.5).
        beta: the weight of false negatives (default 0.5).
        axis: the axes to sum over; `None` (default) sums all of them.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"tversky"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.Tversky()([[1.0, 1.0]], [[1.0, 0.0]])), 4)
    0.3333
    """

    _fn, _name, _args = staticmethod(tversky), "tversky", ("alpha", "beta", "axis")
    _positional = ("alpha", "beta", "reduction", "name", "axis", "dtype")
