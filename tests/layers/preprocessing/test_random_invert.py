"""RandomInvert: `value_range[1] - x` where a uniform draw falls below p ~ U(factor)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomInvert"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: always, never, and explicit choices."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-4)


def test_probability_and_numpy_reference():
    x = np.random.default_rng(0).uniform(0, 255, (2000, 1, 1, 1)).astype("float32")
    layer = keras.layers.RandomInvert(seed=3)  # p ~ U(0, 1): half the images on average
    t = layer.get_random_transformation(x)
    assert 0.45 < t["apply_inversion"].mean() < 0.55
    expected = np.where(t["apply_inversion"].reshape(-1, 1, 1, 1), 255 - x, x)
    np.testing.assert_allclose(np.asarray(layer.transform_images(x, t)), expected)


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomInvert,
        {"factor": (1.0, 1.0), "value_range": (0, 1)},
        input_shape=(2, 3, 3, 1),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 1),
    )
    assert keras.layers.RandomInvert(0.5).get_config()["factor"] == (0.0, 0.5)
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomInvert(2.0)
