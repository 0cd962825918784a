"""Metrics that average a loss-like function: regression errors, crossentropies, hinges."""

import numpy as np

from .. import losses
from ..core.tensor import Tensor
from .metric import Mean, MeanMetricWrapper, squeeze_or_expand, to_numpy


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity along `axis`: `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    Unlike the loss of the same name this is positive: 1 means the same direction.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        axis: the axis of the vectors.

    Returns:
        A float32 tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> y_true, y_pred = [[0.0, 2.0], [1.0, 0.0]], [[0.0, 3.0], [0.0, 1.0]]
    >>> keras.metrics.cosine_similarity(y_true, y_pred).numpy().tolist()
    [1.0, 0.0]
    """
    y_pred = to_numpy(y_pred)
    y_true, y_pred = squeeze_or_expand(to_numpy(y_true, y_pred.dtype), y_pred)

    def normalize(x):
        return x / np.maximum(np.sqrt(np.sum(x * x, axis=axis, keepdims=True)), 1e-7)

    return Tensor(np.sum(normalize(y_true) * normalize(y_pred), axis=axis).astype("float32"))


class _LossMetric(MeanMetricWrapper):
    """Base of the metrics that average a loss function `_fn`; `_args` maps its keyword
    arguments to their defaults."""

    _fn = None
    _name = None
    _args = {}

    def __init__(self, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - set(self._args)
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected argument(s) {sorted(unknown)}.")
        values = {**self._args, **kwargs}
        super().__init__(type(self)._fn, name=name or self._name, dtype=dtype, **values)
        for k, v in values.items():
            setattr(self, k, v)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}


class MeanSquaredError(_LossMetric):
    """Metric: the running mean of `mean(square(y_true - y_pred), axis=-1)`.

    Args:
        name: the metric's name (default `"mean_squared_error"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    _fn, _name = staticmethod(losses.mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_LossMetric):
    """Metric: the running mean of `mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        name: the metric's name (default `"mean_absolute_error"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanAbsoluteError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    _fn, _name = staticmethod(losses.mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_LossMetric):
    """Metric: the running mean of `100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`.

    Args:
        name: the metric's name (default `"mean_absolute_percentage_error"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[2.0, 4.0]], [[1.0, 5.0]])
    >>> float(m.result())
    37.5
    """

    _fn = staticmethod(losses.mean_absolute_percentage_error)
    _name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_LossMetric):
    """Metric: the running mean of `mean(square(log1p(y_pred) - log1p(y_true)), axis=-1)`.

    Args:
        name: the metric's name (default `"mean_squared_logarithmic_error"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanSquaredLogarithmicError()
    >>> m.update_state([[3.0]], [[0.0]])
    >>> round(float(m.result()), 4)
    1.9218
    """

    _fn = staticmethod(losses.mean_squared_logarithmic_error)
    _name = "mean_squared_logarithmic_error"


class LogCoshError(_LossMetric):
    """Metric: the running mean of `mean(log(cosh(y_pred - y_true)), axis=-1)`.

    Args:
        name: the metric's name (default `"logcosh"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.LogCoshError()
    >>> m.update_state([[0.0]], [[1.0]])
    >>> round(float(m.result()), 4)
    0.4338
    """

    _fn, _name = staticmethod(losses.log_cosh), "logcosh"


class CosineSimilarity(_LossMetric):
    """Metric: the running mean of the cosine similarity along `axis` (1 means the same direction).

    Args:
        name: the metric's name (default `"cosine_similarity"`).
        dtype: the dtype of the state and result.
        axis: the axis of the vectors (default -1).

    >>> import minikeras as keras
    >>> m = keras.metrics.CosineSimilarity()
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> round(float(m.result()), 4)
    0.5
    """

    _fn, _name, _args = staticmethod(cosine_similarity), "cosine_similarity", {"axis": -1}

    def get_config(self):
        # Keras 3's config leaves `axis` out (so a revived metric uses -1)
        return {"name": self.name, "dtype": self.dtype}


class Hinge(_LossMetric):
    """Metric: the running mean of the hinge loss `mean(max(1 - t * p, 0), axis=-1)`.

    Args:
        name: the metric's name (default `"hinge"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Hinge()
    >>> m.update_state([[0.0, 1.0]], [[0.5, 0.5]])
    >>> float(m.result())
    1.0
    """

    _fn, _name = staticmethod(losses.hinge), "hinge"


class SquaredHinge(_LossMetric):
    """Metric: the running mean of the squared hinge loss.

    Args:
        name: the metric's name (default `"squared_hinge"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.SquaredHinge()
    >>> m.update_state([[0.0, 1.0]], [[0.5, 0.5]])
    >>> float(m.result())
    1.25
    """

    _fn, _name = staticmethod(losses.squared_hinge), "squared_hinge"


class CategoricalHinge(_LossMetric):
    """Metric: the running mean of the categorical hinge loss.

    Args:
        name: the metric's name (default `"categorical_hinge"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.CategoricalHinge()
    >>> m.update_state([[0.0, 1.0]], [[0.25, 0.75]])
    >>> float(m.result())
    0.5
    """

    _fn, _name = staticmethod(losses.categorical_hinge), "categorical_hinge"


class KLDivergence(_LossMetric):
    """Metric: the running mean of the Kullback-Leibler divergence `sum(t * log(t / p), axis=-1)`.

    Args:
        name: the metric's name (default `"kl_divergence"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.KLDivergence()
    >>> m.update_state([[0.5, 0.5]], [[0.25, 0.75]])
    >>> round(float(m.result()), 4)
    0.1438
    """

    _fn, _name = staticmethod(losses.kl_divergence), "kl_divergence"


class Poisson(_LossMetric):
    """Metric: the running mean of the Poisson loss `mean(p - t * log(p + 1e-7), axis=-1)`.

    Args:
        name: the metric's name (default `"poisson"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Poisson()
    >>> m.update_state([[1.0]], [[1.0]])
    >>> round(float(m.result()), 4)
    1.0
    """

    _fn, _name = staticmethod(losses.poisson), "poisson"


class BinaryCrossentropy(_LossMetric):
    """Metric: the running mean of the binary crossentropy.

    Args:
        name: the metric's name (default `"binary_crossentropy"`).
        dtype: the dtype of the state and result.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].

    >>> import minikeras as keras
    >>> m = keras.metrics.BinaryCrossentropy()
    >>> m.update_state([[1.0, 0.0]], [[0.5, 0.5]])
    >>> round(float(m.result()), 4)
    0.6931
    """

    _fn, _name = staticmethod(losses.binary_crossentropy), "binary_crossentropy"
    _args = {"from_logits": False, "label_smoothing": 0}


class CategoricalCrossentropy(_LossMetric):
    """Metric: the running mean of the categorical crossentropy (one-hot targets).

    Args:
        name: the metric's name (default `"categorical_crossentropy"`).
        dtype: the dtype of the state and result.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the class axis.

    >>> import minikeras as keras
    >>> m = keras.metrics.CategoricalCrossentropy()
    >>> m.update_state([[0.0, 1.0]], [[0.5, 0.5]])
    >>> round(float(m.result()), 4)
    0.6931
    """

    _fn, _name = staticmethod(losses.categorical_crossentropy), "categorical_crossentropy"
    _args = {"from_logits": False, "label_smoothing": 0, "axis": -1}


class SparseCategoricalCrossentropy(_LossMetric):
    """Metric: the running mean of the crossentropy between integer labels and class scores.

    Args:
        name: the metric's name (default `"sparse_categorical_crossentropy"`).
        dtype: the dtype of the state and result.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label whose samples count as zero loss (None: none).
        axis: the class axis.

    >>> import minikeras as keras
    >>> m = keras.metrics.SparseCategoricalCrossentropy()
    >>> m.update_state([1], [[0.5, 0.5]])
    >>> round(float(m.result()), 4)
    0.6931
    """

    _fn = staticmethod(losses.sparse_categorical_crossentropy)
    _name = "sparse_categorical_crossentropy"
    _args = {"from_logits": False, "ignore_class": None, "axis": -1}


class RootMeanSquaredError(Mean):
    """Metric: the square root of the running (weighted) mean of squared errors.

    Args:
        name: the metric's name (default `"root_mean_squared_error"`).
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = to_numpy(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand(to_numpy(y_true, self.dtype), y_pred)
        return super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return self._result(np.sqrt(np.asarray(super().result().data)))
