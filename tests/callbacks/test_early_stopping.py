"""EarlyStopping: stopping epochs hand-computed from Keras 3's documented rule (wait counts
epochs without improvement; stop when wait >= patience at epoch > 0)."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.callbacks import EarlyStopping


def fit(model, data, callbacks, epochs=10, **kw):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks, **kw
    )


def test_patience_counts_epochs_without_improvement(make_model, data, scripted):
    # best 5 (e0), 4 (e1); e2 4.5 -> wait 1; e3 4.2 -> wait 2 >= 2: stop after epoch 3
    stop = EarlyStopping(monitor="score", patience=2, mode="min")
    h = fit(make_model(), data, [scripted("score", [5, 4, 4.5, 4.2, 3, 2, 1, 0, 0, 0]), stop])
    assert h.epoch == [0, 1, 2, 3]
    assert stop.stopped_epoch == 3
    assert stop.best == 4 and stop.best_epoch == 1


def test_patience_zero_stops_at_first_non_improvement(make_model, data, scripted):
    stop = EarlyStopping(monitor="score", mode="min")
    h = fit(make_model(), data, [scripted("score", [3, 2, 2, 1] + [0] * 6), stop])
    assert len(h.history["loss"]) == 3  # epoch 2 repeats 2: no strict improvement


def test_min_delta(make_model, data, scripted):
    # 0.95 is not below 1.0 - 0.1, so epoch 1 does not improve; patience 1 -> stop at epoch 1
    stop = EarlyStopping(monitor="score", min_delta=0.1, patience=1, mode="min")
    h = fit(make_model(), data, [scripted("score", [1.0, 0.95, 0.5, 0.1] + [0] * 6), stop])
    assert h.epoch == [0, 1]
    # without min_delta the same values keep improving
    stop = EarlyStopping(monitor="score", patience=1, mode="min")
    h = fit(make_model(), data, [scripted("score", [1.0, 0.95, 0.5, 0.1, 0.1] + [0] * 5), stop])
    assert h.epoch == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "name,metrics",
    [("val_accuracy", ["accuracy"]), ("accuracy", ["accuracy"]), ("val_AUC", ["AUC"])],
)
def test_auto_mode_maximises_compiled_up_metrics(make_model, data, scripted, name, metrics):
    stop = EarlyStopping(monitor=name, patience=1)
    model = make_model(metrics=metrics)
    h = fit(model, data, [scripted(name, [0.5, 0.6, 0.7, 0.6, 0.65] + [0.9] * 5), stop])
    assert h.epoch == [0, 1, 2, 3]  # rising values improve; the first drop stops it


@pytest.mark.parametrize("name", ["val_accuracy", "acc", "score", "val_a_loss"])
def test_auto_mode_needs_loss_or_a_compiled_metric(make_model, data, scripted, name):
    # Keras 3: in "auto" mode only `loss` and compiled metrics with a direction are known
    stop = EarlyStopping(monitor=name, patience=1)
    with pytest.raises(ValueError, match=f"monitor={name}.*mode='max'"):
        fit(make_model(), data, [scripted(name, [0.5] * 10), stop])


def test_auto_mode_minimises_loss_names(make_model, data, scripted):
    stop = EarlyStopping(monitor="val_loss", patience=1)
    h = fit(make_model(), data, [scripted("val_loss", [0.5, 0.6] + [0.1] * 8), stop])
    assert h.epoch == [0, 1]


def test_explicit_max_mode(make_model, data, scripted):
    stop = EarlyStopping(monitor="score", patience=1, mode="max")
    h = fit(make_model(), data, [scripted("score", [1, 2, 3, 2] + [9] * 6), stop])
    assert h.epoch == [0, 1, 2, 3]


def test_baseline_keeps_wait_growing_until_beaten(make_model, data, scripted):
    values = [0.9, 0.95, 0.97] + [0.99] * 7
    # with baseline 0.5 the improvement at epoch 0 does not reset wait: wait hits 2 at epoch 1
    stop = EarlyStopping(monitor="score", patience=2, mode="min", baseline=0.5)
    assert fit(make_model(), data, [scripted("score", values), stop]).epoch == [0, 1]
    stop = EarlyStopping(monitor="score", patience=2, mode="min")
    assert fit(make_model(), data, [scripted("score", values), stop]).epoch == [0, 1, 2]


def test_start_from_epoch_ignores_warm_up(make_model, data, scripted):
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    stop = EarlyStopping(monitor="score", mode="min", start_from_epoch=3)
    # epochs 0-2 ignored; epoch 3 sets best=4; epoch 4 (5) does not improve -> stop
    assert fit(make_model(), data, [scripted("score", values), stop]).epoch == [0, 1, 2, 3, 4]
    stop = EarlyStopping(monitor="score", mode="min")
    assert fit(make_model(), data, [scripted("score", values), stop]).epoch == [0, 1]


def test_restore_best_weights(make_model, data, scripted, recorder):
    rec = recorder()
    stop = EarlyStopping(
        monitor="score", patience=2, mode="min", restore_best_weights=True, verbose=0
    )
    model = make_model()
    h = fit(model, data, [scripted("score", [3, 1, 2, 2, 2, 0, 0, 0, 0, 0]), rec, stop])
    assert h.epoch == [0, 1, 2, 3]
    assert stop.best_epoch == 1
    for got, want in zip(model.get_weights(), rec.by_epoch[1]):
        np.testing.assert_array_equal(got, want)
    # the weights did change after epoch 1, so the restore is visible
    assert not np.allclose(rec.by_epoch[1][0], rec.by_epoch[3][0])


def test_without_restore_keeps_last_weights(make_model, data, scripted, recorder):
    rec = recorder()
    stop = EarlyStopping(monitor="score", patience=2, mode="min")
    model = make_model()
    fit(model, data, [scripted("score", [3, 1, 2, 2, 2, 0, 0, 0, 0, 0]), rec, stop])
    for got, want in zip(model.get_weights(), rec.by_epoch[3]):
        np.testing.assert_array_equal(got, want)


def test_restore_best_weights_with_start_from_epoch(make_model, data, scripted, recorder):
    # the first monitored epoch is the best until something beats it
    rec = recorder()
    stop = EarlyStopping(
        monitor="score", patience=1, mode="min", restore_best_weights=True, start_from_epoch=2
    )
    model = make_model()
    h = fit(model, data, [scripted("score", [0, 0, 5, 6] + [0] * 6), rec, stop])
    assert h.epoch == [0, 1, 2, 3]
    for got, want in zip(model.get_weights(), rec.by_epoch[2]):
        np.testing.assert_array_equal(got, want)


def test_real_loss_plateau_stops_training(make_model, data):
    # learning rate 0: the loss repeats exactly, so epoch 1 is the first non-improvement
    stop = EarlyStopping(monitor="loss", patience=1)
    h = fit(make_model(lr=0.0), data, [stop])
    assert h.epoch == [0, 1]
    assert h.history["loss"][0] == h.history["loss"][1]


def test_real_val_loss_with_improving_model_runs_all_epochs(make_model, data):
    x, y = data
    stop = EarlyStopping(patience=0)  # monitors val_loss
    h = make_model(lr=0.05).fit(
        x,
        y,
        epochs=4,
        batch_size=4,
        shuffle=False,
        verbose=0,
        validation_data=(x, y),
        callbacks=[stop],
    )
    assert np.all(np.diff(h.history["val_loss"]) < 0)  # a convex problem, small steps
    assert h.epoch == [0, 1, 2, 3]


def test_missing_monitor_warns_and_never_stops(make_model, data):
    stop = EarlyStopping(monitor="val_loss")
    with pytest.warns(UserWarning, match="val_loss"):
        h = fit(make_model(), data, [stop], epochs=3)
    assert h.epoch == [0, 1, 2]


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="unknown"):
        stop = EarlyStopping(mode="sideways")
    assert stop.mode == "auto"


def test_instance_is_reusable(make_model, data, scripted):
    stop = EarlyStopping(monitor="score", patience=1, mode="min")
    model = make_model()
    assert fit(model, data, [scripted("score", [3, 4] + [0] * 8), stop]).epoch == [0, 1]
    # a new fit starts from a fresh best, so 3 is an improvement again
    assert fit(model, data, [scripted("score", [3, 2, 2] + [0] * 7), stop]).epoch == [0, 1, 2]


def test_verbose_messages(make_model, data, scripted, capsys):
    stop = EarlyStopping(
        monitor="score", patience=1, mode="min", verbose=1, restore_best_weights=True
    )
    fit(make_model(), data, [scripted("score", [1, 2] + [0] * 8), stop])
    out = capsys.readouterr().out
    assert "Epoch 2: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 1." in out


def test_defaults_match_keras():
    stop = EarlyStopping()
    assert (stop.monitor, stop.min_delta, stop.patience, stop.verbose, stop.mode) == (
        "val_loss",
        0,
        0,
        0,
        "auto",
    )
    assert stop.baseline is None and stop.restore_best_weights is False
    assert stop.start_from_epoch == 0
    assert isinstance(stop, keras.callbacks.Callback)
