"""RandomColorDegeneration: `clip(x + u (grey(x) - x))` per image (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomColorDegeneration"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: fixed draws 0.4 and -0.9 (clipped), explicit factors."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_numpy_reference():
    x = np.random.default_rng(0).uniform(0, 255, (4, 3, 3, 3)).astype("float32")
    layer = keras.layers.RandomColorDegeneration(0.8, seed=2)
    t = layer.get_random_transformation(x)
    assert t["factor"].shape == (4, 1, 1, 1) and np.abs(t["factor"]).max() <= 0.8
    grey = (x @ np.array([0.2989, 0.5870, 0.1140], "float32"))[..., None]
    expected = np.clip(x + t["factor"] * (grey - x), 0, 255)
    np.testing.assert_allclose(
        np.asarray(layer.transform_images(x, t)), expected, rtol=1e-5, atol=1e-3
    )


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomColorDegeneration,
        {"factor": (0.3, 0.3)},
        input_shape=(2, 3, 3, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 3),
    )
    assert keras.layers.RandomColorDegeneration(0.5).get_config()["factor"] == (-0.5, 0.5)
    with pytest.raises(ValueError, match="3 channels"):
        keras.layers.RandomColorDegeneration(0.5)(np.zeros((1, 2, 2, 1)), training=True)
