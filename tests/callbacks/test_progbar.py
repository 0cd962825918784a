"""`ProgbarLogger` (minikeras/callbacks/progbar.py): Keras 3's takes no arguments and counts
steps; Keras 2's `count_mode="samples"` used to be accepted and ignored, now it raises."""

import pytest

import minikeras as keras


def test_count_mode_other_than_steps_raises():
    keras.callbacks.ProgbarLogger(count_mode="steps")
    with pytest.raises(ValueError, match="count_mode='samples'"):
        keras.callbacks.ProgbarLogger(count_mode="samples")
