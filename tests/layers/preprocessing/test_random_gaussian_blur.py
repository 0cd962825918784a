"""RandomGaussianBlur: blur with probability U(factor), one (sigma_x, sigma_y) ~ U(sigma) + 1e-6
per batch, then a clip to value_range (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import check_grad, run_layer_test


@pytest.mark.parametrize("pair", cases("RandomGaussianBlur"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 outputs: always / never blurred with a fixed sigma, kernel sizes 3, 5,
    (3, 5), (5, 3), channels first, explicit per-image choices and sigmas, clipping."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def _blur(img, sx, sy):
    g = lambda s: np.exp(-0.5 * (np.arange(3) - 1.0) ** 2 / s**2)  # noqa: E731
    k = np.outer(g(sy) / g(sy).sum(), g(sx) / g(sx).sum())
    p = np.pad(img, ((1, 1), (1, 1), (0, 0)))
    return sum(
        k[i, j] * p[i : i + img.shape[0], j : j + img.shape[1]] for i in range(3) for j in range(3)
    )


def test_numpy_reference():
    x = np.random.default_rng(0).uniform(0, 255, (6, 4, 5, 2)).astype("float32")
    layer = keras.layers.RandomGaussianBlur(factor=0.7, sigma=(0.3, 0.9), seed=1)
    t = layer.get_random_transformation(x)
    assert t["should_apply_blur"].dtype == bool and t["blur_factor"].shape == (2,)
    assert np.all((t["blur_factor"] >= 0.3) & (t["blur_factor"] <= 0.9 + 1e-5))
    sx, sy = t["blur_factor"]
    expected = np.stack(
        [_blur(img, sx, sy) if on else img for img, on in zip(x, t["should_apply_blur"])]
    )
    np.testing.assert_allclose(
        layer.transform_images(x, t).numpy(), np.clip(expected, 0, 255), rtol=1e-5, atol=1e-3
    )


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 5, 5, 2))
    run_layer_test(
        keras.layers.RandomGaussianBlur,
        {"factor": 1.0, "value_range": (0, 1)},
        input_data=x,
        expected_output_shape=(2, 5, 5, 2),
    )
    layer = keras.layers.RandomGaussianBlur(kernel_size=(3, 5), value_range=(-9, 9))
    t = {"should_apply_blur": np.array([True, False]), "blur_factor": np.array([0.6, 1.1])}
    check_grad(lambda v: layer.transform_images(v, t), x)
    config = keras.layers.RandomGaussianBlur(0.5, kernel_size=5, sigma=0.8).get_config()
    assert (config["factor"], config["kernel_size"], config["sigma"]) == (
        (0.0, 0.5),
        (5, 5),
        (0.0, 0.8),
    )
    assert config["value_range"] == (0, 255)
    with pytest.raises(ValueError, match="kernel_size"):
        keras.layers.RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match="sigma"):
        keras.layers.RandomGaussianBlur(sigma=2.0)  # Keras bounds sigma to [0, 1]
