import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test


def test_gaussian_dropout_statistics():
    layer, _ = run_layer_test(
        keras.layers.GaussianDropout,
        {"rate": 0.2},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )
    keras.utils.set_random_seed(0)
    x = np.ones((300, 300), "float32")
    factor = np.asarray(layer(x, training=True))
    # multiplicative noise ~ normal(1, sqrt(rate / (1 - rate))) = normal(1, 0.5)
    assert abs(factor.mean() - 1.0) < 0.01 and abs(factor.std() - 0.5) < 0.01


def test_gaussian_dropout_rate_checks():
    with pytest.raises(ValueError, match="rate"):
        keras.layers.GaussianDropout(2.0)
    with pytest.raises(ValueError, match="rate"):
        keras.layers.GaussianDropout(1.0)(np.ones((1, 1), "float32"), training=True)
