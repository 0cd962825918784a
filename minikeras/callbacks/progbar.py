"""Progress display for fit/evaluate/predict (the only tqdm import).

`verbose=1`: a bar per epoch with live metrics; `verbose=2`: one line per epoch; `verbose=0`:
nothing. In Jupyter the bar renders as a notebook widget (`tqdm.auto`). With interactive logging
off (`keras.config.disable_interactive_logging()`) the lines go to the `"minikeras"` logger, as
Keras sends them to absl logging, and no live bar is drawn.
"""

import sys
import time

import numpy as np

from ..core import switches
from .callback import Callback


def _fmt(logs):
    parts = []
    for k in sorted(logs):
        v = logs[k]
        try:
            # an array result (F1Score(average=None)) shows its mean, as Keras's Progbar
            value = float(v) if getattr(v, "ndim", 0) == 0 else float(np.mean(v))
        except (TypeError, ValueError):
            continue
        parts.append(f"{k}: {value:.4f}")
    return " - ".join(parts)


def _interactive():
    """A terminal or a notebook: a live bar makes sense. In logs and pipes it does not, nor
    when interactive logging is off (`keras.config.disable_interactive_logging`)."""
    if not switches.is_interactive_logging_enabled():
        return False
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _bar(total, desc, leave=True):
    import warnings

    with warnings.catch_warnings():
        # in a notebook without ipywidgets tqdm.auto falls back to a text bar; that is fine
        warnings.filterwarnings("ignore", message=".*IProgress not found.*")
        from tqdm.auto import tqdm

        return _make_bar(tqdm, total, desc, leave)


def _make_bar(tqdm, total, desc, leave):
    return tqdm(
        total=total,
        desc=desc,
        leave=leave,
        file=sys.stdout,
        dynamic_ncols=True,
        unit="step",
        bar_format="{n_fmt}/{total_fmt} {bar} {elapsed}<{remaining} {desc}",
    )


class ProgbarLogger(Callback):
    """Prints training progress the way Keras does, through tqdm.

    `fit`, `evaluate` and `predict` add one when `verbose` is not 0: `verbose=1` shows a
    progress bar, `verbose=2` one line per epoch.

    Args:
        count_mode: Keras 2's argument; only "steps" (Keras 3's bar counts steps), "samples"
            raises ValueError.

    >>> import numpy as np, minikeras as keras
    >>> dense = keras.layers.Dense(1, kernel_initializer="zeros")
    >>> model = keras.Sequential([keras.Input((2,)), dense])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=2)
    Epoch 1/1
    1/1 - ... - loss: 1.0000
    """

    def __init__(self, count_mode="steps"):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(
                "ProgbarLogger counts steps, as Keras 3's does; count_mode='samples' is not "
                f"supported. Received: count_mode={count_mode!r}"
            )
        self.bar = None
        self.verbose = 1
        self.epochs = 1
        self._start = 0.0
        self._seen = 0
        self._total = None
        self._called_in_fit = False  # fit's validation runs without a bar of its own

    def on_train_begin(self, logs=None):
        # as Keras 3's ProgbarLogger: between train begin and end, evaluation is fit's own
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)

    def _open(self, total, desc=None):
        self._close()
        self._start = time.time()
        self._seen = 0
        self._total = total
        if self.verbose == 1 and _interactive():
            self.bar = _bar(total, desc)

    def _step(self, batch, logs):
        # the bar shows batch + 1, as Keras's: with steps_per_execution=N it moves N at a time
        seen = batch + 1
        if self._total:
            seen = min(seen, self._total)
        delta, self._seen = max(seen - self._seen, 0), max(seen, self._seen)
        if self.bar is not None:
            self.bar.update(delta)
            self.bar.set_description_str(_fmt(logs or {}), refresh=False)

    def _close(self, logs=None):
        if self.bar is not None:
            if logs:
                self.bar.set_description_str(_fmt(logs), refresh=False)
            self.bar.close()
            self.bar = None

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            switches.print_msg(f"Epoch {epoch + 1}/{self.epochs}")
        self._open(self.params.get("steps"))

    def on_train_batch_end(self, batch, logs=None):
        self._step(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        live = self.bar is not None
        self._close(logs)
        # verbose=2, or verbose=1 writing to a log file: one line per epoch, as Keras does
        if self.verbose == 2 or (self.verbose == 1 and not live):
            switches.print_msg(self._summary(logs))

    def _summary(self, logs):
        """Keras's one-line summary: `3/3 - 0s - 5ms/step - loss: 0.1234`."""
        elapsed = time.time() - self._start
        # Keras 3 finalizes the bar at its target (the known step count, e.g. 6/6 even when
        # TerminateOnNaN stopped the epoch at 2), else at the steps seen
        done = self._total or self._seen
        per = elapsed / max(done, 1)
        if per >= 1 or per == 0:
            per_step = f"{per:.0f}s/step"
        elif per >= 1e-3:
            per_step = f"{per * 1e3:.0f}ms/step"
        else:
            per_step = f"{per * 1e6:.0f}us/step"
        line = f"{done}/{done} - {elapsed:.0f}s - {per_step}"
        return f"{line} - {_fmt(logs)}" if logs else line

    def on_test_begin(self, logs=None):
        if self._called_in_fit:
            return
        self._open(self.params.get("steps"))

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._step(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            live = self.bar is not None
            self._close(logs)
            if self.verbose == 2 or (self.verbose == 1 and not live):
                switches.print_msg(self._summary(logs))

    def on_predict_begin(self, logs=None):
        self._open(self.params.get("steps"))

    def on_predict_batch_end(self, batch, logs=None):
        self._step(batch, None)

    def on_predict_end(self, logs=None):
        live = self.bar is not None
        self._close()
        if self.verbose == 2 or (self.verbose == 1 and not live):
            switches.print_msg(self._summary(None))
