"""Metrics that average a loss-like function: regression errors, crossentropies, hinges."""

import numpy as np

from .. import losses
from ..core.tensor import Tensor
from .metric import Mean, MeanMetricWrapper, squeeze_or_expand, to_numpy


def cosine_similarity(y_true, y_pred, axis=-1):
    """`sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)` (1 means same direction)."""
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
    """Mean of `mean(square(y_true - y_pred), axis=-1)`."""

    _fn, _name = staticmethod(losses.mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_LossMetric):
    """Mean of `mean(abs(y_true - y_pred), axis=-1)`."""

    _fn, _name = staticmethod(losses.mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_LossMetric):
    """Mean absolute percentage error."""

    _fn = staticmethod(losses.mean_absolute_percentage_error)
    _name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_LossMetric):
    """Mean squared logarithmic error."""

    _fn = staticmethod(losses.mean_squared_logarithmic_error)
    _name = "mean_squared_logarithmic_error"


class LogCoshError(_LossMetric):
    """Mean of `log(cosh(y_pred - y_true))`."""

    _fn, _name = staticmethod(losses.log_cosh), "logcosh"


class CosineSimilarity(_LossMetric):
    """Mean cosine similarity along `axis` (1 means same direction)."""

    _fn, _name, _args = staticmethod(cosine_similarity), "cosine_similarity", {"axis": -1}


class Hinge(_LossMetric):
    """Mean hinge loss."""

    _fn, _name = staticmethod(losses.hinge), "hinge"


class SquaredHinge(_LossMetric):
    """Mean squared hinge loss."""

    _fn, _name = staticmethod(losses.squared_hinge), "squared_hinge"


class CategoricalHinge(_LossMetric):
    """Mean categorical hinge loss."""

    _fn, _name = staticmethod(losses.categorical_hinge), "categorical_hinge"


class KLDivergence(_LossMetric):
    """Mean Kullback-Leibler divergence."""

    _fn, _name = staticmethod(losses.kl_divergence), "kl_divergence"


class Poisson(_LossMetric):
    """Mean Poisson loss."""

    _fn, _name = staticmethod(losses.poisson), "poisson"


class BinaryCrossentropy(_LossMetric):
    """Mean binary crossentropy (`from_logits`, `label_smoothing`)."""

    _fn, _name = staticmethod(losses.binary_crossentropy), "binary_crossentropy"
    _args = {"from_logits": False, "label_smoothing": 0.0}


class CategoricalCrossentropy(_LossMetric):
    """Mean categorical crossentropy (`from_logits`, `label_smoothing`, `axis`)."""

    _fn, _name = staticmethod(losses.categorical_crossentropy), "categorical_crossentropy"
    _args = {"from_logits": False, "label_smoothing": 0.0, "axis": -1}


class SparseCategoricalCrossentropy(_LossMetric):
    """Mean sparse categorical crossentropy (`from_logits`, `axis`)."""

    _fn = staticmethod(losses.sparse_categorical_crossentropy)
    _name = "sparse_categorical_crossentropy"
    _args = {"from_logits": False, "axis": -1}


class RootMeanSquaredError(Mean):
    """`sqrt` of the running (weighted) mean of squared errors.

    >>> m = RootMeanSquaredError()
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
