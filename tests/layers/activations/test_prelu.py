import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_prelu_weight_shape_and_math():
    layer, _ = run_layer_test(
        keras.layers.PReLU,
        {"alpha_initializer": "random_normal"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
    )
    (alpha,) = layer.get_weights()
    assert alpha.shape == (3, 4) and layer.weights[0].name == "alpha"
    x = randn(2, 3, 4, seed=3, dtype="float32")
    np.testing.assert_allclose(np.asarray(layer(x)), np.where(x >= 0, x, alpha * x), rtol=1e-6)


def test_prelu_default_alpha_is_zero_so_it_starts_as_relu():
    x = randn(2, 5, dtype="float32")
    np.testing.assert_allclose(np.asarray(keras.layers.PReLU()(x)), np.maximum(x, 0))


def test_prelu_shared_axes():
    layer, _ = run_layer_test(
        keras.layers.PReLU,
        {"shared_axes": [1, 2], "alpha_initializer": "ones"},
        input_shape=(2, 3, 3, 4),
        expected_output_shape=(2, 3, 3, 4),
    )
    assert layer.get_weights()[0].shape == (1, 1, 4)
    assert keras.layers.PReLU(shared_axes=1).get_config()["shared_axes"] == [1]


def test_prelu_checks_input_shape_after_build():
    layer = keras.layers.PReLU(name="act")
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="act"):
        layer(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match="shared_axes"):
        keras.layers.PReLU(shared_axes=[3])(np.ones((1, 3), "float32"))
