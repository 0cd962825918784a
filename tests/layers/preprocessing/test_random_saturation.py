"""RandomSaturation: HSV saturation times `u / (1 - u)`, clipped to value_range (Keras 3)."""

import colorsys

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


def _reference(x, factors, high):
    """colorsys per pixel (the standard library's HSV), independent of minikeras's ops."""
    out = np.empty_like(x, dtype=np.float64)
    for i, f in enumerate(factors):
        for idx in np.ndindex(x.shape[1:3]):
            h, s, v = colorsys.rgb_to_hsv(*x[i][idx].astype(np.float64))
            out[i][idx] = colorsys.hsv_to_rgb(h, min(max(s * f, 0.0), high), v)
    return out


@pytest.mark.parametrize("pair", cases("RandomSaturation"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: fixed draws (0.3, 0.8, and 0 -> grey) and explicit factors."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-4, atol=1e-3)


def test_numpy_reference():
    x = np.random.default_rng(0).uniform(0, 1, (3, 3, 4, 3)).astype("float32")
    layer = keras.layers.RandomSaturation((0.2, 0.6), value_range=(0, 1), seed=4)
    t = layer.get_random_transformation(x)
    assert t["factor"].shape == (3,)
    assert np.all((t["factor"] >= 0.2 / 0.8 - 1e-6) & (t["factor"] <= 0.6 / 0.4 + 1e-6))
    y = np.asarray(layer.transform_images(x, t))
    np.testing.assert_allclose(y, _reference(x, t["factor"], 1.0), rtol=1e-4, atol=1e-5)
    half = keras.layers.RandomSaturation((0.5, 0.5), value_range=(0, 1))
    np.testing.assert_allclose(np.asarray(half(x, training=True)), x, atol=1e-5)  # no-op


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.1, 0.9, (2, 3, 3, 3))
    run_layer_test(
        keras.layers.RandomSaturation,
        {"factor": (0.3, 0.3), "value_range": (0, 1)},
        input_data=x,
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 3, 3),
    )
    config = keras.layers.RandomSaturation(0.5).get_config()
    assert config["factor"] == (-0.5, 0.5) and config["value_range"] == [0, 255]  # as Keras
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomSaturation(2.0)
