"""`R2Score`: the coefficient of determination, per output column, from running sums."""

import warnings

import numpy as np

from .metric import Metric, squeeze_or_expand, to_numpy


class R2Score(Metric):
    """Metric: R^2 = 1 - sum((y - y_pred)^2) / sum((y - mean(y))^2), per output column.

    Inputs are `(batch, outputs)`. The state is the weighted sums of `y`, `y^2`, the squared
    residuals and the weights per column (made on the first update), plus `num_samples`, the
    number of elements of `y_true` seen (as Keras 3.15.1 counts it), used by the adjusted score.

    Args:
        class_aggregation: `"uniform_average"` (mean of the column scores, default),
            `"variance_weighted_average"` (weighted by each column's variance) or None (one
            score per column).
        num_regressors: the number of independent regressors; above 0 gives the adjusted R^2
            `1 - (1 - R^2) * (n - 1) / (n - p - 1)`, `n = num_samples` (falling back, with a
            warning, to R^2 when `p >= n - 1`).
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import numpy as np, minikeras as keras
    >>> m = keras.metrics.R2Score()
    >>> m.update_state(np.array([[1.0], [4.0], [3.0]]), np.array([[2.0], [4.0], [4.0]]))
    >>> round(float(m.result()), 4)
    0.5714
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable((n,), "zeros", name="squared_sum")
        self.sum = self.add_variable((n,), "zeros", name="sum")
        self.total_mse = self.add_variable((n,), "zeros", name="residual")
        self.count = self.add_variable((n,), "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = to_numpy(y_true, self.dtype)
        y_true, y_pred = squeeze_or_expand(y_true, to_numpy(y_pred, self.dtype))
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if sample_weight is None:
            sw = np.ones((), self.dtype)
        else:
            sw = to_numpy(sample_weight, self.dtype)
        if sw.ndim == 1:
            sw = sw[:, None]
        try:
            sw = np.broadcast_to(sw, y_true.shape)
        except ValueError:
            raise ValueError(
                f"R2Score: sample_weight of shape {np.shape(sample_weight)} does not broadcast to "
                f"y_true's shape {y_true.shape}."
            ) from None
        weighted = y_true * sw
        self.sum.data += np.sum(weighted, axis=0)
        self.squared_sum.data += np.sum(y_true * weighted, axis=0)
        self.total_mse.data += np.sum((y_true - y_pred) ** 2 * sw, axis=0)
        self.count.data += np.sum(sw, axis=0)
        # Keras 3.15.1 counts every element of y_true here (newer Keras counts the rows with a
        # non-zero weight); we follow the release, whose adjusted scores the tests hold
        self.num_samples.data += y_true.size

    def result(self):
        if not self._built:
            # Keras 3 fails here too (an AttributeError): the column sums do not exist yet
            raise ValueError(
                f"R2Score {self.name!r}: result() called before any update_state(); the number "
                "of output columns is not known yet."
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum.data / self.count.data
            total = self.squared_sum.data - self.sum.data * mean
            raw = 1 - self.total_mse.data / total
        raw = np.where(np.isinf(raw), np.asarray(0.0, raw.dtype), raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        if self.num_regressors != 0:
            n, p = float(self.num_samples.data), float(self.num_regressors)
            if p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. Falling "
                    "back to standard R2 score.",
                    stacklevel=2,
                )
            elif p == n - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                n, p = np.float32(n), np.float32(p)
                score = 1 - (1 - score) * (n - 1) / (n - p - 1)
        return self._result(score)

    def get_config(self):
        config = {
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
        return {**super().get_config(), **config}
