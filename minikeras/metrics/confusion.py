"""Confusion-matrix metrics: TruePositives & co., `Precision`, `Recall`, `AUC`.

A prediction counts as positive at threshold `t` when `y_pred > t`; labels are positive when
non-zero. Counts are accumulated per threshold in float32 state variables.
"""

import numpy as np

from ..core.ops.nn import EPSILON
from .metric import Metric, divide_no_nan, squeeze_or_expand, to_numpy

NEG_INF = -1e10
TP, FP, TN, FN = "tp", "fp", "tn", "fn"


def parse_thresholds(thresholds, default):
    values = [default] if thresholds is None else np.ravel(thresholds).tolist()
    if thresholds is not None:
        bad = [t for t in values if t is None or not 0 <= t <= 1]
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return values


def is_evenly_distributed(thresholds):
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype="float32") / (n - 1), atol=EPSILON))


def _filter_top_k(x, k):
    # keep the k largest values on the last axis, set the others to NEG_INF
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(x.shape, bool)
    np.put_along_axis(keep, idx, True, axis=-1)
    return np.where(keep, x, np.asarray(NEG_INF, x.dtype))


def _counts(pred, positive, weights, sorted_thresholds):
    """tp and fp per (sorted) threshold for flat arrays: items count where pred > threshold."""
    n = len(sorted_thresholds)
    k = np.searchsorted(sorted_thresholds, pred, side="left")  # thresholds strictly below pred
    k = np.where(np.isnan(pred), 0, k)
    out = []
    for w in (weights * positive, weights * ~positive):
        c = np.bincount(k, weights=w, minlength=n + 1)
        out.append(np.cumsum(c[::-1])[::-1][1:])  # thresholds j < k  <=>  j in [0, k)
    tp, fp = out
    return tp, fp, float(np.sum(weights * positive)), float(np.sum(weights * ~positive))


def update_confusion_matrix_variables(
    variables,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
):
    """Adds the weighted tp/fp/tn/fn counts per threshold to `variables` (a dict keyed by
    `"tp"`, `"fp"`, `"tn"`, `"fn"`). With `multi_label`, counts are kept per label (column)."""
    y_true, y_pred = to_numpy(y_true, "float32"), to_numpy(y_pred, "float32")
    y_pred, y_true = squeeze_or_expand(y_pred, y_true)
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_true of shape {y_true.shape} and y_pred of shape {y_pred.shape} must have the same "
            "shape for confusion-matrix metrics."
        )
    sw = None
    if sample_weight is not None:
        sw = np.expand_dims(to_numpy(sample_weight, "float32"), -1)
        _, sw = squeeze_or_expand(y_true, sw, expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be 2-D (samples, classes). "
                f"Received shape {y_pred.shape}"
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    try:
        weights = (
            np.ones(y_pred.shape, "float32") if sw is None else np.broadcast_to(sw, y_pred.shape)
        )
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {np.shape(sample_weight)} cannot be broadcast to the "
            f"predictions' shape {y_pred.shape}."
        ) from None
    if label_weights is not None:
        weights = weights * np.broadcast_to(to_numpy(label_weights, "float32")[None], y_pred.shape)
    if thresholds_distributed_evenly:
        y_pred = np.clip(y_pred, 0.0, 1.0)
    positive = y_true.astype(bool)
    thresholds = np.asarray(thresholds, "float32")
    order = np.argsort(thresholds, kind="stable")
    sorted_thr = thresholds[order]
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(f"multi_label needs 2-D predictions; received shape {y_pred.shape}")
        columns = [(y_pred[:, j], positive[:, j], weights[:, j]) for j in range(y_pred.shape[1])]
    else:
        columns = [(y_pred.ravel(), positive.ravel(), weights.ravel())]
    results = {c: np.zeros((len(thresholds), len(columns)), "float64") for c in (TP, FP, TN, FN)}
    for j, (p, pos, w) in enumerate(columns):
        tp, fp, total_pos, total_neg = _counts(p, pos, w, sorted_thr)
        results[TP][order, j] = tp
        results[FP][order, j] = fp
        results[FN][order, j] = total_pos - tp
        results[TN][order, j] = total_neg - fp
    for cond, var in variables.items():
        value = results[cond] if multi_label else results[cond][:, 0]
        var.data += value.reshape(var.shape).astype(var.dtype)


def add_confusion_variables(metric, shape):
    """Adds the four float32 count states (`true_positives`, ... `false_negatives`) of `shape`."""
    for attr in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
        setattr(metric, attr, metric.add_variable(shape, "zeros", name=attr))


def confusion_variables(metric):
    """The four count states of `metric`, keyed as `update_confusion_matrix_variables` wants."""
    return {
        TP: metric.true_positives,
        TN: metric.true_negatives,
        FP: metric.false_positives,
        FN: metric.false_negatives,
    }


class _ConfusionMatrixConditionCount(Metric):
    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self._evenly = is_evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable((len(self.thresholds),), "zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self._condition: self.accumulator},
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly,
        )

    def result(self):
        a = self.accumulator.data
        return self._result(a[0] if len(self.thresholds) == 1 else a)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Metric: the (weighted) number of positive labels predicted above the threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5); with a list the result
            has one count per threshold.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    _condition = TP


class FalsePositives(_ConfusionMatrixConditionCount):
    """Metric: the (weighted) number of negative labels predicted above the threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5); with a list the result
            has one count per threshold.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    _condition = FP


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Metric: the (weighted) number of negative labels predicted at or below the threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5); with a list the result
            has one count per threshold.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    _condition = TN


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Metric: the (weighted) number of positive labels predicted at or below the threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5); with a list the result
            has one count per threshold.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    _condition = FN


class _PrecisionRecall(Metric):
    _second = None  # FP for precision, FN for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default)
        self._evenly = is_evenly_distributed(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        second = "false_positives" if self._second == FP else "false_negatives"
        setattr(self, second, self.add_variable((n,), "zeros", name=second))
        self._second_var = getattr(self, second)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {TP: self.true_positives, self._second: self._second_var},
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly,
        )

    def result(self):
        tp = self.true_positives.data
        value = divide_no_nan(tp, tp + self._second_var.data)
        return self._result(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self):
        config = {
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }
        return {**super().get_config(), **config}


class Precision(_PrecisionRecall):
    """Metric: precision `tp / (tp + fp)` at each threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5; with `top_k`, any score
            among the top k counts as positive).
        top_k: only the `k` highest predictions of each row count as positive.
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _second = FP


class Recall(_PrecisionRecall):
    """Metric: recall `tp / (tp + fn)` at each threshold.

    Args:
        thresholds: a float in [0, 1] or a list of them (default 0.5; with `top_k`, any score
            among the top k counts as positive).
        top_k: only the `k` highest predictions of each row count as positive.
        class_id: compute the metric for this class (column) only.
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _second = FN
