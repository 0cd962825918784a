"""Accuracy functions (one value per sample) and the metrics that average them."""

import numpy as np

from ..core.tensor import Tensor
from .metric import MeanMetricWrapper, squeeze_or_expand, to_numpy


def _out(x):
    return Tensor(np.asarray(x, "float32"))


def accuracy(y_true, y_pred):
    """`mean(y_true == y_pred, axis=-1)`: exact matches."""
    y_pred = to_numpy(y_pred)
    y_true, y_pred = squeeze_or_expand(to_numpy(y_true, y_pred.dtype), y_pred)
    return _out(np.mean(y_true == y_pred, axis=-1))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """`mean(y_true == (y_pred > threshold), axis=-1)`."""
    y_true, y_pred = squeeze_or_expand(to_numpy(y_true), to_numpy(y_pred))
    predicted = (y_pred > threshold).astype(y_true.dtype)
    return _out(np.mean(y_true == predicted, axis=-1))


def categorical_accuracy(y_true, y_pred):
    """`argmax(y_true) == argmax(y_pred)` over the last axis, for one-hot targets."""
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
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"Integer labels of shape {y_true.shape} do not match predictions of shape "
            f"{y_pred.shape} (expected labels of shape {y_pred.shape[:-1]})."
        )
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """`y_true == argmax(y_pred)` for integer labels of shape `(batch,)` or `(batch, 1)`."""
    y_pred = to_numpy(y_pred)
    y_true = _labels(to_numpy(y_true), y_pred)
    return _out(y_true == np.argmax(y_pred, axis=-1))


def _in_top_k(labels, scores, k):
    # in the top k when fewer than k classes score strictly higher (ties count as in)
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= scores.shape[-1]):
        raise ValueError(f"Labels must lie in [0, {scores.shape[-1]}). Received: {labels}")
    target = np.take_along_axis(scores, labels[..., None], axis=-1)
    return (scores > target).sum(axis=-1) < k


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the true class (argmax of one-hot `y_true`) is among the `k` highest scores."""
    y_true, y_pred = to_numpy(y_true), to_numpy(y_pred)
    return _out(_in_top_k(np.argmax(y_true, axis=-1), y_pred, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the integer label is among the `k` highest scores."""
    y_pred = to_numpy(y_pred)
    return _out(_in_top_k(_labels(to_numpy(y_true), y_pred), y_pred, k))


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (not for probabilities; see `BinaryAccuracy`)."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches binary labels.

    >>> m = BinaryAccuracy()
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
    """How often `argmax(y_pred)` matches the one-hot label's class."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` matches an integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the `k` (default 5) highest scores."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` (default 5) highest scores."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}
