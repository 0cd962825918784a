"""RandomBrightness: `clip(x + u * (high - low), low, high)` per image (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomBrightness"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs for fixed draws and explicit `rgb_delta`s."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-4)


def test_numpy_reference_and_draw_range():
    x = np.random.default_rng(0).uniform(0, 1, (5, 3, 4, 3)).astype("float32")
    layer = keras.layers.RandomBrightness((-0.5, 0.2), value_range=(1, 0), seed=1)  # sorted
    assert layer.value_range == [0, 1] and layer.factor == (-0.5, 0.2)
    t = layer.get_random_transformation(x)
    assert t["rgb_delta"].shape == (5, 1, 1, 1)
    assert np.all((t["rgb_delta"] >= -0.5) & (t["rgb_delta"] <= 0.2))
    y = np.asarray(layer.transform_images(x, t))
    np.testing.assert_allclose(y, np.clip(x + t["rgb_delta"], 0, 1), rtol=1e-6)
    scaled = keras.layers.RandomBrightness((0.1, 0.1), value_range=(0, 255))
    delta = scaled.get_random_transformation(x)["rgb_delta"]
    assert float(delta[0, 0, 0, 0]) == pytest.approx(25.5)


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomBrightness,
        {"factor": (0.1, 0.1), "value_range": (-9, 9)},
        input_shape=(2, 3, 3, 2),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 2),
    )
    config = keras.layers.RandomBrightness(0.2, seed=3).get_config()
    assert config["factor"] == (-0.2, 0.2) and config["value_range"] == [0, 255]  # as Keras
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomBrightness(1.2)
    with pytest.raises(ValueError, match="value_range"):
        keras.layers.RandomBrightness(0.2, value_range=(0, 1, 2))
