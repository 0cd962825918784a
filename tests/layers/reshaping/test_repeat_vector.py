import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_repeat_vector():
    layer, _ = run_layer_test(
        keras.layers.RepeatVector, {"n": 3}, input_shape=(2, 4), expected_output_shape=(2, 3, 4)
    )
    x = randn(2, 4, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), np.repeat(x[:, None, :], 3, axis=1))
    assert keras.layers.RepeatVector(3)(keras.Input((32,))).shape == (None, 3, 32)


def test_repeat_vector_errors():
    with pytest.raises(TypeError, match="n"):
        keras.layers.RepeatVector(2.5)
    with pytest.raises(ValueError, match="rv.*ndim=2"):
        keras.layers.RepeatVector(2, name="rv")(np.ones((2, 3, 4), "float32"))
