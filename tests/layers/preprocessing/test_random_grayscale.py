"""RandomGrayscale: converted images hold the luma in every channel (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomGrayscale"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs with factor 0 / 1 and an explicit per-image choice."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-4)


def test_numpy_reference_and_probability():
    x = np.random.default_rng(0).uniform(0, 255, (400, 1, 1, 3)).astype("float32")
    layer = keras.layers.RandomGrayscale(0.25, seed=2)
    t = layer.get_random_transformation(x)
    assert t.shape == (400, 1, 1, 1) and t.dtype == bool
    assert 0.15 < t.mean() < 0.35
    luma = x @ np.array([0.2989, 0.5870, 0.1140], "float32")
    expected = np.where(t, np.repeat(luma[..., None], 3, -1), x)
    np.testing.assert_allclose(np.asarray(layer.transform_images(x, t)), expected, rtol=1e-5)


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomGrayscale,
        {"factor": 1.0},
        input_shape=(2, 3, 3, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 3),
    )
    assert keras.layers.RandomGrayscale(0.3).get_config()["factor"] == 0.3
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomGrayscale(1.5)
