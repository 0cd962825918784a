"""`TensorBoard`: write training scalars and weight histograms as TensorBoard event files."""

import os
import time

import numpy as np

from ..distribution import data_parallel
from .callback import Callback


def _scalar(value):
    return float(np.asarray(value.numpy() if hasattr(value, "numpy") else value))


class TensorBoard(Callback):
    """Writes event files that `tensorboard --logdir <log_dir>` reads, with Keras 3's tags.

    Files go to `log_dir/train` and `log_dir/validation`. At each epoch end: `epoch_<name>` for
    the training logs and `epoch_learning_rate` (train), `epoch_<name>` for the `val_` logs
    without the prefix (validation), at step `epoch`. At each evaluation end:
    `evaluation_<name>_vs_iterations` at step `optimizer.iterations` (validation). With
    `update_freq="batch"` or an int `n`: `batch_<name>` every `n`-th training batch (the step
    counts batches over the whole run, from 1). With `histogram_freq=n`: each layer's weights as
    histograms `<weight.path>/histogram` every `n`-th epoch (train). The event files are written
    by tensorboardX, a maintained writer that needs no TensorFlow: the optional extra
    `pip install "minikeras[tensorboard]"` (without it, the first write raises ImportError).

    Args:
        log_dir: the directory of the logs.
        histogram_freq: epochs between weight histograms (0: none).
        write_graph: accepted; no graph is written (Keras 3 writes the model's JSON config as a
            `graph_keras_model` summary, and a graph only exists for TensorFlow functions).
        write_images: only False (weight images are not written: NotImplementedError).
        write_steps_per_second: also write `batch_steps_per_second` and
            `epoch_steps_per_second`.
        update_freq: `"epoch"`, `"batch"` or an int number of batches.
        profile_batch: only 0 (the profiler is TensorFlow's / JAX's: NotImplementedError).
        embeddings_freq: only 0 (the embedding projector needs TensorFlow checkpoints:
            NotImplementedError).
        embeddings_metadata: accepted when `embeddings_freq` is 0.

    >>> import minikeras as keras
    >>> keras.callbacks.TensorBoard(log_dir="/tmp/logs", update_freq="batch").update_freq
    1
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        for arg, value, meaning in (
            ("write_images", write_images, "weight images"),
            ("profile_batch", profile_batch, "the TensorFlow/JAX profiler"),
            ("embeddings_freq", embeddings_freq, "the embedding projector"),
        ):
            if value:
                raise NotImplementedError(
                    f"TensorBoard: `{arg}={value!r}` asks for {meaning}, which minikeras does "
                    f"not write; only `{arg}` at its default is supported."
                )
        if not (
            update_freq in ("epoch", "batch") or (isinstance(update_freq, int) and update_freq > 0)
        ):
            raise ValueError(
                "TensorBoard: `update_freq` must be 'epoch', 'batch' or a positive int. "
                f"Received: update_freq={update_freq!r}"
            )
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._writers = {}

    def set_model(self, model):
        super().set_model(model)
        self._close_writers()
        self._writers = {}

    def _writer(self, which):
        if which not in self._writers:
            sub = "train" if which == "train" else "validation"
            if data_parallel.is_chief():
                self._writers[which] = _EventWriter(os.path.join(self.log_dir, sub))
            else:  # keras.distribution: rank 0 alone writes event files
                self._writers[which] = _NullWriter()
        return self._writers[which]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def _optimizer(self):
        optimizer = getattr(self.model, "optimizer", None)
        return getattr(optimizer, "inner_optimizer", optimizer)

    # -- training ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_iterations = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_iterations = int(np.asarray(self._optimizer().iterations))
            self._epoch_start_time = time.time()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if self.update_freq == "epoch" or step % self.update_freq != 0:
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start_time, 1e-9)
            writer.scalar("batch_steps_per_second", 1.0 / elapsed, step)
        for name, value in (logs or {}).items():
            writer.scalar(f"batch_{name}", _scalar(value), step)
        writer.flush()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = self._optimizer()
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            train["learning_rate"] = _scalar(optimizer.learning_rate)
        if self.write_steps_per_second:
            steps = int(np.asarray(optimizer.iterations)) - self._previous_iterations
            train["steps_per_second"] = steps / max(time.time() - self._epoch_start_time, 1e-9)
        for which, items in (("train", train), ("val", val)):
            if items:
                writer = self._writer(which)
                for name, value in items.items():
                    writer.scalar(f"epoch_{name}", _scalar(value), epoch)
                writer.flush()

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                tag = f"{weight.path.replace(':', '_')}/histogram"
                writer.histogram(tag, np.asarray(weight.numpy()), epoch)
        writer.flush()

    # -- evaluation ----------------------------------------------------------------------------
    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_test_end(self, logs=None):
        optimizer = self._optimizer()
        if optimizer is None or not hasattr(optimizer, "iterations") or not logs:
            return
        step = int(np.asarray(optimizer.iterations))
        writer = self._writer("val")
        for name, value in logs.items():
            writer.scalar(f"evaluation_{name}_vs_iterations", _scalar(value), step)
        writer.flush()


class _NullWriter:
    """The writer of the ranks other than 0 under `keras.distribution`: writes nothing."""

    def scalar(self, tag, value, step):
        pass

    def histogram(self, tag, values, step):
        pass

    def flush(self):
        pass

    def close(self):
        pass


class _EventWriter:
    """Scalars and histograms into one event file of `logdir`, through tensorboardX."""

    def __init__(self, logdir):
        try:
            from tensorboardX import SummaryWriter
        except ImportError as e:
            raise ImportError(
                "keras.callbacks.TensorBoard writes event files through the tensorboardX "
                "package: install it with `pip install 'minikeras[tensorboard]'` (or "
                f"`pip install tensorboardX`). Original error: {e}"
            ) from None
        self._writer = SummaryWriter(logdir)

    def scalar(self, tag, value, step):
        self._writer.add_scalar(tag, float(value), step)

    def histogram(self, tag, values, step):
        self._writer.add_histogram(tag, np.asarray(values, np.float64), step)

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()
