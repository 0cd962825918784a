import numpy as np

import minikeras as keras
from merging_helpers import run_merge_test


def test_average():
    run_merge_test(
        keras.layers.Average,
        {},
        [(2, 3), (2, 3), (2, 3)],
        (2, 3),
        reference=lambda a, b, c: (a + b + c) / 3,
    )
    out = keras.layers.average([np.zeros((1, 2), "float32"), np.full((1, 2), 4.0, "float32")])
    np.testing.assert_allclose(np.asarray(out), 2.0)
