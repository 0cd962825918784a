"""`ReduceLROnPlateau`: lower the learning rate when a metric stops improving."""

import warnings

import numpy as np

from .monitor_callback import MonitorCallback, as_float


def get_learning_rate(optimizer):
    """The optimizer's current learning rate as a Python float."""
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError('Optimizer must have a "learning_rate" attribute.')
    value = as_float(optimizer.learning_rate)
    if value is None:
        raise ValueError(
            "Could not read the optimizer's learning rate as a float. Received: "
            f"{optimizer.learning_rate!r}"
        )
    return value


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: the quantity to watch. Default `"val_loss"`.
        factor: `new_lr = lr * factor`; must be < 1.
        patience: epochs without improvement before reducing.
        verbose: 1 prints a message on each reduction.
        mode: `"min"`, `"max"` or `"auto"` (inferred from the monitor's name).
        min_delta: an improvement must beat the best value by more than this.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.

    The epoch logs gain a `learning_rate` entry (so `History` records it).

    >>> import minikeras as keras
    >>> reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        if "epsilon" in kwargs:  # Keras 2 spelling of min_delta
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected argument(s) {sorted(kwargs)}.")
        # the mode check and "is it better?" are MonitorCallback's, as in Keras 3
        super().__init__(monitor, mode, min_delta=min_delta)
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self):
        """Clears the counters and the best value."""
        self.best = None
        self.monitor_op = None  # set at the first epoch end, once the metrics exist
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_learning_rate(self.model.optimizer)
        current = as_float(logs.get(self.monitor))
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        old_lr = get_learning_rate(self.model.optimizer)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            self.model.optimizer.learning_rate = new_lr
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.",
                    flush=True,
                )
            self.cooldown_counter = self.cooldown
            self.wait = 0
