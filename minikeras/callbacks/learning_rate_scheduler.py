"""`LearningRateScheduler`: set the learning rate from a function of the epoch."""

import inspect

from .callback import Callback
from .monitor_callback import as_float
from .reduce_lr_on_plateau import get_learning_rate


def _takes_lr(fn):
    """Whether `schedule` accepts `(epoch, lr)`; old-style schedules take only `epoch`."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """At the start of each epoch sets `optimizer.learning_rate = schedule(epoch, lr)`.

    Args:
        schedule: a function `(epoch, lr) -> new_lr` (epoch counted from 0, `lr` the current
            learning rate as a float); a function of `epoch` alone is also accepted.
        verbose: 1 prints the new learning rate every epoch.

    The epoch logs gain a `learning_rate` entry (so `History` records it).

    >>> import minikeras as keras
    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = keras.callbacks.LearningRateScheduler(schedule)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be callable. Received: schedule={schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        lr = get_learning_rate(optimizer)
        new = self.schedule(epoch, lr) if _takes_lr(self.schedule) else self.schedule(epoch)
        value = as_float(new) if not isinstance(new, bool) else None
        if value is None:
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {new}")
        optimizer.learning_rate = value
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {value}.",
                flush=True,
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model.optimizer)
