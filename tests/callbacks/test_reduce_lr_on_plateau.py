"""ReduceLROnPlateau: when (hand-computed epochs) and by how much the learning rate drops."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.callbacks import ReduceLROnPlateau


def lr_of(model):
    return float(np.asarray(model.optimizer.learning_rate.data))


def fit(model, data, callbacks, epochs, **kw):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks, **kw
    )


def test_reduces_after_patience(make_model, data, scripted):
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=2)
    h = fit(model, data, [scripted("score", [1.0] * 5), cb], epochs=5)
    # e0 sets best; e1 wait 1; e2 wait 2 -> 0.05; e3 wait 1; e4 wait 2 -> 0.025
    np.testing.assert_allclose(lr_of(model), 0.025, rtol=1e-6)
    # logs carry the rate in force during each epoch (read before the reduction)
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.1, 0.1, 0.05, 0.05], rtol=1e-6)


def test_improvement_resets_wait(make_model, data, scripted):
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=2, min_delta=0.0)
    fit(model, data, [scripted("score", [5, 5, 4, 4, 3, 3]), cb], epochs=6)
    np.testing.assert_allclose(lr_of(model), 0.1, rtol=1e-6)


def test_min_delta_is_a_threshold(make_model, data, scripted):
    # drops of 0.05 do not count with min_delta=0.1: e1 and e2 are non-improvements
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=2, min_delta=0.1)
    fit(model, data, [scripted("score", [1.0, 0.95, 0.9]), cb], epochs=3)
    np.testing.assert_allclose(lr_of(model), 0.05, rtol=1e-6)


def test_min_lr_is_a_floor(make_model, data, scripted):
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.1, patience=1, min_lr=0.005)
    fit(model, data, [scripted("score", [1.0] * 5), cb], epochs=5)
    # e1 -> 0.01, e2 -> max(0.001, 0.005) = 0.005, then lr == min_lr: no further change
    np.testing.assert_allclose(lr_of(model), 0.005, rtol=1e-6)


def test_cooldown(make_model, data, scripted):
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=1, cooldown=2)
    fit(model, data, [scripted("score", [1.0] * 6), cb], epochs=6)
    # reductions at e1, e3, e5 (each followed by cooldown epochs that count down)
    np.testing.assert_allclose(lr_of(model), 0.1 * 0.5**3, rtol=1e-6)
    model = make_model(lr=0.1)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=1)
    fit(model, data, [scripted("score", [1.0] * 6), cb], epochs=6)
    np.testing.assert_allclose(lr_of(model), 0.1 * 0.5**5, rtol=1e-6)


def test_max_mode_for_accuracy(make_model, data, scripted):
    model = make_model(lr=0.1, metrics=["accuracy"])  # "auto" reads the compiled metric
    cb = ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=1)
    fit(model, data, [scripted("val_accuracy", [0.1, 0.2, 0.3, 0.4]), cb], epochs=4)
    np.testing.assert_allclose(lr_of(model), 0.1, rtol=1e-6)  # rising accuracy: no reduction


def test_reduced_rate_drives_the_update(make_model, data, scripted, recorder):
    """After the rate drops to 0 (min_lr 0, factor 0) SGD stops moving the weights."""
    rec = recorder()
    model = make_model(lr=0.05)
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.0, patience=1)
    fit(model, data, [scripted("score", [1.0] * 4), cb, rec], epochs=4)
    assert lr_of(model) == 0.0
    assert not np.allclose(rec.by_epoch[0][0], rec.by_epoch[1][0])  # e1 trained at 0.05
    for a, b in zip(rec.by_epoch[2], rec.by_epoch[3]):  # e2, e3 ran at lr 0
        np.testing.assert_array_equal(a, b)


def test_missing_monitor_warns(make_model, data):
    model = make_model(lr=0.1)
    with pytest.warns(UserWarning, match="val_loss"):
        fit(model, data, [ReduceLROnPlateau(patience=0)], epochs=2)
    np.testing.assert_allclose(lr_of(model), 0.1, rtol=1e-6)


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(factor=1.0)


def test_verbose_message(make_model, data, scripted, capsys):
    cb = ReduceLROnPlateau(monitor="score", mode="min", factor=0.5, patience=1, verbose=1)
    fit(make_model(lr=0.1), data, [scripted("score", [1.0, 1.0]), cb], epochs=2)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05" in capsys.readouterr().out


def test_defaults_match_keras():
    cb = ReduceLROnPlateau()
    assert (
        cb.monitor,
        cb.factor,
        cb.patience,
        cb.verbose,
        cb.mode,
        cb.min_delta,
        cb.cooldown,
        cb.min_lr,
    ) == ("val_loss", 0.1, 10, 0, "auto", 1e-4, 0, 0.0)
    assert isinstance(cb, keras.callbacks.Callback)
