import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test


def test_dense_basics():
    layer, out = run_layer_test(keras.layers.Dense, {"units": 3, "activation": "tanh"},
                                input_shape=(4, 5), expected_output_shape=(4, 3),
                                expected_num_trainable_weights=2)
    k, b = layer.get_weights()
    x = np.asarray(layer(np.ones((1, 5), "float32")))
    np.testing.assert_allclose(x, np.tanh(np.ones((1, 5)) @ k + b), rtol=1e-6)


def test_dense_3d_input():
    run_layer_test(keras.layers.Dense, {"units": 2}, input_shape=(2, 3, 4),
                   expected_output_shape=(2, 3, 2))


def test_dense_wrong_input_dim_names_layer():
    layer = keras.layers.Dense(2, name="head")
    layer(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match="head.*expected axis -1.*value 4.*\\(1, 5\\)"):
        layer(np.ones((1, 5), "float32"))


def test_dense_bad_units():
    with pytest.raises(ValueError, match="units"):
        keras.layers.Dense(0)
