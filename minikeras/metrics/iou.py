"""Intersection-over-union metrics: `IoU`, `MeanIoU`, `BinaryIoU`, `OneHotIoU`, `OneHotMeanIoU`.

All accumulate one `(num_classes, num_classes)` confusion matrix `total_confusion_matrix`
(rows: true class, columns: predicted class) in the metric's dtype, which is `"int32"` unless
given, as in Keras 3: with the default dtype, float labels, predictions and sample weights are
truncated to integers before counting (Keras warns about float weights, and so do we).
The IoU of class `c` is `cm[c, c] / (row_sum[c] + col_sum[c] - cm[c, c])`; the result is the
mean over the target classes whose denominator is non-zero.
"""

import warnings

import numpy as np

from ..core.ops.nn import EPSILON
from ..core.tensor import Tensor
from .metric import Metric, to_numpy


class _IoUBase(Metric):
    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), "zeros", name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the (weighted) confusion matrix of a batch.

        Labels and predictions are class ids (or one-hot / scores along `axis` when not sparse);
        pairs where either is outside `[0, num_classes)`, or the label is `ignore_class`, are
        skipped. `sample_weight` broadcasts to the flattened labels.
        """
        y_true, y_pred = to_numpy(y_true), to_numpy(y_pred)
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        y_true = y_true.astype(self.dtype).reshape(-1)
        y_pred = y_pred.astype(self.dtype).reshape(-1)
        if sample_weight is None:
            weights = np.ones((), self.dtype)
        else:
            sw = to_numpy(sample_weight)
            # as Keras 3: only weights that carry a dtype (arrays, tensors) are checked
            if "float" in str(getattr(sample_weight, "dtype", "")) and "int" in str(self.dtype):
                warnings.warn(
                    f"{type(self).__name__} {self.name!r}: sample_weight is float but the "
                    f"metric's dtype is {self.dtype}; the weights are truncated to integers. "
                    "Pass integer weights or a float dtype.",
                    stacklevel=2,
                )
            weights = sw.astype(self.dtype)
            if weights.ndim > 1:
                weights = weights.reshape(-1)
        try:
            weights = np.broadcast_to(weights, y_true.shape)
        except ValueError:
            raise ValueError(
                f"{type(self).__name__}: sample_weight of shape {np.shape(sample_weight)} does not "
                f"broadcast to the {y_true.shape[0]} flattened labels."
            ) from None
        if y_pred.shape != y_true.shape:
            raise ValueError(
                f"{type(self).__name__}: y_true and y_pred must hold as many class ids; received "
                f"{y_true.shape[0]} and {y_pred.shape[0]} after flattening."
            )
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        cm = np.zeros((n, n), self.total_cm.dtype)
        rows, cols = y_true[valid].astype(np.intp), y_pred[valid].astype(np.intp)
        np.add.at(cm, (rows, cols), weights[valid])
        self.total_cm.data += cm

    def _class_ious(self, target_class_ids):
        cm = self.total_cm.data
        tp = np.diag(cm).astype("float32")
        denominator = (cm.sum(axis=0) + cm.sum(axis=1)).astype("float32") - tp
        ids = np.asarray(target_class_ids, "int64")
        tp, denominator = tp[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = np.where(valid, tp / (denominator + np.float32(EPSILON)), np.float32(0.0))
        num_valid = np.sum(valid, dtype="float32")
        return np.float32(np.sum(iou, dtype="float32") / (num_valid + np.float32(EPSILON)))

    def _result(self, value):
        # the state is int32 by default; the IoU is always a float32, as in Keras 3
        return Tensor(np.array(value, "float32"))

    # the constructor arguments `get_config` returns, in Keras 3's order for each class
    _config_keys = ()

    def get_config(self):
        return {key: getattr(self, key) for key in self._config_keys}


class IoU(_IoUBase):
    """Metric: the mean intersection-over-union of the classes in `target_class_ids`.

    Args:
        num_classes: the number of classes (the confusion matrix is `num_classes` square).
        target_class_ids: the class ids whose IoUs are averaged.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`: weights are truncated).
        ignore_class: a label id to leave out (e.g. a "void" class), or None.
        sparse_y_true: labels are class ids; False takes the argmax along `axis`.
        sparse_y_pred: predictions are class ids; False takes the argmax along `axis`.
        axis: the class axis of dense labels / predictions.

    >>> import minikeras as keras
    >>> m = keras.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)  # class 0: 1 / (2 + 2 - 1)
    0.3333
    """

    _config_keys = (
        "name",
        "dtype",
        "num_classes",
        "target_class_ids",
        "ignore_class",
        "sparse_y_true",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        return self._result(self._class_ious(self.target_class_ids))


class BinaryIoU(IoU):
    """Metric: IoU of a binary task, predictions `>= threshold` counting as class 1.

    Args:
        target_class_ids: which class IoUs to average: `[0]`, `[1]` or `[0, 1]` (default both).
        threshold: scores at or above it are class 1, below it class 0.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`: weights are truncated).

    >>> import minikeras as keras
    >>> m = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 4)
    0.3333
    """

    _config_keys = ("target_class_ids", "threshold", "name", "dtype")

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = to_numpy(y_pred, "float32") >= self.threshold
        super().update_state(y_true, y_pred.astype(self.dtype), sample_weight)


class MeanIoU(IoU):
    """Metric: the mean intersection-over-union over all `num_classes` classes (segmentation).

    Classes that appear in neither labels nor predictions are left out of the mean.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`: weights are truncated).
        ignore_class: a label id to leave out (e.g. a "void" class), or None.
        sparse_y_true: labels are class ids; False takes the argmax along `axis`.
        sparse_y_pred: predictions are class ids; False takes the argmax along `axis`.
        axis: the class axis of dense labels / predictions.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    _config_keys = (
        "num_classes",
        "name",
        "dtype",
        "ignore_class",
        "sparse_y_true",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )


class OneHotIoU(IoU):
    """Metric: `IoU` for one-hot labels (and, unless `sparse_y_pred`, per-class scores).

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoUs are averaged.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`: weights are truncated).
        ignore_class: a label id to leave out, or None.
        sparse_y_pred: predictions are class ids rather than scores along `axis`.
        axis: the class axis.

    >>> import numpy as np, minikeras as keras
    >>> m = keras.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state(np.eye(3)[[2, 0, 1, 0]], np.eye(3)[[2, 2, 0, 2]])
    >>> round(float(m.result()), 4)  # class 0: 0 / 3, class 2: 1 / 3
    0.1667
    """

    _config_keys = (
        "num_classes",
        "target_class_ids",
        "name",
        "dtype",
        "ignore_class",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )


class OneHotMeanIoU(MeanIoU):
    """Metric: `MeanIoU` for one-hot labels (and, unless `sparse_y_pred`, per-class scores).

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`: weights are truncated).
        ignore_class: a label id to leave out, or None.
        sparse_y_pred: predictions are class ids rather than scores along `axis`.
        axis: the class axis.

    >>> import numpy as np, minikeras as keras
    >>> m = keras.metrics.OneHotMeanIoU(num_classes=3)
    >>> m.update_state(np.eye(3)[[2, 0, 1, 0]], np.eye(3)[[2, 2, 0, 2]])
    >>> round(float(m.result()), 4)  # (0 / 3 + 0 / 2 + 1 / 3) / 3
    0.1111
    """

    _config_keys = ("num_classes", "name", "dtype", "ignore_class", "sparse_y_pred", "axis")

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
