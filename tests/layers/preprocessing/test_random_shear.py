"""RandomShear: output (x, y) samples input (x + sx y, y + sy x), as Keras 3."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras
from helpers import run_layer_test


@pytest.mark.parametrize("pair", cases("RandomShear"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs for explicit shears, every fill mode and interpolation."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-5, atol=1e-4)


def test_integer_shear_is_a_row_shift_and_draws():
    """sx = 1 with nearest sampling moves row y left by y pixels (constant fill = 0)."""
    x = np.arange(1.0, 13.0, dtype="float32").reshape(1, 3, 4, 1)
    layer = keras.layers.RandomShear(x_factor=1.0, fill_mode="constant", interpolation="nearest")
    y = np.asarray(layer.transform_images(x, {"shear_factor": np.array([[1.0, 0.0]])}))[0, :, :, 0]
    expected = np.array([[1, 2, 3, 4], [6, 7, 8, 0], [11, 12, 0, 0]], "float32")
    np.testing.assert_array_equal(y, expected)
    t = keras.layers.RandomShear(0.3, (0.1, 0.2), seed=1).get_random_transformation(
        np.zeros((50, 4, 4, 1))
    )
    sx, sy = t["shear_factor"][:, 0], t["shear_factor"][:, 1]
    assert np.abs(sx).max() <= 0.3 and np.all((np.abs(sy) >= 0.1) & (np.abs(sy) <= 0.2))
    assert np.all(np.sign(sy) == np.where(sy > 0, 1, -1)) and (sy < 0).any() and (sy > 0).any()


def test_config_gradient_and_errors():
    run_layer_test(
        keras.layers.RandomShear,
        {"x_factor": 0.2, "seed": 1},
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 4, 4, 2),
    )
    layer = keras.layers.RandomShear(0.2, (0.1, 0.3))
    assert layer.x_factor == (-0.2, 0.2) and layer.y_factor == (0.1, 0.3)  # as Keras
    # Keras 3.15's config holds (-0.2, 0.2), which its own loader refuses: minikeras's writes the
    # range only where Keras can load it, else the argument as given, and accepts pairs in [-1, 1]
    config = layer.get_config()
    assert config["x_factor"] == 0.2 and config["y_factor"] == [0.1, 0.3]
    assert keras.layers.RandomShear().get_config()["x_factor"] == [-0.0, 0.0]  # as Keras
    assert keras.layers.RandomShear.from_config(config).x_factor == (-0.2, 0.2)
    assert keras.layers.RandomShear(x_factor=(-0.2, 0.2)).x_factor == (-0.2, 0.2)
    for bad in (-0.2, 1.5, (0.2, 1.5)):
        with pytest.raises(ValueError, match="x_factor"):
            keras.layers.RandomShear(x_factor=bad)
    with pytest.raises(NotImplementedError, match="fill_mode"):
        keras.layers.RandomShear(fill_mode="mirror")
