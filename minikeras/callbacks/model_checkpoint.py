"""`ModelCheckpoint`: save the model (or its weights) during training."""

import os
import string
import warnings

from .batch_schedule import BatchSchedule
from .monitor_callback import MonitorCallback, as_float


class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights every epoch (or every `save_freq` batches).

    Args:
        filepath: where to save. May hold `str.format` fields filled from `epoch` (1-based),
            `batch` (for batch-level saving) and the log keys, e.g.
            `"ckpt/{epoch:02d}-{val_loss:.2f}.keras"`. Must end in `.weights.h5` when
            `save_weights_only=True`, else in `.keras` (or legacy `.h5`). The template is
            checked when training begins (syntax, format specs, field names the compiled
            model logs), so a typo fails before the first epoch, not after it.
        monitor: the quantity `save_best_only` compares. Default `"val_loss"`.
        verbose: 1 prints a line whenever it saves (or decides not to).
        save_best_only: save only when `monitor` improves on the best value so far.
        save_weights_only: `model.save_weights(filepath)` instead of `model.save(filepath)`.
        mode: `"min"`, `"max"` or `"auto"` (inferred from the monitor's name).
        save_freq: `"epoch"`, or an int: save after every that many training batches.
        initial_value_threshold: the starting "best" value for `save_best_only`.

    >>> import minikeras as keras
    >>> ckpt = keras.callbacks.ModelCheckpoint("best.keras", monitor="val_loss",
    ...                                        save_best_only=True)
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._schedule = BatchSchedule(save_freq)
        self._current_epoch = 0
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq are 'epoch' or a "
                "positive integer."
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format). Received: "
                f"filepath={self.filepath}"
            )

    def on_train_begin(self, logs=None):
        self._check_filepath_template()

    def _check_filepath_template(self):
        """Fails before any epoch runs if `filepath` cannot be formatted at its first save.

        Keras 3 only finds out when the first checkpoint is written, after an epoch of work.
        Checked here: the `str.format` syntax, positional fields (`{}`), each field's format
        spec (tried on an int for `epoch`/`batch` and a float for logged values, as the logs
        hold them), and, for models using the built-in `train_step`/`test_step`, that every
        field is `epoch`, `batch`, `learning_rate` (written by the LR callbacks) or a loss or
        metric name the compiled model logs, with or without `val_`. A model that overrides
        `train_step` or `test_step` may log anything, and so may a callback of the user's own
        (or a `LambdaCallback`) in the same `fit`: then field names are not checked.
        """
        template = self.filepath
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as e:
            raise ValueError(
                f'ModelCheckpoint: the filepath "{template}" is not a valid format string '
                f"({e}). Write literal braces as '{{{{' and '}}}}'."
            ) from None
        keys = set()
        for field in fields:
            key = field.split(".", 1)[0].split("[", 1)[0]
            if key == "" or key.isdigit():
                raise ValueError(
                    f'ModelCheckpoint: the filepath "{template}" has a positional field '
                    f"'{{{field}}}'; only named fields are filled, e.g. '{{epoch:02d}}' or "
                    "'{val_loss:.2f}'."
                )
            keys.add(key)
        logged_names = getattr(self.model, "_logged_names", None)  # the trainer's
        known = logged_names() if logged_names is not None else None
        if known is not None and not self._siblings_may_log():
            unknown = sorted(keys - known)
            if unknown:
                raise KeyError(
                    f'Failed to format this callback filepath: "{template}". Reason: '
                    f"{', '.join(repr(k) for k in unknown)} is not a key the logs will hold. "
                    f"Available keys: {', '.join(sorted(known))}"
                )
        dummy = {k: 1 if k in ("epoch", "batch") else 0.5 for k in keys}
        try:
            template.format(**dummy)
        except (ValueError, TypeError, IndexError, AttributeError, KeyError) as e:
            raise ValueError(
                f'ModelCheckpoint: cannot format the filepath "{template}" with an int epoch/'
                f"batch and float logged values: {type(e).__name__}: {e}"
            ) from None

    def _siblings_may_log(self):
        """Whether another callback of this `fit` could add keys to the logs."""
        from .lambda_callback import LambdaCallback

        ref = getattr(self.model, "__dict__", {}).get("_callback_list_ref")
        cbs = ref() if ref is not None else None
        if cbs is None:
            return True  # called outside `fit`: unknown company
        return any(
            cb is not self
            and (isinstance(cb, LambdaCallback) or not type(cb).__module__.startswith("minikeras."))
            for cb in cbs.callbacks
        )

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch" and self._schedule.due(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # delayed until the compiled metrics exist
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _say(self, text):
        if self.verbose > 0:
            print(text, flush=True)

    def _should_save(self, epoch, logs, filepath):
        if not self.save_best_only:
            self._say(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        raw = (logs or {}).get(self.monitor)
        if raw is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True
        current = as_float(raw)
        if current is None:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: {raw}. "
                "Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            self._say(
                f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                f"{current:.5f}, saving model to {filepath}"
            )
            self.best = current
            return True
        self._say(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = dict(logs or {})
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                f"existing directory: {filepath}"
            )
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        self._say(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch, batch, logs):
        """`filepath` with `{epoch}` (1-based), `{batch}` (1-based) and the log keys filled in."""
        fields = {k: v for k, v in logs.items() if k != "epoch"}
        if batch is not None and "batch" not in fields:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(epoch=epoch + 1, **fields)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}. '
                f"Available keys: epoch, {', '.join(fields)}"
            ) from None
