"""Solarization: `y = clip(x + a, 0, 255)`, inverted where `y >= t` (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("Solarization"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: the defaults (everything inverted) and explicit draws."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_numpy_reference_and_draw_ranges():
    x = np.random.default_rng(0).uniform(0, 1, (50, 2, 2, 3)).astype("float32")
    layer = keras.layers.Solarization(0.2, (0.4, 0.6), value_range=(0, 1), seed=5)
    assert layer.addition_factor == (0, 0.2) and layer.threshold_factor == (0.4, 0.6)
    t = layer.get_random_transformation(x)
    assert t["additions"].shape == t["thresholds"].shape == (50, 1, 1, 1)
    assert t["additions"].min() >= 0 and t["additions"].max() <= 0.2 * 255
    assert t["thresholds"].min() >= 0.4 and t["thresholds"].max() <= 0.6 * 255  # as Keras
    y = np.clip(x * 255 + t["additions"], 0, 255)
    expected = np.where(y < t["thresholds"], y, 255 - y) / 255
    np.testing.assert_allclose(np.asarray(layer.transform_images(x, t)), expected, atol=1e-5)


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.Solarization,
        {"value_range": (-1, 1)},
        input_shape=(2, 3, 3, 1),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 1),
    )
    config = keras.layers.Solarization(0.1, 0.5).get_config()
    assert config["addition_factor"] == (0, 0.1) and config["threshold_factor"] == (0, 0.5)
    with pytest.raises(ValueError, match="addition_factor"):
        keras.layers.Solarization(addition_factor=1.5)
