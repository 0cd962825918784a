"""RandomPerspective: corners moved by corner * U(-scale/2, scale/2), applied with
probability U(factor), resampled by `ops.image.perspective_transform` (Keras 3)."""

import numpy as np
import pytest
from augmentation2_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import check_grad, run_layer_test


@pytest.mark.parametrize("pair", cases("RandomPerspective"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15.1 outputs for explicit corners: bilinear / nearest, fill values, channels
    first, one image left alone; and factor 0 (never applied)."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-3)


def test_draw_and_reference():
    x = np.random.default_rng(0).uniform(0, 255, (6, 5, 7, 3)).astype("float32")
    layer = keras.layers.RandomPerspective(factor=(0.5, 0.5), scale=0.6, seed=1)
    t = layer.get_random_transformation(x, seed=2)
    start, end, on = t["start_points"], t["end_points"], t["apply_perspective"]
    np.testing.assert_array_equal(start[0], [[0, 0], [6, 0], [0, 4], [6, 4]])
    ratio = np.where(start > 0, (end - start) / np.where(start > 0, start, 1), 0)
    assert np.all(np.abs(ratio) <= 0.3 + 1e-6)
    np.testing.assert_array_equal(end[~on], start[~on])
    y = layer.transform_images(x, t).numpy()
    np.testing.assert_array_equal(y[~on], x[~on])
    warped = keras.ops.image.perspective_transform(x, start, end).numpy()
    np.testing.assert_allclose(y[on], warped[on], atol=1e-4)
    assert t["input_shape"] == x.shape


def test_config_gradient_and_errors():
    x = np.random.default_rng(1).uniform(0.2, 0.8, (2, 5, 6, 2))
    run_layer_test(
        keras.layers.RandomPerspective,
        {"factor": 0.5, "scale": 0.3},
        input_data=x,
        expected_output_shape=(2, 5, 6, 2),
    )
    layer = keras.layers.RandomPerspective()
    t = {
        "apply_perspective": np.array([True, True]),
        "start_points": np.array([[[0, 0], [5, 0], [0, 4], [5, 4]]] * 2, "float32"),
        "end_points": np.array([[[0, 0], [5.3, 0.2], [-0.4, 4.1], [5.2, 3.6]]] * 2, "float32"),
    }
    check_grad(lambda v: layer.transform_images(v, t), x)
    config = keras.layers.RandomPerspective(0.4, scale=0.2, fill_value=2.0).get_config()
    assert config["factor"] == (0.0, 0.4) and config["scale"] == 0.2
    assert config["interpolation"] == "bilinear" and config["fill_value"] == 2.0
    with pytest.raises(ValueError, match="scale"):
        keras.layers.RandomPerspective(scale=1.5)
    with pytest.raises(NotImplementedError, match="interpolation"):
        keras.layers.RandomPerspective(interpolation="bicubic")
