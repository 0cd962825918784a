"""`TerminateOnNaN`: stop training as soon as the loss becomes NaN or infinite."""

import math

from .callback import Callback
from .monitor_callback import as_float


class TerminateOnNaN(Callback):
    """Stops `fit` at the first batch whose loss is NaN or +-inf.

    Args:
        raise_error: if True, raise a `RuntimeError` at once (skipping the other callbacks'
            `on_train_end`) instead of setting `model.stop_training = True`.

    >>> import minikeras as keras
    >>> callback = keras.callbacks.TerminateOnNaN()
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch, logs=None):
        loss = as_float((logs or {}).get("loss"))
        if loss is None or math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                "Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training", flush=True)
        self.model.stop_training = True
