"""RandomHue: hue shifted by `sign * u / 2` turns in [0, 1] pixel space (Keras 3)."""

import colorsys

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomHue"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs for explicit shifts (the sign is random in every call)."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-4, atol=1e-2)


def test_numpy_reference_and_draws():
    x = np.random.default_rng(0).uniform(0, 255, (200, 1, 2, 3)).astype("float32")
    layer = keras.layers.RandomHue(0.6, seed=3)
    assert layer.factor == (0.0, 0.6)
    t = layer.get_random_transformation(x)
    assert t["factor"].shape == (200,) and np.abs(t["factor"]).max() <= 0.3
    assert (t["factor"] < 0).any() and (t["factor"] > 0).any()  # both directions
    y = np.asarray(layer.transform_images(x, t))
    expected = np.empty(x.shape)
    for i, shift in enumerate(t["factor"]):
        for j in range(2):
            h, s, v = colorsys.rgb_to_hsv(*(x[i, 0, j].astype(np.float64) / 255))
            expected[i, 0, j] = np.array(colorsys.hsv_to_rgb((h + shift) % 1.0, s, v)) * 255
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=2e-3)


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.1, 0.9, (2, 3, 3, 3))
    layer, _ = run_layer_test(
        keras.layers.RandomHue,
        {"factor": 0.2, "value_range": (0, 1)},
        input_data=x,
        expected_output_shape=(2, 3, 3, 3),
    )
    assert layer.get_config()["value_range"] == [0, 1]
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomHue(-0.2)
