"""Fixtures shared by the callback tests: a tiny linear-regression model and its data, and a
callback that writes a scripted value into the epoch logs (so stopping rules can be checked
against hand-computed epochs)."""

import numpy as np
import pytest

import minikeras as keras


class Scripted(keras.callbacks.Callback):
    """Sets `logs[key] = values[epoch]` at each epoch end (place it before the callback under
    test: callbacks run in list order and share the logs dict)."""

    def __init__(self, key, values):
        super().__init__()
        self.key, self.values = key, list(values)

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]


class WeightsRecorder(keras.callbacks.Callback):
    """Keeps a copy of the model's weights at every epoch end, by epoch index."""

    def __init__(self):
        super().__init__()
        self.by_epoch = {}

    def on_epoch_end(self, epoch, logs=None):
        self.by_epoch[epoch] = [w.copy() for w in self.model.get_weights()]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
    return x, y


@pytest.fixture
def make_model():
    def make(lr=0.05, optimizer=None, metrics=None, seed=0):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        opt = optimizer if optimizer is not None else keras.optimizers.SGD(learning_rate=lr)
        model.compile(optimizer=opt, loss="mse", metrics=metrics)
        return model

    return make


@pytest.fixture
def scripted():
    return Scripted


@pytest.fixture
def recorder():
    return WeightsRecorder
