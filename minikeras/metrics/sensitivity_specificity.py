"""Metrics that read one rate where another reaches a target: `SensitivityAtSpecificity`,
`SpecificityAtSensitivity`, `PrecisionAtRecall`, `RecallAtPrecision`.

Each keeps tp/fp/tn/fn counts at `num_thresholds` evenly spaced thresholds in [0, 1] and returns
the best value of one rate among the thresholds where the constrained rate is `>= value`
(0 when no threshold qualifies), as Keras 3 does.
"""

import numpy as np

from .confusion import (
    add_confusion_variables,
    confusion_variables,
    update_confusion_matrix_variables,
)
from .metric import Metric, divide_no_nan


class _SensitivitySpecificityBase(Metric):
    _value_arg = None  # the name of the constraint argument ("specificity", "recall", ...)

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self._value_arg}` must be in the range [0, 1]. "
                f"Received: {self._value_arg}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = value
        setattr(self, self._value_arg, value)
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._evenly = True
        add_confusion_variables(self, (len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts at every threshold (a prediction `> t` is positive at `t`)."""
        update_confusion_matrix_variables(
            confusion_variables(self),
            y_true,
            y_pred,
            self.thresholds,
            class_id=self.class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly,
        )

    def _rates(self):
        tp, fp = self.true_positives.data, self.false_positives.data
        tn, fn = self.true_negatives.data, self.false_negatives.data
        return {
            "sensitivity": divide_no_nan(tp, tp + fn),  # = recall
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }

    def _best(self, constrained, dependent):
        rates = self._rates()
        feasible = rates[constrained] >= self.value
        return self._result(max(0.0, np.max(np.where(feasible, rates[dependent], 0.0))))

    def get_config(self):
        config = {
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_arg: self.value,
        }
        return {**super().get_config(), **config}


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """Metric: the best sensitivity (recall) among thresholds whose specificity is `>= specificity`.

    Args:
        specificity: the target specificity, in [0, 1].
        num_thresholds: the number of evenly spaced thresholds in [0, 1] (1 means just 0.5).
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    _value_arg = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("specificity", "sensitivity")


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """Metric: the best specificity among thresholds whose sensitivity is `>= sensitivity`.

    Args:
        sensitivity: the target sensitivity (recall), in [0, 1].
        num_thresholds: the number of evenly spaced thresholds in [0, 1] (1 means just 0.5).
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _value_arg = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("sensitivity", "specificity")


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """Metric: the best precision among thresholds whose recall is `>= recall`.

    Args:
        recall: the target recall, in [0, 1].
        num_thresholds: the number of evenly spaced thresholds in [0, 1] (1 means just 0.5).
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    _value_arg = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("sensitivity", "precision")


class RecallAtPrecision(_SensitivitySpecificityBase):
    """Metric: the best recall among thresholds whose precision is `>= precision`.

    Args:
        precision: the target precision, in [0, 1].
        num_thresholds: the number of evenly spaced thresholds in [0, 1] (1 means just 0.5).
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.5
    """

    _value_arg = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("precision", "sensitivity")
