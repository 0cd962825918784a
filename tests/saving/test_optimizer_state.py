"""Training resumed from a saved file continues bit for bit like uninterrupted training."""

import numpy as np
import pytest

import minikeras as keras

X = np.random.default_rng(0).standard_normal((48, 6)).astype("float32")
Y = np.random.default_rng(1).standard_normal((48, 2)).astype("float32")

OPTIMIZERS = {
    "adam": lambda: keras.optimizers.Adam(0.01),
    "sgd_momentum": lambda: keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    "rmsprop_centered": lambda: keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    "adamw_amsgrad": lambda: keras.optimizers.AdamW(0.01, amsgrad=True),
}


def _model(optimizer):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    return model


def _second_half(model):
    keras.utils.set_random_seed(7)  # the same shuffling for both runs
    model.fit(X, Y, epochs=2, batch_size=16, verbose=0)


@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
@pytest.mark.parametrize("fname", ["m.keras", "m.h5", "w.weights.h5"])
def test_resumed_training_is_bit_identical(tmp_path, opt, fname):
    straight = _model(OPTIMIZERS[opt]())
    straight.fit(X, Y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    _second_half(straight)

    first = _model(OPTIMIZERS[opt]())
    first.fit(X, Y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    if fname == "w.weights.h5":  # weights + optimizer state into a freshly compiled model
        first.save_weights(tmp_path / fname)
        resumed = _model(OPTIMIZERS[opt]())
        resumed.load_weights(tmp_path / fname)
    else:
        first.save(tmp_path / fname)
        resumed = keras.models.load_model(tmp_path / fname)
    assert int(np.asarray(resumed.optimizer.iterations)) == 6
    for a, b in zip(first.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    _second_half(resumed)
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_untrained_optimizer_state(tmp_path):
    """Saved before the first step: only iteration and learning_rate exist (spec 2.5)."""
    model = _model(keras.optimizers.Adam(0.02))
    model.save(tmp_path / "m.h5")
    model.save(tmp_path / "m.keras")
    for fname in ("m.h5", "m.keras"):
        loaded = keras.models.load_model(tmp_path / fname)
        assert int(np.asarray(loaded.optimizer.iterations)) == 0
        np.testing.assert_allclose(
            float(np.asarray(loaded.optimizer.learning_rate)), 0.02, rtol=1e-6
        )
        loaded.fit(X, Y, epochs=1, batch_size=16, verbose=0)


def test_mismatching_optimizer_state_is_skipped_with_a_warning(tmp_path):
    model = _model(keras.optimizers.Adam())
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _model(keras.optimizers.SGD(momentum=0.9))
    other.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    with pytest.warns(UserWarning, match="Skipping optimizer state"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(model.get_weights(), other.get_weights()):  # the weights still load
        np.testing.assert_array_equal(a, b)
