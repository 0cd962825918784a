"""RandomColorJitter: brightness, contrast, saturation, hue in order, from one generator."""

import numpy as np
import pytest
from augmentation_fixtures import case_id, cases, run_case

import minikeras as keras


@pytest.mark.parametrize("pair", cases("RandomColorJitter"), ids=case_id)
def test_matches_keras(pair):
    """Keras 3.15 output with fixed brightness and saturation draws."""
    c, expected = pair
    np.testing.assert_allclose(run_case(c), expected, rtol=1e-4, atol=1e-2)


def test_steps_compose_in_keras_order():
    x = np.random.default_rng(0).uniform(0, 255, (2, 3, 3, 3)).astype("float32")
    jitter = keras.layers.RandomColorJitter(
        brightness_factor=(0.1, 0.1), saturation_factor=(0.2, 0.2)
    )
    bright = keras.layers.RandomBrightness((0.1, 0.1))(x, training=True)
    expected = keras.layers.RandomSaturation((0.2, 0.2))(bright, training=True)
    np.testing.assert_allclose(
        np.asarray(jitter(x, training=True)), np.asarray(expected), rtol=1e-6
    )
    assert jitter.get_random_transformation(x) is None  # Keras draws inside transform_images
    config = keras.layers.RandomColorJitter(hue_factor=0.1, seed=2).get_config()
    assert config["hue_factor"] == 0.1 and config["brightness_factor"] is None
    assert config["value_range"] == [0, 255] and config["seed"] == 2
