"""`BackupAndRestore`: resume an interrupted `fit` from its last completed epoch."""

import contextlib
import hashlib
import json
import os
import shutil
import warnings

from ..distribution import data_parallel
from ..utils.atomic import atomic_write
from .batch_schedule import BatchSchedule
from .callback import Callback


class BackupAndRestore(Callback):
    """Backs up the training state so a `fit` that was interrupted can carry on.

    At the end of every epoch (or every `save_freq` batches) it writes the model's weights and
    optimizer state (`model.save_weights`, Keras 3 `.weights.h5`) and the epoch number to
    `backup_dir`. When `fit` starts again with this callback, it loads them and tells `fit` to
    continue at the first unfinished epoch. After a `fit` that completes, the backup is deleted
    (unless `delete_checkpoint=False`): only the callback's four files (`latest.weights.h5`,
    `training_metadata.json` and their previous copies `_latest.weights.h5`,
    `_training_metadata.json`) are removed, then `backup_dir` itself if it is left empty, so a
    `backup_dir` shared with other files (even `"."`) keeps them.

    Each backup first copies the current pair to the previous copies; once the new pair is
    written they are removed again unless `double_checkpoint=True`, so between backups the
    directory holds Keras 3's two files (four with `double_checkpoint`).

    Every file is written atomically (a temp file renamed over the old one), the weights first,
    then the metadata, which records the epoch and the weights' SHA-256. On restore the newest
    pair whose metadata reads and whose weights match and load is used: if the latest pair is
    damaged or incomplete the previous one is used (with a warning, at most one backup
    interval is redone); if no pair can be used, a warning names the files and training
    starts from epoch 0, as if there were no backup (the files are replaced at the next
    backup). Keras 3 falls back to the previous copy only for an `OSError`; here any
    unreadable copy (truncated HDF5, empty JSON) counts.

    Args:
        backup_dir: a directory used only by this callback.
        save_freq: `"epoch"`, or an int: back up every that many training batches.
        double_checkpoint: keep the previous backup beside the latest one.
        delete_checkpoint: delete the backup once training finishes.

    >>> import minikeras as keras
    >>> backup = keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    """

    def __init__(
        self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not isinstance(save_freq, int):  # Keras 3's check
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq!r}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = os.path.join(self.backup_dir, "_latest.weights.h5")
        self._prev_metadata_path = os.path.join(self.backup_dir, "_training_metadata.json")
        self._current_epoch = 0
        self._schedule = BatchSchedule(save_freq)

    # -- restore --------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self.resume_epoch = None  # set below when a backup is restored; `fit` reads it
        model = self.model
        if not model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model '{model.name}' is unbuilt. You can build it beforehand by "
                "calling it on a batch of data (or by starting it with keras.Input)."
            )
        pairs = [
            (self._weights_path, self._metadata_path),
            (self._prev_weights_path, self._prev_metadata_path),
        ]
        problems = []
        for weights_path, metadata_path in pairs:
            if not (os.path.exists(weights_path) or os.path.exists(metadata_path)):
                continue
            try:
                epoch = self._restore(weights_path, metadata_path)
            except (OSError, ValueError, KeyError, TypeError) as e:  # a damaged or partial copy
                problems.append(f"{weights_path} / {metadata_path}: {type(e).__name__}: {e}")
                continue
            if problems:
                warnings.warn(
                    "BackupAndRestore: the latest backup could not be used ("
                    + "; ".join(problems)
                    + f"); resuming from the previous one at epoch {epoch}.",
                    stacklevel=2,
                )
            self.resume_epoch = epoch
            return
        if problems:
            warnings.warn(
                f"BackupAndRestore: no backup in {self.backup_dir!r} could be restored ("
                + "; ".join(problems)
                + "). Training starts from epoch 0 with the model's current weights; the "
                "damaged backup files are replaced at the next backup.",
                stacklevel=2,
            )

    def _restore(self, weights_path, metadata_path):
        """Loads one (weights, metadata) pair; returns its epoch or raises if it is unusable."""
        with open(metadata_path) as f:  # read first: a damaged pair must not touch the model
            meta = json.load(f)
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("epoch"), int)
            or meta["epoch"] < 0
        ):
            raise ValueError(f"the metadata has no valid 'epoch' (received {meta!r})")
        digest = meta.get("weights_sha256")
        if digest is not None and _sha256(weights_path) != digest:
            # the weights were replaced but the run stopped before their metadata was written
            raise ValueError("the weights file does not belong to this metadata")
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and not optimizer.built:
            optimizer.build(self.model.trainable_weights)  # its slots must exist to be loaded
        self.model.load_weights(weights_path)  # assigns nothing unless the whole file fits
        return meta["epoch"]

    # -- back up --------------------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._schedule.end_epoch()
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch" and self._schedule.due(batch):
            self._save()

    def _save(self):
        if not data_parallel.is_chief():  # keras.distribution: rank 0 writes the backups
            return
        os.makedirs(self.backup_dir, exist_ok=True)
        # keep the previous pair until the new one is complete; every file is replaced
        # atomically, the weights before the metadata that names their hash
        for src, dst in (
            (self._weights_path, self._prev_weights_path),
            (self._metadata_path, self._prev_metadata_path),
        ):
            if os.path.exists(src):
                with atomic_write(dst) as tmp:
                    shutil.copyfile(src, tmp)
        self.model.save_weights(self._weights_path, overwrite=True)
        meta = {
            "epoch": self._current_epoch,
            "batch": self._schedule.last_batch,
            "weights_sha256": _sha256(self._weights_path),
        }
        with atomic_write(self._metadata_path) as tmp:
            with open(tmp, "w") as f:
                json.dump(meta, f)
        if not self.double_checkpoint:  # the new pair is complete: Keras keeps only it
            for path in (self._prev_weights_path, self._prev_metadata_path):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)

    def on_train_end(self, logs=None):
        if not data_parallel.is_chief():
            return
        # a finished run's backup is complete: the previous pair goes; with
        # delete_checkpoint=False the latest pair stays, the two files Keras 3 leaves
        paths = (
            [] if self.double_checkpoint else [self._prev_weights_path, self._prev_metadata_path]
        )
        if self.delete_checkpoint:
            paths = [self._weights_path, self._metadata_path]
            paths += [self._prev_weights_path, self._prev_metadata_path]
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        if not self.delete_checkpoint:
            return
        # the directory goes only if nothing else is in it (never "." or a user's folder)
        with contextlib.suppress(OSError):
            if os.path.abspath(self.backup_dir) != os.getcwd():
                os.rmdir(self.backup_dir)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
