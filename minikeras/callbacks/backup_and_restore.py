"""`BackupAndRestore`: resume an interrupted `fit` from its last completed epoch."""

import json
import os
import shutil

from .callback import Callback


class BackupAndRestore(Callback):
    """Backs up the training state so a `fit` that was interrupted can carry on.

    At the end of every epoch (or every `save_freq` batches) it writes the model's weights and
    optimizer state (`model.save_weights`, Keras 3 `.weights.h5`) and the epoch number to
    `backup_dir`. When `fit` starts again with this callback, it loads them and tells `fit` to
    continue at the first unfinished epoch. After a `fit` that completes, the backup is deleted
    (unless `delete_checkpoint=False`).

    Args:
        backup_dir: a directory used only by this callback.
        save_freq: `"epoch"`, or an int: back up every that many training batches.
        delete_checkpoint: delete the backup once training finishes.

    >>> import minikeras as keras
    >>> backup = keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq!r}. "
                "Expected either 'epoch' or a positive integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = os.path.join(self.backup_dir, "_latest.weights.h5")
        self._prev_metadata_path = os.path.join(self.backup_dir, "_training_metadata.json")
        self._current_epoch = 0
        self._batches_since_save = 0
        self._last_batch = 0

    # -- restore --------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        try:
            self._load()
        except OSError:
            # the latest backup is damaged (interrupted while writing): fall back to the previous
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            os.remove(self._prev_weights_path)
            if os.path.exists(self._prev_metadata_path):
                shutil.copyfile(self._prev_metadata_path, self._metadata_path)
                os.remove(self._prev_metadata_path)
            elif os.path.exists(self._metadata_path):
                os.remove(self._metadata_path)
            self._load()

    def _load(self):
        model = self.model
        if not model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model '{model.name}' is unbuilt. You can build it beforehand by "
                "calling it on a batch of data (or by starting it with keras.Input)."
            )
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(model.trainable_weights)  # its slots must exist to be loaded
            model.load_weights(self._weights_path)
        if os.path.exists(self._metadata_path):
            with open(self._metadata_path) as f:
                meta = json.load(f)
            # read by `fit` right after on_train_begin: the epoch to start at
            model._initial_epoch = int(meta["epoch"])

    # -- back up --------------------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += (
            batch + 1 if batch <= self._last_batch else batch - self._last_batch
        )
        self._last_batch = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save()

    def _save(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        # keep the previous backup until the new one is complete
        if os.path.exists(self._weights_path):
            shutil.copyfile(self._weights_path, self._prev_weights_path)
        if os.path.exists(self._metadata_path):
            shutil.copyfile(self._metadata_path, self._prev_metadata_path)
        self.model.save_weights(self._weights_path, overwrite=True)
        with open(self._metadata_path, "w") as f:
            json.dump({"epoch": self._current_epoch, "batch": self._last_batch}, f)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
