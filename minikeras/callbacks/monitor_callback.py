"""`MonitorCallback`: the shared "is this value better than the best so far?" logic of
`EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau`."""

import operator
import warnings

import numpy as np

from .callback import Callback

# in "auto" mode, metrics whose names contain one of these are maximised (Keras marks them "up")
_UP_WORDS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "io_u", "cosine", "r2")


def metric_direction(monitor, model=None):
    """ "max" or "min" for the metric `monitor` (with or without the `val_` prefix).

    A compiled metric object with a `_direction` attribute ("up"/"down") decides; otherwise the
    name does: `loss` and error metrics are minimised, accuracy-like ones (`acc`, `accuracy`,
    `auc`, `precision`, ...) maximised.
    """
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "min"
    compiled = getattr(model, "compiled_metrics", None)
    for entry in getattr(compiled, "metrics", None) or []:
        m = entry[1] if isinstance(entry, tuple) else entry
        direction = getattr(m, "_direction", None)
        if getattr(m, "name", None) == name and direction in ("up", "down"):
            return "max" if direction == "up" else "min"
    return "max" if any(w in name.lower() for w in _UP_WORDS) else "min"


def as_float(value):
    """A Python float from a float, numpy scalar/0-d array or Tensor; None if not a scalar."""
    value = getattr(value, "data", value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 0 or arr.dtype.kind not in "biuf":
        return None
    return float(arr)


class MonitorCallback(Callback):
    """Base class for callbacks that watch one logged quantity, such as `EarlyStopping`.

    Subclasses call `_set_monitor_op()` once the model is known (for example in
    `on_train_begin`) and then `_is_improvement(value, self.best)`.

    Args:
        monitor: the log key, e.g. `"val_loss"` or `"accuracy"`.
        mode: `"min"`, `"max"` or `"auto"` (inferred from the name, see `metric_direction`).
        baseline: the initial "best" value; `None` starts from +-inf.
        min_delta: an improvement must beat the best by more than this.

    >>> import minikeras as keras
    >>> class PrintBest(keras.callbacks.MonitorCallback):
    ...     def on_train_begin(self, logs=None):
    ...         self._set_monitor_op()
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if self._is_improvement(logs[self.monitor], self.best):
    ...             self.best = logs[self.monitor]
    ...             print("new best", self.best)
    >>> cb = PrintBest(monitor="loss")
    >>> cb.on_train_begin()
    >>> for epoch, loss in enumerate([0.5, 0.7, 0.3]):
    ...     cb.on_epoch_end(epoch, {"loss": loss})
    new best 0.5
    new best 0.3
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        mode = self.mode if self.mode != "auto" else metric_direction(self.monitor, self.model)
        self.monitor_op = operator.lt if mode == "min" else operator.gt
        if mode == "min":
            self.min_delta = -abs(self.min_delta)
        if self.best is None:
            self.best = np.inf if mode == "min" else -np.inf

    def _is_improvement(self, value, reference):
        """`value` beats `reference` by more than `min_delta` in the monitored direction."""
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
