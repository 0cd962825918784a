import numpy as np
import pytest

import minikeras as keras
from merging_helpers import run_merge_test


def test_subtract():
    run_merge_test(
        keras.layers.Subtract, {}, [(2, 3), (2, 3)], (2, 3), reference=lambda a, b: a - b
    )
    out = keras.layers.subtract([np.full((1, 2), 5.0, "float32"), np.ones((1, 2), "float32")])
    np.testing.assert_allclose(np.asarray(out), 4.0)


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match="minus.*exactly 2"):
        keras.layers.Subtract(name="minus")([np.ones((1, 2))] * 3)
