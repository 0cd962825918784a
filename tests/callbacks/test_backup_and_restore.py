"""BackupAndRestore: an interrupted fit resumes at the first unfinished epoch with the weights
and optimizer state of the last completed one, and ends exactly where an uninterrupted run
ends. The mechanism tests use an in-test stand-in for save_weights/load_weights (a pickle of
the model's and optimizer's arrays); the `needs_saving` tests use the real `.weights.h5`."""

import importlib.util
import json
import os
import pickle

import numpy as np
import pytest

import minikeras as keras
from minikeras.callbacks import BackupAndRestore, Callback


def _has_saving():
    try:
        return importlib.util.find_spec("minikeras.saving.api") is not None
    except ImportError:
        return False


needs_saving = pytest.mark.skipif(not _has_saving(), reason="minikeras.saving not written yet")


class Interrupt(Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise RuntimeError("Interrupting!")


def pickle_saving(model):
    """Stand-in for the saving API: model weights + optimizer variables in a pickle."""

    def save_weights(filepath, overwrite=True, **kw):
        opt = [np.array(v.data) for v in model.optimizer.variables] if model.optimizer.built else []
        with open(filepath, "wb") as f:
            pickle.dump({"model": model.get_weights(), "optimizer": opt}, f)

    def load_weights(filepath, **kw):
        with open(filepath, "rb") as f:
            state = pickle.load(f)
        model.set_weights(state["model"])
        for v, a in zip(model.optimizer.variables, state["optimizer"]):
            v.assign(a)

    model.save_weights = save_weights
    model.load_weights = load_weights
    return model


def adam_model(seed, fake_saving):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return pickle_saving(model) if fake_saving else model


def fit(model, data, callbacks, epochs=6):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=4, shuffle=False, verbose=0, callbacks=callbacks
    )


def check_resume_matches_uninterrupted(data, tmp_path, fake_saving):
    reference = adam_model(0, fake_saving)
    fit(reference, data, [])

    backup_dir = str(tmp_path / "backup")
    first = adam_model(0, fake_saving)
    with pytest.raises(RuntimeError, match="Interrupting"):
        fit(first, data, [BackupAndRestore(backup_dir), Interrupt(at_epoch=3)])
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        assert json.load(f)["epoch"] == 3  # epochs 0, 1, 2 completed

    # a new process: fresh model (other initial weights), fresh unbuilt optimizer
    second = adam_model(1, fake_saving)
    h = fit(second, data, [BackupAndRestore(backup_dir)])
    assert h.epoch == [3, 4, 5]
    assert int(np.asarray(second.optimizer.iterations.data)) == 6 * 4  # 6 epochs x 4 batches
    for got, want in zip(second.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert not os.path.exists(backup_dir)  # deleted after a completed fit


def test_resume_matches_uninterrupted_run(data, tmp_path):
    check_resume_matches_uninterrupted(data, tmp_path, fake_saving=True)


@needs_saving
def test_resume_matches_uninterrupted_run_real_files(data, tmp_path):
    check_resume_matches_uninterrupted(data, tmp_path, fake_saving=False)


def test_restores_state_of_last_completed_epoch(data, tmp_path):
    backup_dir = str(tmp_path / "b")
    model = adam_model(0, True)
    weights = {}
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: weights.__setitem__(e, model.get_weights())
    )
    with pytest.raises(RuntimeError):
        fit(model, data, [BackupAndRestore(backup_dir), record, Interrupt(at_epoch=2)])
    fresh = adam_model(5, True)
    at_start = []
    grab = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: at_start.append(
            (fresh.get_weights(), int(np.asarray(fresh.optimizer.iterations.data)))
        )
    )
    fit(fresh, data, [BackupAndRestore(backup_dir), grab], epochs=3)
    restored, iterations = at_start[0]
    assert iterations == 2 * 4
    for got, want in zip(restored, weights[1]):
        np.testing.assert_array_equal(got, want)


def test_no_backup_starts_from_scratch(make_model, data, tmp_path):
    model = pickle_saving(make_model())
    h = fit(model, data, [BackupAndRestore(str(tmp_path / "b"))], epochs=2)
    assert h.epoch == [0, 1]


