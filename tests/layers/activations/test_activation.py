import numpy as np

import minikeras as keras
from helpers import randn, run_layer_test


def test_activation_by_name_matches_numpy():
    layer, out = run_layer_test(
        keras.layers.Activation,
        {"activation": "tanh"},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )
    x = randn(2, 3, dtype="float32")
    np.testing.assert_allclose(np.asarray(layer(x)), np.tanh(x), rtol=1e-6)
    assert layer.get_config()["activation"] == "tanh"


def test_activation_callable_and_mask_passthrough():
    layer = keras.layers.Activation(keras.activations.relu)
    x = np.array([[-1.0, 2.0]], "float32")
    np.testing.assert_allclose(np.asarray(layer(x)), [[0.0, 2.0]])
    emb = keras.layers.Embedding(3, 2, mask_zero=True)(np.array([[0, 1]]))
    np.testing.assert_array_equal(np.asarray(layer(emb)._keras_mask), [[False, True]])
