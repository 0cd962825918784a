import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_leaky_relu_default_slope_is_keras3_layer_default():
    layer, _ = run_layer_test(
        keras.layers.LeakyReLU, {}, input_shape=(2, 5), expected_output_shape=(2, 5)
    )
    assert layer.negative_slope == 0.3
    x = randn(2, 5, seed=2, dtype="float32")
    np.testing.assert_allclose(np.asarray(layer(x)), np.where(x >= 0, x, 0.3 * x), rtol=1e-6)


def test_leaky_relu_documented_example_and_keras2_alpha():
    x = np.array([-10, -5, 0.0, 5, 10], "float32")
    out = keras.layers.LeakyReLU(negative_slope=0.5)(x)
    np.testing.assert_allclose(np.asarray(out), [-5.0, -2.5, 0.0, 5.0, 10.0])
    legacy = keras.layers.LeakyReLU.from_config({"name": "lr", "trainable": True, "alpha": 0.1})
    assert legacy.negative_slope == 0.1
    assert legacy.get_config()["negative_slope"] == 0.1


def test_leaky_relu_rejects_negative_slope():
    with pytest.raises(ValueError, match="negative_slope"):
        keras.layers.LeakyReLU(-0.1)
