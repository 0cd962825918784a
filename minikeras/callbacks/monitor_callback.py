"""`MonitorCallback`: the shared "is this value better than the best so far?" logic of
`EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau`."""

import operator
import warnings

import numpy as np

from .callback import Callback

# in "auto" mode, metrics whose names contain one of these are maximised (Keras marks them "up")
_UP_WORDS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "io_u", "cosine", "r2")


def metric_direction(monitor, model=None, owner="MonitorCallback"):
    """ "max" or "min" for the metric `monitor` (with or without the `val_` prefix), as Keras 3
    decides it in "auto" mode: `loss` is minimised, and a compiled metric of that name says by
    its `_direction` ("up"/"down"). Anything else (a per-output `a_loss`, an `a_mae` of a
    multi-output model, a custom metric function) raises ValueError, as in Keras.
    """
    name = monitor.removeprefix("val_")
    direction = "min" if name == "loss" else None
    compiled = getattr(model, "compiled_metrics", None)
    for entry in getattr(compiled, "metrics", None) or []:
        m = entry[1] if isinstance(entry, tuple) else entry
        if getattr(m, "name", None) != name:
            continue
        found = getattr(m, "_direction", None)
        if found not in ("up", "down"):  # a metric Keras gives a direction minikeras may not
            found = "up" if any(w in name.lower() for w in _UP_WORDS) else "down"
        direction = "max" if found == "up" else "min"
    if direction is None:
        raise ValueError(
            f"{owner} callback received monitor={monitor}, but the direction of that metric "
            "cannot be determined automatically. Pass mode='max' to monitor the highest value "
            "or mode='min' to monitor the lowest."
        )
    return direction


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
        baseline: the initial "best" value; `None`: the first value seen is the first best.
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
        mode = self.mode
        if mode == "auto":
            mode = metric_direction(self.monitor, self.model, type(self).__name__)
        self.monitor_op = operator.lt if mode == "min" else operator.gt
        if mode == "min":
            self.min_delta = -abs(self.min_delta)

    def _is_improvement(self, value, reference):
        """`value` beats `reference` by more than `min_delta` in the monitored direction."""
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
