import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_flatten_row_major():
    layer, _ = run_layer_test(
        keras.layers.Flatten, {}, input_shape=(2, 3, 4, 5), expected_output_shape=(2, 60)
    )
    x = randn(2, 3, 4, 5, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x.reshape(2, -1))


def test_flatten_channels_first_moves_channels_last():
    layer, _ = run_layer_test(
        keras.layers.Flatten,
        {"data_format": "channels_first"},
        input_shape=(2, 3, 4, 5),
        expected_output_shape=(2, 60),
    )
    x = randn(2, 3, 4, 5, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x.transpose(0, 2, 3, 1).reshape(2, -1))


def test_flatten_1d_input_and_symbolic_shapes():
    np.testing.assert_array_equal(
        np.asarray(keras.layers.Flatten()(np.array([1.0, 2.0], "float32"))), [[1.0], [2.0]]
    )
    assert keras.layers.Flatten()(keras.Input((10, 64))).shape == (None, 640)
    assert keras.layers.Flatten().compute_output_shape((None, None, 3)) == (None, None)
    with pytest.raises(ValueError, match="data_format"):
        keras.layers.Flatten(data_format="nchw")
