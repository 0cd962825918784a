"""ModelCheckpoint: file names (Keras `str.format` fields, epoch 1-based), save_best_only
decisions, batch-level saving, extension rules; real files once minikeras.saving exists."""

import importlib.util
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.callbacks import ModelCheckpoint


def _has_saving():
    try:
        return importlib.util.find_spec("minikeras.saving.api") is not None
    except ImportError:
        return False


needs_saving = pytest.mark.skipif(not _has_saving(), reason="minikeras.saving not written yet")


def spy(model):
    """Replaces model.save/save_weights by recorders that touch the file."""
    calls = []

    def record(kind):
        def fn(filepath, overwrite=True, **kwargs):
            calls.append((kind, filepath))
            open(filepath, "w").close()

        return fn

    model.save = record("save")
    model.save_weights = record("save_weights")
    return calls


def fit(model, data, callbacks, epochs=3, **kw):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks, **kw
    )


def test_epoch_and_log_fields_in_filename(make_model, data, tmp_path, scripted):
    model = make_model()
    calls = spy(model)
    path = str(tmp_path / "ck-{epoch:02d}-{score:.2f}.keras")
    fit(model, data, [scripted("score", [0.5, 0.25, 0.125]), ModelCheckpoint(path)])
    names = [os.path.basename(p) for _, p in calls]
    assert names == ["ck-01-0.50.keras", "ck-02-0.25.keras", "ck-03-0.12.keras"]
    assert all(kind == "save" for kind, _ in calls)


def test_save_weights_only_calls_save_weights(make_model, data, tmp_path):
    model = make_model()
    calls = spy(model)
    path = str(tmp_path / "w{epoch}.weights.h5")
    fit(model, data, [ModelCheckpoint(path, save_weights_only=True)], epochs=2)
    assert calls == [
        ("save_weights", str(tmp_path / "w1.weights.h5")),
        ("save_weights", str(tmp_path / "w2.weights.h5")),
    ]


def test_creates_missing_directories(make_model, data, tmp_path):
    model = make_model()
    spy(model)
    path = tmp_path / "a" / "b" / "m.keras"
    fit(model, data, [ModelCheckpoint(str(path))], epochs=1)
    assert path.exists()


def test_save_best_only_min(make_model, data, tmp_path, scripted):
    model = make_model()
    calls = spy(model)
    path = str(tmp_path / "m{epoch}.keras")
    ck = ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
    fit(model, data, [scripted("val_loss", [3, 2, 2.5, 1, 1]), ck], epochs=5)
    assert [os.path.basename(p) for _, p in calls] == ["m1.keras", "m2.keras", "m4.keras"]
    assert ck.best == 1


def test_save_best_only_auto_max_for_accuracy(make_model, data, tmp_path, scripted):
    model = make_model(metrics=["accuracy"])  # "auto" reads the compiled metric's direction
    calls = spy(model)
    ck = ModelCheckpoint(
        str(tmp_path / "m{epoch}.keras"), monitor="val_accuracy", save_best_only=True
    )
    fit(model, data, [scripted("val_accuracy", [0.5, 0.4, 0.6, 0.6]), ck], epochs=4)
    assert [os.path.basename(p) for _, p in calls] == ["m1.keras", "m3.keras"]


def test_initial_value_threshold(make_model, data, tmp_path, scripted):
    model = make_model()
    calls = spy(model)
    ck = ModelCheckpoint(
        str(tmp_path / "m{epoch}.keras"),
        monitor="score",
        mode="min",
        save_best_only=True,
        initial_value_threshold=1.5,
    )
    fit(model, data, [scripted("score", [3, 2, 1.0, 1.2]), ck], epochs=4)
    assert [os.path.basename(p) for _, p in calls] == ["m3.keras"]


def test_save_best_only_without_monitor_warns_and_saves(make_model, data, tmp_path):
    model = make_model()
    calls = spy(model)
    ck = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_loss", save_best_only=True)
    with pytest.warns(UserWarning, match="val_loss"):
        fit(model, data, [ck], epochs=2)
    assert len(calls) == 2


def test_integer_save_freq_counts_batches(make_model, data, tmp_path):
    model = make_model()
    calls = spy(model)
    # 16 samples / batch 4 = 4 batches per epoch; 3 epochs = 12 batches; every 5 -> 2 saves
    ck = ModelCheckpoint(str(tmp_path / "m-{epoch}-{batch}.keras"), save_freq=5)
    x, y = data
    model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, callbacks=[ck])
    # 5th batch = epoch 2, batch 1 (1-based); 10th batch = epoch 3, batch 2
    assert [os.path.basename(p) for _, p in calls] == ["m-2-1.keras", "m-3-2.keras"]


