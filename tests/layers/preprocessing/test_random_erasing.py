"""RandomErasing: a random box per image filled with noise or a constant (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomErasing"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: a whole-image box with a clipped fill, and an explicit box."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-5)


def test_boxes_are_rectangles_of_the_drawn_size():
    x = np.full((200, 20, 30, 3), 5.0, "float32")
    layer = keras.layers.RandomErasing(
        factor=(1.0, 1.0), scale=(0.1, 0.3), fill_value=[1, 2, 3], seed=4
    )
    t = layer.get_random_transformation(x)
    assert t["apply_erasing"].all() and t["batch_masks"].shape == x.shape
    y = np.asarray(layer.transform_images(x, t))
    for i in range(200):
        m = t["batch_masks"][i, :, :, 0]
        rows, cols = np.flatnonzero(m.any(1)), np.flatnonzero(m.any(0))
        assert m[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].all()  # one solid box
        assert np.sqrt(0.1) * 20 - 1 <= len(rows) <= np.sqrt(0.3) * 20 + 1
        assert np.sqrt(0.1) * 30 - 1 <= len(cols) <= np.sqrt(0.3) * 30 + 1
    np.testing.assert_array_equal(y, np.where(t["batch_masks"], [1.0, 2.0, 3.0], x))
    noisy = keras.layers.RandomErasing(value_range=(0, 1), seed=1)
    fill = noisy.get_random_transformation(x)["fill_value"]
    assert fill.min() == 0 and fill.max() == 1 and 0 < fill.mean() < 1  # clipped N(0, 1)
    half = keras.layers.RandomErasing(factor=0.5, seed=2).get_random_transformation(x)
    assert 0.15 < half["apply_erasing"].mean() < 0.35  # p ~ U(0, 0.5)


def test_config_and_errors():
    run_layer_test(
        keras.layers.RandomErasing,
        {"fill_value": 3.0, "seed": 1},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(2, 4, 4, 3),
    )
    config = keras.layers.RandomErasing(0.5, scale=0.3).get_config()
    assert config["factor"] == (0.0, 0.5) and config["scale"] == (0.0, 0.3)
    with pytest.raises(ValueError, match="fill_value"):
        keras.layers.RandomErasing(fill_value=[1, 2])
