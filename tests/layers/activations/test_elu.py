import numpy as np

import minikeras as keras
from helpers import randn, run_layer_test


def test_elu_matches_formula():
    for alpha in (1.0, 0.5):
        layer, _ = run_layer_test(
            keras.layers.ELU, {"alpha": alpha}, input_shape=(3, 4), expected_output_shape=(3, 4)
        )
        x = randn(3, 4, seed=1, dtype="float32")
        ref = np.where(x > 0, x, alpha * (np.exp(x) - 1))
        np.testing.assert_allclose(np.asarray(layer(x)), ref, rtol=1e-5, atol=1e-7)
