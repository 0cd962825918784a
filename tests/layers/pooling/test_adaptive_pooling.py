"""Tests for minikeras/layers/pooling/adaptive_pooling.py: shapes, config and gradients
(run_layer_test: .keras/.h5/.weights.h5 round trips), and Keras 3.15.1's config and numbers."""

import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test

LAYERS = [
    ("AdaptiveAveragePooling1D", 3, (2, 7, 3), (2, 3, 3)),
    ("AdaptiveAveragePooling2D", (3, 2), (2, 5, 7, 3), (2, 3, 2, 3)),
    ("AdaptiveAveragePooling3D", 2, (1, 3, 4, 5, 2), (1, 2, 2, 2, 2)),
    ("AdaptiveMaxPooling1D", 4, (2, 7, 3), (2, 4, 3)),
    ("AdaptiveMaxPooling2D", (3, 2), (2, 5, 7, 3), (2, 3, 2, 3)),
    ("AdaptiveMaxPooling3D", (2, 1, 3), (1, 3, 4, 5, 2), (1, 2, 1, 3, 2)),
]


@pytest.mark.parametrize("name,size,shape,expected", LAYERS)
def test_layer(name, size, shape, expected):
    run_layer_test(
        getattr(keras.layers, name),
        {"output_size": size},
        input_shape=shape,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )


def test_channels_first_matches_the_op():
    x = np.random.default_rng(0).normal(size=(2, 3, 7, 9)).astype("float32")
    layer = keras.layers.AdaptiveMaxPooling2D((3, 4), data_format="channels_first")
    np.testing.assert_array_equal(
        np.asarray(layer(x)),
        np.asarray(keras.ops.adaptive_max_pool(x, (3, 4), data_format="channels_first")),
    )
    assert layer.compute_output_shape((None, 3, 7, 9)) == (None, 3, 3, 4)


def test_config_as_keras():
    """Keras 3.15.1 (observed): output_size stored as a tuple, data_format resolved."""
    config = keras.layers.AdaptiveMaxPooling1D(3).get_config()
    assert config["output_size"] == (3,) and config["data_format"] == "channels_last"
    assert keras.layers.AdaptiveAveragePooling3D((2, 3, 1)).get_config()["output_size"] == (2, 3, 1)
    with pytest.raises(TypeError, match="AdaptiveMaxPooling2D.*output_size=\\(1, 2, 3\\)"):
        keras.layers.AdaptiveMaxPooling2D((1, 2, 3))


def test_values_match_keras():
    """1-D windows [floor(i n / m), ceil((i + 1) n / m)): Keras 3.15.1 torch gives, for
    arange(7) pooled to 3, averages [1, 3, 5] and maxima [2, 4, 6] (observed)."""
    x = np.arange(7.0, dtype="float32").reshape(1, 7, 1)
    avg = keras.layers.AdaptiveAveragePooling1D(3)(x)
    mx = keras.layers.AdaptiveMaxPooling1D(3)(x)
    np.testing.assert_allclose(np.asarray(avg).ravel(), [1.0, 3.0, 5.0])
    np.testing.assert_allclose(np.asarray(mx).ravel(), [2.0, 4.0, 6.0])
