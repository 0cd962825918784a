import numpy as np

import minikeras as keras
from helpers import run_layer_test


def test_identity_returns_input_and_keeps_mask():
    layer, out = run_layer_test(
        keras.layers.Identity, {}, input_shape=(2, 3), expected_output_shape=(2, 3)
    )
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    emb = keras.layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0]]))
    np.testing.assert_array_equal(np.asarray(layer(emb)._keras_mask), [[True, False]])
