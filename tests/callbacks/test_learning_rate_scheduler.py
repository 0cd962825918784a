"""LearningRateScheduler: schedule(epoch, lr) sets the rate at each epoch's start."""

import numpy as np
import pytest

from minikeras.callbacks import LearningRateScheduler


def lr_of(model):
    return float(np.asarray(model.optimizer.learning_rate.data))


def fit(model, data, callbacks, epochs):
    x, y = data
    return model.fit(
        x, y, epochs=epochs, batch_size=8, shuffle=False, verbose=0, callbacks=callbacks
    )


def test_schedule_of_epoch_and_lr(make_model, data):
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, round(lr, 6)))
        return lr if epoch < 2 else lr * 0.5

    model = make_model(lr=0.1)
    h = fit(model, data, [LearningRateScheduler(schedule)], epochs=4)
    assert seen == [(0, 0.1), (1, 0.1), (2, 0.1), (3, 0.05)]
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.1, 0.05, 0.025], rtol=1e-6)
    np.testing.assert_allclose(lr_of(model), 0.025, rtol=1e-6)


def test_schedule_of_epoch_only(make_model, data):
    model = make_model(lr=0.1)
    h = fit(model, data, [LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))], epochs=3)
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.05, 0.1 / 3], rtol=1e-6)


def test_zero_rate_freezes_weights(make_model, data, recorder):
    rec = recorder()
    model = make_model(lr=0.1)
    fit(model, data, [LearningRateScheduler(lambda e, lr: 0.05 if e < 2 else 0.0), rec], epochs=4)
    assert not np.allclose(rec.by_epoch[0][0], rec.by_epoch[1][0])
    for a, b in zip(rec.by_epoch[1], rec.by_epoch[3]):
        np.testing.assert_array_equal(a, b)


def test_numpy_scalar_output_accepted(make_model, data):
    model = make_model(lr=0.1)
    fit(model, data, [LearningRateScheduler(lambda e, lr: np.float32(0.02))], epochs=1)
    np.testing.assert_allclose(lr_of(model), 0.02, rtol=1e-6)


@pytest.mark.parametrize("bad", ["0.1", None, [0.1]])
def test_non_float_output_raises(make_model, data, bad):
    with pytest.raises(ValueError, match="should be a float"):
        fit(make_model(), data, [LearningRateScheduler(lambda e, lr: bad)], epochs=1)


def test_verbose(make_model, data, capsys):
    fit(make_model(), data, [LearningRateScheduler(lambda e, lr: 0.25, verbose=1)], epochs=1)
    assert (
        "Epoch 1: LearningRateScheduler setting learning rate to 0.25." in capsys.readouterr().out
    )
