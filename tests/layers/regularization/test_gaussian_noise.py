import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test


def test_gaussian_noise_inference_identity_and_training_statistics():
    layer, _ = run_layer_test(
        keras.layers.GaussianNoise,
        {"stddev": 0.5},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )
    keras.utils.set_random_seed(0)
    x = np.full((300, 300), 2.0, "float32")
    noise = np.asarray(layer(x, training=True)) - x
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01
    np.testing.assert_array_equal(np.asarray(layer(x)), x)


def test_gaussian_noise_seed_and_errors():
    x = np.zeros((3, 3), "float32")
    a = keras.layers.GaussianNoise(0.1, seed=5)(x, training=True)
    b = keras.layers.GaussianNoise(0.1, seed=5)(x, training=True)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    with pytest.raises(ValueError, match="stddev"):
        keras.layers.GaussianNoise(-1.0)
