import numpy as np

import minikeras as keras
from merging_helpers import masked, run_merge_test


def test_maximum():
    run_merge_test(
        keras.layers.Maximum,
        {},
        [(2, 3), (2, 3), (2, 3)],
        (2, 3),
        reference=lambda a, b, c: np.maximum(np.maximum(a, b), c),
    )
    a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    np.testing.assert_allclose(np.asarray(keras.layers.maximum([a, b])), [[3.0, 5.0]])


def test_maximum_ignores_masked_entries():
    a = masked(np.array([[[9.0], [1.0], [7.0]]]), [[0, 1, 0]])
    b = masked(np.array([[[2.0], [3.0], [8.0]]]), [[1, 0, 0]])
    out = keras.layers.Maximum()([a, b])
    # step 0: a masked -> b's 2; step 1: b masked -> a's 1; step 2: both masked, mask False
    np.testing.assert_allclose(np.asarray(out)[0, :2, 0], [2.0, 1.0])
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, True, False]])
