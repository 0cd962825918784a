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


def test_flatten_follows_the_global_image_data_format():
    # keras.io eeg_bci_ssvepformer sets keras.backend.set_image_data_format("channels_first");
    # Keras 3.15.1's Flatten() then moves the channel axis last: [0, 4, 8, 1, 5, 9] for the
    # first row of arange(24).reshape(2, 3, 4) (minikeras flattened as channels-last)
    x = np.arange(24.0, dtype="float32").reshape(2, 3, 4)
    keras.backend.set_image_data_format("channels_first")
    try:
        layer = keras.layers.Flatten()
        out = np.asarray(layer(x))
    finally:
        keras.backend.set_image_data_format("channels_last")
    assert layer.data_format == "channels_first"
    np.testing.assert_array_equal(out[0, :6], [0, 4, 8, 1, 5, 9])
    assert keras.layers.Flatten().data_format == "channels_last"
