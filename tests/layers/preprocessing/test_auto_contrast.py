"""AutoContrast: each channel stretched to the value range, at inference too (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("AutoContrast"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs, in training and inference calls."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_numpy_reference_and_constant_channels():
    x = np.random.default_rng(0).uniform(0.2, 0.7, (2, 3, 4, 3)).astype("float32")
    x[1, :, :, 2] = 0.5  # a constant channel stays as it is
    y = np.asarray(keras.layers.AutoContrast(value_range=(0, 1))(x))
    low, high = x.min(axis=(1, 2), keepdims=True), x.max(axis=(1, 2), keepdims=True)
    expected = np.where(high > low, (x - low) / np.where(high > low, high - low, 1), x)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    cf = keras.layers.AutoContrast(value_range=(0, 1), data_format="channels_first")
    np.testing.assert_allclose(
        np.moveaxis(np.asarray(cf(np.moveaxis(x, -1, 1))), 1, -1), y, rtol=1e-6
    )


def test_config_and_gradient():
    x = np.random.default_rng(1).uniform(0, 1, (2, 3, 3, 2))
    run_layer_test(
        keras.layers.AutoContrast,
        {"value_range": (0, 1)},
        input_data=x,
        expected_output_shape=(2, 3, 3, 2),
    )
    assert keras.layers.AutoContrast().get_config()["value_range"] == [0, 255]
