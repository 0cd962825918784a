"""RandomPosterization: 8-bit values with the low `8 - bits` bits cleared (Keras 3)."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras


@pytest.mark.parametrize("pair", cases("RandomPosterization"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 outputs: fixed bits 3 and 1, and explicit shifts."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-6, atol=1e-4)


def test_numpy_reference_and_bit_draws():
    x = np.random.default_rng(0).uniform(0, 255, (300, 2, 2, 3)).astype("float32")
    layer = keras.layers.RandomPosterization(5, seed=1)  # bits in [1, 5): randint excludes 5
    t = layer.get_random_transformation(x)
    assert set(np.unique(8 - t["shift_factor"].astype(int))) == {1, 2, 3, 4}
    shift = t["shift_factor"].reshape(-1, 1, 1, 1)
    expected = (x.astype(np.uint8) >> shift) << shift
    np.testing.assert_array_equal(np.asarray(layer.transform_images(x, t)), expected)
    assert layer(x, training=True).shape == x.shape


def test_config_and_errors():
    layer = keras.layers.RandomPosterization(4, value_range=(1, 0))
    assert layer.get_config()["factor"] == (1, 4) and layer.get_config()["value_range"] == [0, 1]
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomPosterization(9)
