import numpy as np

import minikeras as keras
from merging_helpers import masked, run_merge_test


def test_minimum():
    run_merge_test(
        keras.layers.Minimum, {}, [(2, 3), (2, 3)], (2, 3), reference=lambda a, b: np.minimum(a, b)
    )
    a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    np.testing.assert_allclose(np.asarray(keras.layers.minimum([a, b])), [[1.0, 2.0]])


def test_minimum_ignores_masked_entries():
    a = masked(np.array([[[-9.0], [1.0]]]), [[0, 1]])
    b = masked(np.array([[[2.0], [3.0]]]), [[1, 1]])
    out = keras.layers.Minimum()([a, b])
    np.testing.assert_allclose(np.asarray(out)[0, :, 0], [2.0, 1.0])
