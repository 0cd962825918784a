"""A diverging fit emits no numpy floating-point RuntimeWarnings (Keras's backends compute inf
and NaN silently); the NaN shows in the logs instead."""

import warnings

import numpy as np

import minikeras as keras


def test_diverging_fit_is_silent_and_logs_nan():
    x = np.full((8, 2), 1e30, "float32")
    y = np.full((8, 1), -1e30, "float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(1e10), "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        model.evaluate(x, y, verbose=0)
        model.predict(x, verbose=0)
        model.train_on_batch(x, y)
    assert not np.isfinite(history.history["loss"][-1])
    # numpy's own setting is untouched outside the steps
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.float32(1e30) * np.float32(1e30)
    assert any(issubclass(w.category, RuntimeWarning) for w in caught)
