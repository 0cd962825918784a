"""`History`: records the logs of every epoch; `fit` returns it."""

import numpy as np

from ..core.tensor import Tensor
from .callback import Callback


def _snapshot(value):
    """A value a callback may keep: arrays and tensors are copied (they may be a metric's state)."""
    if isinstance(value, Tensor):
        return value.data.copy()
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


class History(Callback):
    """Collects `history[metric] = [value per epoch]` and `epoch = [indices]`.

    >>> import numpy as np, minikeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> h = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0)
    >>> sorted(h.history), len(h.history["loss"])
    (['loss'], 2)
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(_snapshot(v))
        if self.model is not None:
            self.model.history = self
