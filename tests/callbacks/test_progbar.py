"""`ProgbarLogger` (minikeras/callbacks/progbar.py): Keras 3's takes no arguments and counts
steps; Keras 2's `count_mode="samples"` used to be accepted and ignored, now it raises."""

import pytest

import minikeras as keras


def test_count_mode_other_than_steps_raises():
    keras.callbacks.ProgbarLogger(count_mode="steps")
    with pytest.raises(ValueError, match="count_mode='samples'"):
        keras.callbacks.ProgbarLogger(count_mode="samples")


def test_fit_progress_goes_to_the_logger_when_interactive_logging_is_off(capsys, caplog):
    """Keras 3: after `keras.config.disable_interactive_logging()` fit's progress lines go to
    (absl) logging instead of stdout; minikeras sends them to the `"minikeras"` logger."""
    import logging

    import numpy as np

    import minikeras as keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((8, 3), "float32")
    keras.config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="minikeras"):
            model.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=2)
    finally:
        keras.config.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "minikeras"]
    assert messages[0] == "Epoch 1/2" and messages[2] == "Epoch 2/2"
    assert messages[1].startswith("2/2 - ") and "loss: " in messages[1]
