import numpy as np

import minikeras as keras
from merging_helpers import masked, run_merge_test


def test_multiply():
    run_merge_test(
        keras.layers.Multiply, {}, [(2, 3), (2, 3)], (2, 3), reference=lambda a, b: a * b
    )
    out = keras.layers.multiply([np.full((1, 2), 3.0, "float32")] * 3)
    np.testing.assert_allclose(np.asarray(out), 27.0)


def test_multiply_masked_entries_count_as_one():
    a = masked(np.full((1, 3, 2), 2.0), [[1, 1, 0]])
    b = masked(np.full((1, 3, 2), 5.0), [[1, 0, 0]])
    out = keras.layers.Multiply()([a, b])
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, True, False]])
    # step 0: 2*5; step 1: b masked -> 2*1; step 2: masked in both -> 0
    np.testing.assert_allclose(np.asarray(out)[0, :, 0], [10.0, 2.0, 0.0])
