"""RandomSharpness: `x + (1 - 2u) * (smooth(x) - x)` with PIL's SMOOTH kernel (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


def _smooth(x):
    """3 x 3 [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13, zero padded, per image and channel."""
    p = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    h, w = x.shape[1:3]
    total = sum(p[:, i : i + h, j : j + w] for i in range(3) for j in range(3))
    return (total + 4 * x) / 13.0


@pytest.mark.parametrize("pair", cases("RandomSharpness"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: fixed draws 0.2 and 0.9, and explicit factors 0 and 1."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_numpy_reference():
    x = np.random.default_rng(0).uniform(0, 255, (3, 4, 5, 2)).astype("float32")
    layer = keras.layers.RandomSharpness(0.9, seed=1)
    t = layer.get_random_transformation(x)
    assert t["factor"].shape == (3,) and np.all((t["factor"] >= 0) & (t["factor"] <= 0.9))
    s = 2 * t["factor"].reshape(-1, 1, 1, 1)
    expected = np.clip(x + (1 - s) * (_smooth(x) - x), 0, 255)
    np.testing.assert_allclose(
        np.asarray(layer.transform_images(x, t)), expected, rtol=1e-4, atol=1e-3
    )


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 4, 4, 2))
    run_layer_test(
        keras.layers.RandomSharpness,
        {"factor": (0.3, 0.3), "value_range": (0, 1)},
        input_data=x,
        call_kwargs={"training": True},
        expected_output_shape=(2, 4, 4, 2),
    )
    assert keras.layers.RandomSharpness(0.4).get_config()["factor"] == (0.0, 0.4)
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomSharpness(1.4)