def test_keep_checkpoint(make_model, data, tmp_path):
    backup_dir = tmp_path / "b"
    model = pickle_saving(make_model())
    fit(model, data, [BackupAndRestore(str(backup_dir), delete_checkpoint=False)], epochs=2)
    # Keras 3 leaves its two files; the previous copies go once the run has finished
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    with open(backup_dir / "training_metadata.json") as f:
        assert json.load(f)["epoch"] == 2
    # a later fit with the same backup resumes after the last epoch: nothing left to run
    h = fit(model, data, [BackupAndRestore(str(backup_dir))], epochs=2)
    assert h.epoch == []


def test_batch_level_backup(make_model, data, tmp_path):
    backup_dir = tmp_path / "b"
    model = pickle_saving(make_model())
    saves = []
    cb = BackupAndRestore(str(backup_dir), save_freq=3, delete_checkpoint=False)
    original = cb._save
    cb._save = lambda: (saves.append(1), original())
    fit(model, data, [cb], epochs=2)  # 8 batches -> backups after batches 3 and 6
    assert len(saves) == 2


def test_fit_without_callback_after_resume_uses_initial_epoch(make_model, data, tmp_path):
    backup_dir = str(tmp_path / "b")
    model = pickle_saving(make_model())
    with pytest.raises(RuntimeError):
        fit(model, data, [BackupAndRestore(backup_dir), Interrupt(at_epoch=1)], epochs=3)
    assert fit(model, data, [BackupAndRestore(backup_dir)], epochs=3).epoch == [1, 2]
    assert fit(model, data, [], epochs=2).epoch == [0, 1]  # the resume point does not linger


def test_unbuilt_model_raises(data, tmp_path):
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="must be built"):
        fit(model, data, [BackupAndRestore(str(tmp_path / "b"))], epochs=1)


