"""`FBetaScore` and `F1Score` for multi-class / multi-label predictions (batch, classes)."""

import numpy as np

from ..core.ops.nn import EPSILON
from .metric import Metric, to_numpy


class FBetaScore(Metric):
    """Metric: the F-beta score `(1 + b^2) * precision * recall / (b^2 * precision + recall)`.

    Inputs are `(batch, classes)`; the score is per class or averaged.

    Args:
        average: None (one score per class), `"micro"` (from the summed counts), `"macro"`
            (unweighted mean of the class scores) or `"weighted"` (mean weighted by support).
        beta: weight of recall (a float > 0).
        threshold: predictions above it count as 1; None marks the row's maximum as the 1.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import numpy as np, minikeras as keras
    >>> m = keras.metrics.FBetaScore(beta=2.0, threshold=0.5, average="micro")
    >>> m.update_state(np.array([[1, 0], [1, 1]]), np.array([[0.9, 0.1], [0.2, 0.8]]))
    >>> round(float(m.result()), 4)  # tp=2, fp=0, fn=1: 5 * 1 * (2/3) / (4 + 2/3)
    0.7143
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, (float, int)) or isinstance(beta, bool) or beta <= 0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be a float > 0. Received: beta={beta}"
            )
        if threshold is not None and not 0 < threshold <= 1:
            raise ValueError(
                f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                f"Received: threshold={threshold}"
            )
        self.average = average
        self.beta = float(beta)
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in (
            "true_positives",
            "false_positives",
            "false_negatives",
            "intermediate_weights",
        ):
            setattr(self, name, self.add_variable(shape, "zeros", name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = to_numpy(y_true, self.dtype), to_numpy(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            # the row maximum becomes 1 (an all-zero row stays all zero)
            pred = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            pred = y_pred > self.threshold
        pred = pred.astype(self.dtype)
        sw = None if sample_weight is None else to_numpy(sample_weight, self.dtype)[:, None]

        def weighted_sum(x):
            return np.sum(x if sw is None else x * sw, axis=self.axis)

        self.true_positives.data += weighted_sum(pred * y_true)
        self.false_positives.data += weighted_sum(pred * (1 - y_true))
        self.false_negatives.data += weighted_sum((1 - pred) * y_true)
        self.intermediate_weights.data += weighted_sum(y_true)

    def result(self):
        if not self._built:
            return self._result(0.0)
        tp, fp, fn = self.true_positives.data, self.false_positives.data, self.false_negatives.data
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        b2 = self.beta**2
        f = (1 + b2) * precision * recall / (b2 * precision + recall + EPSILON)
        if self.average == "weighted":
            w = self.intermediate_weights.data
            f = np.sum(f * w / (np.sum(w) + EPSILON))
        elif self.average is not None:  # micro (a scalar already) or macro
            f = np.mean(f)
        return self._result(f)

    def get_config(self):
        config = {"average": self.average, "beta": self.beta, "threshold": self.threshold}
        return {**super().get_config(), **config}


class F1Score(FBetaScore):
    """Metric: the F1 score `2 * precision * recall / (precision + recall)`, `FBetaScore` at beta 1.

    Args:
        average: None, `"micro"`, `"macro"` or `"weighted"` (see `FBetaScore`).
        threshold: predictions above it count as 1; None marks the row's maximum as the 1.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import numpy as np, minikeras as keras
    >>> m = keras.metrics.F1Score(threshold=0.5)
    >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]]),
    ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]))
    >>> [round(float(x), 4) for x in m.result().numpy()]
    [0.5, 0.8, 0.6667]
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