def test_verbose_messages(make_model, data, tmp_path, scripted, capsys):
    model = make_model()
    spy(model)
    ck = ModelCheckpoint(
        str(tmp_path / "m.keras"), monitor="score", mode="min", save_best_only=True, verbose=1
    )
    fit(model, data, [scripted("score", [2.0, 3.0]), ck], epochs=2)
    out = capsys.readouterr().out
    assert "Epoch 1: score improved from None to 2.00000, saving model to" in out
    assert "Epoch 2: score did not improve from 2.00000" in out


@pytest.mark.parametrize(
    "path,weights_only",
    [
        ("model.h5.weights", True),
        ("model.keras", True),
        ("model.h5", True),
        ("model.weights", False),
        ("model.txt", False),
        ("model", False),
    ],
)
def test_extension_rules(path, weights_only):
    with pytest.raises(ValueError, match="must end in"):
        ModelCheckpoint(path, save_weights_only=weights_only)


@pytest.mark.parametrize(
    "path,weights_only",
    [
        ("model.weights.h5", True),
        ("model.keras", False),
        ("model.h5", False),
        ("m.weights.h5", False),
    ],
)
def test_accepted_extensions(path, weights_only):
    ModelCheckpoint(path, save_weights_only=weights_only)


def test_bad_save_freq():
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint("m.keras", save_freq="batch")


def test_unknown_format_key_raises_keyerror(make_model, data, tmp_path):
    model = make_model()
    spy(model)
    with pytest.raises(KeyError, match="nope"):
        fit(model, data, [ModelCheckpoint(str(tmp_path / "m{nope}.keras"))], epochs=1)


@needs_saving
def test_real_weights_checkpoint_holds_best_epoch(make_model, data, tmp_path, scripted, recorder):
    rec = recorder()
    path = str(tmp_path / "best.weights.h5")
    model = make_model()
    ck = ModelCheckpoint(
        path, monitor="score", mode="min", save_best_only=True, save_weights_only=True
    )
    fit(model, data, [scripted("score", [3, 1, 2]), rec, ck], epochs=3)
    fresh = make_model(seed=1)
    fresh.load_weights(path)
    for got, want in zip(fresh.get_weights(), rec.by_epoch[1]):
        np.testing.assert_array_equal(got, want)


@needs_saving
def test_real_full_model_checkpoints(make_model, data, tmp_path):
    model = make_model()
    fit(model, data, [ModelCheckpoint(str(tmp_path / "m{epoch}.keras"))], epochs=2)
    assert sorted(os.listdir(tmp_path)) == ["m1.keras", "m2.keras"]
    loaded = keras.saving.load_model(str(tmp_path / "m2.keras"))
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)


# -- the template is checked before training (reliability issue, item 9) --------------------------


@pytest.mark.parametrize(
    "template, error, words",
    [
        ("m-{val_los:.2f}.keras", KeyError, "val_los"),  # a typo of val_loss
        ("m-{epoch.keras", ValueError, "not a valid format string"),
        ("m-{loss:d}.keras", ValueError, "Unknown format code 'd'"),
        ("m-{}.keras", ValueError, "positional"),
    ],
)
def test_bad_template_fails_before_the_first_epoch(
    make_model, data, tmp_path, template, error, words
):
    """Keras 3 formats `filepath` only when the first checkpoint is written, so a typo costs
    a whole epoch (or a long run with `save_best_only`). It is now checked in
    `on_train_begin`: the error names the template, and no batch was trained (the optimizer's
    iteration count is still 0)."""
    model = make_model(metrics=["mae"])
    calls = spy(model)
    ck = ModelCheckpoint(str(tmp_path / template))
    with pytest.raises(error, match=words) as info:
        fit(model, data, [ck], epochs=2, validation_data=data)
    assert template in str(info.value)
    assert calls == []
    assert int(np.asarray(model.optimizer.iterations.data)) == 0  # no batch was trained


def test_known_keys_pass_the_check(make_model, data, tmp_path):
    """`epoch`, `loss`, compiled metric names and their `val_` forms are accepted (as Keras
    fills them from the logs)."""
    model = make_model(metrics=["mae"])
    calls = spy(model)
    path = str(tmp_path / "m-{epoch:02d}-{loss:.1f}-{mae:.1f}-{val_mae:.1f}-{val_loss:.1f}.keras")
    fit(model, data, [ModelCheckpoint(path)], epochs=2, validation_data=data)
    assert len(calls) == 2 and os.path.basename(calls[0][1]).startswith("m-01-")


def test_custom_train_step_keys_are_not_checked(data, tmp_path):
    """A model overriding `train_step` may log any key (as keras-io's GAN examples do): only
    syntax is checked, and the key is filled from the logs as in Keras."""

    class Custom(keras.Model):
        def train_step(self, data):
            logs = super().train_step(data)
            return {**logs, "g_loss": 0.25}

    inputs = keras.Input((3,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    calls = spy(model)
    fit(model, data, [ModelCheckpoint(str(tmp_path / "m-{g_loss:.2f}.keras"))], epochs=1)
    assert [os.path.basename(p) for _, p in calls] == ["m-0.25.keras"]