def test_argument_checks():
    with pytest.raises(ValueError, match="backup_dir"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore("/tmp/x", save_freq="batch")


# -- only its own files; recovery from damaged copies (reliability issue, item 3) -----------------


def test_delete_removes_only_its_own_files(make_model, data, tmp_path, monkeypatch):
    """With `backup_dir="."` Keras 3 (and this callback before) removed the whole working
    directory at the end of `fit`. Only the callback's four files go; other files, and the
    directory, stay."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text("print('my script')")
    model = pickle_saving(make_model())
    fit(model, data, [BackupAndRestore(".")], epochs=2)
    assert os.listdir(tmp_path) == ["train.py"]

    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "notes.txt").write_text("mine")
    fit(model, data, [BackupAndRestore(str(shared))], epochs=2)
    assert os.listdir(shared) == ["notes.txt"]


def _interrupted_backup(data, tmp_path):
    """Backups after epochs 0, 1, 2 (real files): latest pair = epoch 3, previous = epoch 2
    (kept between backups with double_checkpoint=True, as Keras 3)."""
    backup_dir = tmp_path / "backup"
    backup = BackupAndRestore(str(backup_dir), double_checkpoint=True)
    with pytest.raises(RuntimeError, match="Interrupting"):
        fit(adam_model(0, False), data, [backup, Interrupt(3)])
    return backup_dir


def _resume_matches_reference(data, backup_dir):
    reference = adam_model(0, False)
    fit(reference, data, [])
    second = adam_model(1, False)
    h = fit(second, data, [BackupAndRestore(str(backup_dir), double_checkpoint=True)])
    for got, want in zip(second.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    return h


@needs_saving
@pytest.mark.parametrize("damage", ["empty_metadata", "truncated_weights", "foreign_weights"])
def test_damaged_latest_copy_falls_back_to_previous(data, tmp_path, damage):
    """Keras 3 means to fall back to the previous copy when the latest is damaged, but catches
    only OSError: an empty metadata JSON (JSONDecodeError) or a truncated `.weights.h5`
    (ValueError from the loader) ended every later `fit`. A weights file newer than its
    metadata (a run stopped between the two writes) would resume with the wrong epoch. Each
    now resumes, with a warning, from the previous pair (epoch 2) and ends exactly where an
    uninterrupted run ends."""
    backup_dir = _interrupted_backup(data, tmp_path)
    latest_w, latest_m = backup_dir / "latest.weights.h5", backup_dir / "training_metadata.json"
    if damage == "empty_metadata":
        latest_m.write_text("")
    elif damage == "truncated_weights":
        latest_w.write_bytes(latest_w.read_bytes()[:300])
    else:
        latest_w.write_bytes((backup_dir / "_latest.weights.h5").read_bytes())
    with pytest.warns(UserWarning, match="resuming from the previous one at epoch 2"):
        h = _resume_matches_reference(data, backup_dir)
    assert h.epoch == [2, 3, 4, 5]
    assert not backup_dir.exists()


@needs_saving
def test_nothing_usable_warns_and_starts_fresh(data, tmp_path):
    backup_dir = _interrupted_backup(data, tmp_path)
    (backup_dir / "training_metadata.json").write_text("")
    (backup_dir / "_training_metadata.json").write_text("{not json")
    model = adam_model(1, False)
    with pytest.warns(UserWarning, match="starts from epoch 0"):
        h = fit(model, data, [BackupAndRestore(str(backup_dir))], epochs=2)
    assert h.epoch == [0, 1]


def test_metadata_write_is_atomic(make_model, data, tmp_path, monkeypatch):
    """A failure while writing the metadata (disk full) leaves the previous metadata whole;
    before, the file was truncated first and every later `fit` failed on the empty JSON."""
    import minikeras.callbacks.backup_and_restore as bar

    backup_dir = tmp_path / "b"
    real_dump = json.dump
    calls = []

    def failing_dump(obj, f, **kw):
        calls.append(obj["epoch"])
        if obj["epoch"] == 2:
            f.write('{"epo')
            raise OSError(28, "No space left on device")
        real_dump(obj, f, **kw)

    monkeypatch.setattr(bar.json, "dump", failing_dump)
    model = pickle_saving(make_model())
    with pytest.raises(OSError, match="No space"):
        fit(model, data, [BackupAndRestore(str(backup_dir))], epochs=3)
    monkeypatch.setattr(bar.json, "dump", real_dump)
    with open(backup_dir / "training_metadata.json") as f:
        assert json.load(f)["epoch"] == 1
    assert not [n for n in os.listdir(backup_dir) if n.endswith(".tmp")]


def test_fit_resumes_from_the_callbacks_resume_epoch_not_a_model_attribute(data, tmp_path):
    """Keras 3 resumes at the epoch after the last backup (its BackupAndRestore writes
    `model._initial_epoch`, which its fit reads). minikeras passes the epoch through the
    callback's documented `resume_epoch` instead: the model carries no `_initial_epoch` or
    `_nan_loss`, and the callbacks' params hold nothing but what fit documents."""
    backup_dir = str(tmp_path / "b")
    with pytest.raises(RuntimeError):
        fit(adam_model(0, True), data, [BackupAndRestore(backup_dir), Interrupt(at_epoch=2)])
    seen_params = []

    class Params(Callback):
        def on_test_begin(self, logs=None):
            seen_params.append(dict(self.params))

    model = adam_model(1, True)
    restore = BackupAndRestore(backup_dir)
    x, y = data
    h = model.fit(
        x,
        y,
        epochs=3,
        batch_size=4,
        verbose=0,
        validation_data=(x, y),
        callbacks=[restore, Params()],
    )
    assert h.epoch == [2] and restore.resume_epoch == 2
    assert not hasattr(model, "_initial_epoch") and not hasattr(model, "_nan_loss")
    assert seen_params and all("_in_fit" not in p for p in seen_params)
    # a plain callback never resumes: fit keeps its initial_epoch
    assert Callback().resume_epoch is None


def test_without_double_checkpoint_only_the_latest_pair_stays(make_model, data, tmp_path):
    # Keras 3 writes the previous copies only with double_checkpoint=True
    backup_dir = tmp_path / "b"
    with pytest.raises(RuntimeError, match="Interrupting"):
        fit(make_model(), data, [BackupAndRestore(str(backup_dir)), Interrupt(2)], epochs=4)
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
