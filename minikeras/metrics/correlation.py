"""Correlation metrics: `pearson_correlation`, `concordance_correlation` and their running means
`PearsonCorrelation`, `ConcordanceCorrelation` (one coefficient per sample along `axis`)."""

import numpy as np

from ..core.ops.nn import EPSILON
from ..core.tensor import Tensor
from .metric import MeanMetricWrapper, squeeze_or_expand, to_numpy


def _inputs(y_true, y_pred):
    y_pred = to_numpy(y_pred)
    if not np.issubdtype(y_pred.dtype, np.floating):
        y_pred = y_pred.astype("float32")
    return squeeze_or_expand(to_numpy(y_true, y_pred.dtype), y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of `y_true` and `y_pred` along `axis`.

    Both are centred and divided by their (population) standard deviation, then the mean of the
    product is taken; a constant input gives NaN, as in Keras 3.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        axis: the axis along which to correlate.

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> r = keras.metrics.pearson_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
    >>> round(float(r.numpy()[0]), 4)
    0.9934
    """
    y_true, y_pred = _inputs(y_true, y_pred)
    t = y_true - np.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - np.mean(y_pred, axis=axis, keepdims=True)
    t = t / np.std(t, axis=axis, keepdims=True)
    p = p / np.std(p, axis=axis, keepdims=True)
    return Tensor(np.mean(t * p, axis=axis))


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient of `y_true` and `y_pred` along `axis`.

    `mean(2 * covar / (var_true + var_pred + (mean_true - mean_pred)^2 + epsilon))`, where, as
    Keras 3 computes it, `covar = (y_true - mean_pred) * (y_pred - mean_pred)` per element.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        axis: the axis along which to correlate.

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> c = keras.metrics.concordance_correlation([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    >>> round(float(c.numpy()[0]), 4)
    1.0
    """
    y_true, y_pred = _inputs(y_true, y_pred)
    mean_t = np.mean(y_true, axis=axis, keepdims=True)
    mean_p = np.mean(y_pred, axis=axis, keepdims=True)
    var_t = np.var(y_true - mean_t, axis=axis, keepdims=True)
    var_p = np.var(y_pred - mean_p, axis=axis, keepdims=True)
    covar = (y_true - mean_p) * (y_pred - mean_p)
    norm = var_t + var_p + np.square(mean_t - mean_p)
    return Tensor(np.mean(2 * covar / (norm + y_pred.dtype.type(EPSILON)), axis=axis))


class _CorrelationMetric(MeanMetricWrapper):
    """The running mean of a correlation function; higher is better, the config is its `axis`."""

    def __init__(self, fn, name, dtype, axis):
        super().__init__(fn, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class PearsonCorrelation(_CorrelationMetric):
    """Metric: the running mean of `pearson_correlation` (one coefficient per sample).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis along which to correlate.

    >>> import minikeras as keras
    >>> m = keras.metrics.PearsonCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
    >>> round(float(m.result()), 4)
    0.9934
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)


class ConcordanceCorrelation(_CorrelationMetric):
    """Metric: the running mean of `concordance_correlation` (one coefficient per sample).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis along which to correlate.

    >>> import minikeras as keras
    >>> m = keras.metrics.ConcordanceCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    >>> round(float(m.result()), 4)
    1.0
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
