"""Accuracy functions (per element or per sample, as Keras 3's) and the metrics that average them."""

import numpy as np

from ..core.tensor import Tensor
from .metric import MeanMetricWrapper, squeeze_or_expand, to_numpy


def _out(x):
    return Tensor(np.asarray(x, "float32"))


def accuracy(y_true, y_pred):
    """Elementwise exact match: `y_true == y_pred` as float32.

    Keras 3 reduces no axis; the `Accuracy` metric averages it.

    Args:
        y_true: labels.
        y_pred: predicted labels (not probabilities), shaped like `y_true`.

    Returns:
        A float32 tensor shaped like `y_pred`.

    >>> import minikeras as keras
    >>> keras.metrics.accuracy([[1, 2], [3, 4]], [[1, 2], [3, 0]]).numpy().tolist()
    [[1.0, 1.0], [1.0, 0.0]]
    """
    y_pred = to_numpy(y_pred)
    y_true, y_pred = squeeze_or_expand(to_numpy(y_true, y_pred.dtype), y_pred)
    return _out(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Elementwise binary accuracy: `y_true == (y_pred > threshold)` as float32.

    Keras 3 reduces no axis; the `BinaryAccuracy` metric averages it.

    Args:
        y_true: 0/1 labels.
        y_pred: probabilities, shaped like `y_true`.
        threshold: the decision threshold.

    Returns:
        A float32 tensor shaped like `y_pred`.

    >>> import minikeras as keras
    >>> keras.metrics.binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).numpy().tolist()
    [[1.0], [0.0]]
    """
    y_true, y_pred = squeeze_or_expand(to_numpy(y_true), to_numpy(y_pred))
    predicted = (y_pred > threshold).astype(y_true.dtype)
    return _out(y_true == predicted)


def categorical_accuracy(y_true, y_pred):
    """Per-sample accuracy for one-hot labels: 1 where `argmax(y_true) == argmax(y_pred)`.

    Args:
        y_true: one-hot labels, shaped like `y_pred`.
        y_pred: class scores.

    Returns:
        A float32 tensor with the last axis reduced.

    >>> import minikeras as keras
    >>> y_true, y_pred = [[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]
    >>> keras.metrics.categorical_accuracy(y_true, y_pred).numpy().tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = to_numpy(y_true), to_numpy(y_pred)
    if y_true.shape[-1:] != y_pred.shape[-1:]:
        raise ValueError(
            f"categorical_accuracy expects one-hot targets shaped like the predictions "
            f"{y_pred.shape}; received targets of shape {y_true.shape} (use "
            "sparse_categorical_accuracy for integer labels)."
        )
    return _out(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1))


def _labels(y_true, y_pred):
    # (batch, 1) labels against (batch, classes) scores: drop the label axis
    _has_classes(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"Integer labels of shape {y_true.shape} do not match predictions of shape "
            f"{y_pred.shape} (expected labels of shape {y_pred.shape[:-1]})."
        )
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """Per-sample accuracy for integer labels: 1 where `y_true == argmax(y_pred)`.

    Args:
        y_true: int labels of shape `(batch,)` or `(batch, 1)`.
        y_pred: class scores of shape `(batch, classes)`.

    Returns:
        A float32 tensor of shape `(batch,)`.

    >>> import minikeras as keras
    >>> keras.metrics.sparse_categorical_accuracy([1, 0], [[0.2, 0.8], [0.3, 0.7]]).numpy().tolist()
    [1.0, 0.0]
    """
    y_pred = to_numpy(y_pred)
    y_true = _labels(to_numpy(y_true), y_pred)
    return _out(y_true == np.argmax(y_pred, axis=-1))


def _has_classes(y_pred):
    if not np.shape(y_pred):  # an IndexError in Keras 3 too; an AxisError is one, and says why
        raise np.exceptions.AxisError(
            "Accuracy metrics need `y_pred` with one score per class on its last axis. "
            "Received a scalar (shape ())."
        )


def _in_top_k(labels, scores, k):
    # in the top k when fewer than k classes score strictly higher (ties count as in)
    _has_classes(scores)
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= scores.shape[-1]):
        raise ValueError(f"Labels must lie in [0, {scores.shape[-1]}). Received: {labels}")
    target = np.take_along_axis(scores, labels[..., None], axis=-1)
    return (scores > target).sum(axis=-1) < k


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Per-sample top-k accuracy for one-hot labels: 1 where the true class is among the `k` best.

    Ties with the k-th score count as in.

    Args:
        y_true: one-hot labels, shaped like `y_pred`.
        y_pred: class scores.
        k: how many top classes count.

    Returns:
        A float32 tensor with the last axis reduced.

    >>> import minikeras as keras
    >>> y_true, y_pred = [[0, 0, 1], [0, 1, 0]], [[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]
    >>> keras.metrics.top_k_categorical_accuracy(y_true, y_pred, k=2).numpy().tolist()
    [0.0, 1.0]
    """
    y_true, y_pred = to_numpy(y_true), to_numpy(y_pred)
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError(
            f"top_k_categorical_accuracy expects one-hot targets of the predictions' shape "
            f"{np.shape(y_pred)}; received targets of shape {np.shape(y_true)}."
        )
    return _out(_in_top_k(np.argmax(y_true, axis=-1), y_pred, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Per-sample top-k accuracy for integer labels: 1 where the label is among the `k` best scores.

    Args:
        y_true: int labels of shape `(batch,)` or `(batch, 1)`.
        y_pred: class scores of shape `(batch, classes)`.
        k: how many top classes count.

    Returns:
        A float32 tensor of shape `(batch,)`.

    >>> import minikeras as keras
    >>> y_pred = [[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]
    >>> keras.metrics.sparse_top_k_categorical_accuracy([2, 1], y_pred, k=2).numpy().tolist()
    [0.0, 1.0]
    """
    y_pred = to_numpy(y_pred)
    return _out(_in_top_k(_labels(to_numpy(y_true), y_pred), y_pred, k))


class Accuracy(MeanMetricWrapper):
    """Metric: how often predictions equal labels exactly (for probabilities see `BinaryAccuracy`).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """Metric: how often `y_pred > threshold` matches binary labels.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        threshold: the decision threshold, in (0, 1).

    >>> import minikeras as keras
    >>> m = keras.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold is not None and not 0 < threshold < 1:
            raise ValueError(
                f"Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                f"Received: threshold={threshold}"
            )
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """Metric: how often `argmax(y_pred)` matches the class of a one-hot label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Metric: how often `argmax(y_pred)` matches an integer label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Metric: how often the one-hot label's class is among the `k` highest scores.

    Args:
        k: how many top classes count (default 5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Metric: how often the integer label is among the `k` highest scores.

    Args:
        k: how many top classes count (default 5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}
