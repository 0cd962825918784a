"""`SwapEMAWeights`: evaluate (and optionally checkpoint) with the optimizer's moving averages."""

import numpy as np

from .callback import Callback


class SwapEMAWeights(Callback):
    """Evaluates and predicts with the optimizer's moving averages (`use_ema=True`) of the weights.

    The averages go into the model at the start of an evaluation or prediction and the trained
    weights come back at its end.

    With `swap_on_epoch=True` the averages are also in the model from the end of each epoch to
    the start of the next, so callbacks listed after this one (`ModelCheckpoint`, ...) see them;
    at the end of the last epoch the averages are made the trained weights.

    As Keras 3.15: validation inside `fit` runs on the averages; `on_predict_end` does not swap
    back (the averages stay in the model after `predict` with this callback).

    Args:
        swap_on_epoch: also swap at each epoch's end and back at the next epoch's start.

    Raises:
        ValueError: (when swapping) if the optimizer is not built with `use_ema=True`.

    >>> import minikeras as keras
    >>> keras.callbacks.SwapEMAWeights(swap_on_epoch=True).swap_on_epoch
    True
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizer(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if not getattr(optimizer, "use_ema", False) or getattr(optimizer, "_ema", None) is None:
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer "
                "(and it has been built by training). Received: "
                f"use_ema={getattr(optimizer, 'use_ema', None)}"
            )
        return optimizer

    def _pairs(self):
        optimizer = self._optimizer()
        return [
            (v, a) for v, a in zip(optimizer._trainable_variables, optimizer._ema) if a is not None
        ]

    def _swap_variables(self):
        for var, average in self._pairs():
            held = np.array(var.data)
            var.data[...] = average.data
            average.data[...] = held

    def _finalize_ema_values(self):
        for var, average in self._pairs():
            average.data[...] = var.data

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        # Keras 3.15 tests `not self._ema_weights_in_model` here, so it never swaps back
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False
