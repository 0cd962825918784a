import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_permute_is_one_based_transpose():
    layer, _ = run_layer_test(
        keras.layers.Permute,
        {"dims": (3, 1, 2)},
        input_shape=(2, 3, 4, 5),
        expected_output_shape=(2, 5, 3, 4),
    )
    x = randn(2, 3, 4, 5, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x.transpose(0, 3, 1, 2))
    assert keras.layers.Permute((2, 1))(keras.Input((10, 64))).shape == (None, 64, 10)


def test_permute_errors():
    with pytest.raises(ValueError, match="dims"):
        keras.layers.Permute((0, 1))
    with pytest.raises(ValueError, match="perm.*ndim=3"):
        keras.layers.Permute((2, 1), name="perm")(np.ones((2, 3), "float32"))
