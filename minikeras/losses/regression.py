"""Regression losses: squared, absolute, percentage and logarithmic errors, cosine similarity,
Huber and log-cosh, as functions (one value per sample) and as `Loss` classes."""

import math

from ..core import ops
from ..core.ops.nn import EPSILON
from .loss import _FunctionLoss, _pair


def mean_squared_error(y_true, y_pred):
    """Mean squared error per sample: `mean(square(y_true - y_pred), axis=-1)` (also `mse`, `MSE`).

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
    [0.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error per sample: `mean(abs(y_true - y_pred), axis=-1)` (also `mae`, `MAE`).

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_absolute_error([[0.0, 1.0]], [[1.0, 3.0]]).numpy().tolist()
    [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error per sample (also `mape`, `MAPE`).

    The value is `100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).numpy().tolist()
    [37.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), EPSILON))
    return 100.0 * ops.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error per sample (also `msle`, `MSLE`).

    The value is `mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`
    with `eps = 1e-7`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.mean_squared_logarithmic_error([[3.0]], [[0.0]]).numpy().round(4))
    [1.9218]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    first = ops.log(ops.maximum(y_pred, EPSILON) + 1.0)
    second = ops.log(ops.maximum(y_true, EPSILON) + 1.0)
    return ops.mean(ops.square(first - second), axis=-1)


def _l2_normalize(x, axis):
    # x / max(||x||, eps), written so that a zero vector has a zero (not NaN) gradient
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), EPSILON**2))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 means the same direction, 1 the opposite.

    The value is `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        axis: the axis of the vectors.

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> y_true, y_pred = [[0.0, 2.0], [1.0, 0.0]], [[0.0, 3.0], [0.0, 1.0]]
    >>> keras.losses.cosine_similarity(y_true, y_pred).numpy().tolist()
    [-1.0, -0.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss per sample: quadratic for small errors, linear for large ones.

    With `e = y_pred - y_true`, each entry is `0.5 * e**2` where `|e| <= delta` and
    `delta * |e| - 0.5 * delta**2` elsewhere; the mean is over the last axis.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        delta: where the loss changes from quadratic to linear.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.huber([[0.0, 1.0]], [[0.5, 3.0]]).numpy().tolist()
    [0.8125]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta**2
    return ops.mean(ops.where(abs_error.data <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Log-cosh loss per sample: `mean(log(cosh(y_pred - y_true)), axis=-1)` (also `logcosh`).

    It is computed as `x + softplus(-2x) - log(2)`, which does not overflow.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.log_cosh([[0.0]], [[1.0]]).numpy().round(4))
    [0.4338]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


class MeanSquaredError(_FunctionLoss):
    """Loss computing the mean squared error per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_squared_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    _fn, _name = staticmethod(mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_FunctionLoss):
    """Loss computing the mean absolute error per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_absolute_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    _fn, _name = staticmethod(mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_FunctionLoss):
    """Loss computing `100 * mean(abs((y_true - y_pred) / y_true))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_absolute_percentage_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]]))
    37.5
    """

    _fn, _name = staticmethod(mean_absolute_percentage_error), "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_FunctionLoss):
    """Loss computing `mean(square(log1p(y_pred) - log1p(y_true)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_squared_logarithmic_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.MeanSquaredLogarithmicError()([[3.0]], [[0.0]])), 4)
    1.9218
    """

    _fn, _name = staticmethod(mean_squared_logarithmic_error), "mean_squared_logarithmic_error"


class CosineSimilarity(_FunctionLoss):
    """Loss computing the negative cosine similarity along `axis`, then the reduction.

    Args:
        axis: the axis of the vectors (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"cosine_similarity"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> loss = keras.losses.CosineSimilarity()
    >>> round(float(loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
    -0.5
    """

    _unsaved = ("axis",)  # Keras 3 writes no `axis` in the config (a reload uses the default)
    _fn, _name, _args = staticmethod(cosine_similarity), "cosine_similarity", ("axis",)


class Huber(_FunctionLoss):
    """Loss computing the Huber loss per sample (see `huber`), then the reduction.

    Args:
        delta: where the loss changes from quadratic to linear (default 1.0).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"huber_loss"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.Huber()([[0.0, 1.0]], [[0.5, 3.0]]))
    0.8125
    """

    _unsaved = ("delta",)  # Keras 3 writes no `delta` in the config (a reload uses the default)
    _fn, _name, _args = staticmethod(huber), "huber_loss", ("delta",)


class LogCosh(_FunctionLoss):
    """Loss computing `mean(log(cosh(y_pred - y_true)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"log_cosh"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.LogCosh()([[0.0]], [[1.0]])), 4)
    0.4338
    """

    _fn, _name = staticmethod(log_cosh), "log_cosh"


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
