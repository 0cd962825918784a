"""Tests for minikeras/layers/preprocessing/clahe.py against Keras 3.15.1 (jax;
api16a_misc_k3.npz): default tiles with padding, no clipping with a 3x2 grid, a [0, 1] value
range, channels_first; inference behaviour, config and saving (run_layer_test)."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras")
DATA = np.load(os.path.join(HERE, "api16a_misc_k3.npz"))
CASES = json.loads(str(DATA["clahe_configs"]))
CLAHE = keras.layers.ContrastLimitedAdaptiveHistogramEqualization


@pytest.mark.parametrize("key", sorted(CASES))
def test_matches_keras3(key):
    config = CASES[key]
    x = DATA["clahe_images"]
    x = x / np.float32(255.0) if "value_range" in config else x
    if config.get("data_format") == "channels_first":
        x = np.moveaxis(x, -1, 1)
    out = CLAHE(**config)(x.astype("float32")).numpy()
    scale = 1.0 if "value_range" in config else 255.0
    np.testing.assert_allclose(out, DATA[f"clahe_{key}"], rtol=0, atol=1e-6 * scale)


def test_layer_and_inference():
    """Keras 3.15.1's transform_images ignores `training`: the equalization runs in predict."""
    x = np.random.default_rng(0).integers(0, 256, (2, 8, 8, 1)).astype("float32")
    run_layer_test(
        CLAHE,
        {"tile_grid_size": (2, 2)},
        input_data=x,
        expected_output_shape=(2, 8, 8, 1),
        check_gradients=False,  # a lookup of integer pixel values, as Keras's
    )
    layer = CLAHE(tile_grid_size=(2, 2))
    np.testing.assert_array_equal(layer(x, training=False).numpy(), layer(x).numpy())
    assert not np.array_equal(layer(x).numpy(), x)


def test_config_as_keras():
    config = CLAHE().get_config()
    assert config["value_range"] == (0, 255) and config["clip_limit"] == 4.0
    assert config["tile_grid_size"] == (8, 8) and config["data_format"] == "channels_last"
    assert "seed" not in config
