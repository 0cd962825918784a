"""RandomElasticTransform: alpha = 0.1 d max(h, w), sigma = 0.05 d min(h, w), d ~ U(scale),
applied with probability U(factor), then clipped to value_range (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import check_grad, run_layer_test


@pytest.mark.parametrize("pair", cases("RandomElasticTransform"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1: with factor 0 no image is distorted but all are clipped to value_range
    (its random fields cannot be matched; `test_image_warp.py` checks the op's recipe)."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-4)


def test_parameters_follow_keras():
    x = np.random.default_rng(0).uniform(0, 255, (4, 20, 30, 2)).astype("float32")
    layer = keras.layers.RandomElasticTransform(factor=(0.5, 0.5), scale=(0.4, 0.8), seed=1)
    t = layer.get_random_transformation(x, seed=3)
    d, on = float(t["distortion_factor"]), t["apply_transform"]
    assert 0.4 <= d <= 0.8 and on.dtype == bool
    y = layer.transform_images(x, t).numpy()
    expected = keras.ops.image.elastic_transform(
        x, 0.1 * d * 30, 0.05 * d * 20, seed=t["seed"]
    ).numpy()
    np.testing.assert_allclose(y[on], np.clip(expected, 0, 255)[on], atol=1e-4)
    np.testing.assert_array_equal(y[~on], x[~on])
    assert keras.layers.RandomElasticTransform(scale=0.0).get_random_transformation(x) is None


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 8, 8, 2))
    run_layer_test(
        keras.layers.RandomElasticTransform,
        {"factor": 0.5, "value_range": (0, 1)},
        input_data=x,
        expected_output_shape=(2, 8, 8, 2),
    )
    layer = keras.layers.RandomElasticTransform(value_range=(-9, 9))
    t = {
        "apply_transform": np.array([True, False]),
        "distortion_factor": np.float32(0.7),
        "seed": 5,
    }
    check_grad(lambda v: layer.transform_images(v, t), x)
    config = keras.layers.RandomElasticTransform(0.3, scale=0.6).get_config()
    assert config["factor"] == (0.0, 0.3) and config["scale"] == (0.0, 0.6)
    assert (config["fill_mode"], config["value_range"]) == ("reflect", (0, 255))
    with pytest.raises(NotImplementedError, match="fill_mode"):
        keras.layers.RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match="scale"):
        keras.layers.RandomElasticTransform(scale=2.0)
