"""`BatchSchedule` (minikeras/callbacks/batch_schedule.py): the `save_freq=n` counter that
ModelCheckpoint and BackupAndRestore share. Keras 3's ModelCheckpoint counts the same way
(read in keras/src/callbacks/model_checkpoint.py, `_should_save_on_batch`): batches run on across
epochs, a batch index that did not grow starts a new epoch, and the count restarts after a save.
"""

import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras.callbacks.batch_schedule import BatchSchedule


def test_counts_across_epochs_and_restarts_after_each_save():
    schedule = BatchSchedule(3)
    epochs = [[0, 1], [0, 1], [0, 1], [0, 1]]  # 8 batches in epochs of 2
    due = [b for e, batches in enumerate(epochs) for b in batches if schedule.due(b)]
    assert due == [0, 1]  # the 3rd batch (epoch 1, batch 0) and the 6th (epoch 2, batch 1)


def test_both_callbacks_save_at_the_same_batches(tmp_path):
    x = np.ones((8, 2), "float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    saved = []

    class Recording(keras.callbacks.ModelCheckpoint):
        def _save_model(self, epoch, batch, logs):
            saved.append(("checkpoint", epoch, batch))

    class RecordingBackup(keras.callbacks.BackupAndRestore):
        def _save(self):
            saved.append(("backup", self._current_epoch, self._schedule.last_batch))

    callbacks = [
        Recording(str(tmp_path / "m.keras"), save_freq=3),
        RecordingBackup(str(tmp_path / "b"), save_freq=3),
    ]
    model.fit(x, x[:, :1], batch_size=4, epochs=3, verbose=0, callbacks=callbacks)
    assert [s[1:] for s in saved if s[0] == "checkpoint"] == [(1, 0), (2, 1)]
    assert [s[1:] for s in saved if s[0] == "backup"] == [(1, 0), (2, 1)]


def test_reduce_lr_on_plateau_is_a_monitor_callback():
    """Keras 3.15.1: ReduceLROnPlateau subclasses MonitorCallback (its unknown-mode warning is
    MonitorCallback's: "ReduceLROnPlateau mode 'up' is unknown, fallback to auto mode.") and
    an improvement must beat the best by more than min_delta in the monitored direction."""
    with pytest.warns(UserWarning, match="ReduceLROnPlateau mode 'up' is unknown, fallback"):
        cb = keras.callbacks.ReduceLROnPlateau(mode="up")
    assert isinstance(cb, keras.callbacks.MonitorCallback) and cb.mode == "auto"
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(1.0), "mse")
    cb = keras.callbacks.ReduceLROnPlateau("loss", factor=0.5, patience=1, min_delta=0.1)
    cb.set_model(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cb.on_train_begin()
        for epoch, loss in enumerate([1.0, 0.95, 0.8]):
            cb.on_epoch_end(epoch, {"loss": loss})
    # 0.95 is no improvement on 1.0 by more than 0.1: halved once; 0.8 is one
    assert float(np.asarray(model.optimizer.learning_rate)) == 0.5
    assert cb.best == 0.8
