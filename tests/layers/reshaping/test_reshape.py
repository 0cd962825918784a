import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


@pytest.mark.parametrize(
    "target,expected", [((3, 4), (2, 3, 4)), ((-1, 2, 2), (2, 3, 2, 2)), ((12,), (2, 12))]
)
def test_reshape_matches_numpy(target, expected):
    layer, _ = run_layer_test(
        keras.layers.Reshape,
        {"target_shape": target},
        input_shape=(2, 12),
        expected_output_shape=expected,
    )
    x = randn(2, 12, dtype="float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x.reshape(expected))
    assert layer.get_config()["target_shape"] == tuple(target)  # a tuple, as Keras 3


def test_reshape_symbolic_shapes():
    assert keras.layers.Reshape((-1, 2))(keras.Input((12,))).shape == (None, 6, 2)
    assert keras.layers.Reshape((-1, 2)).compute_output_shape((None, None)) == (None, None, 2)


def test_reshape_errors():
    with pytest.raises(ValueError, match="more than one"):
        keras.layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="rs.*total size"):
        keras.layers.Reshape((5,), name="rs")(np.ones((2, 12), "float32"))
    with pytest.raises(ValueError, match="rs2.*divisible"):
        keras.layers.Reshape((-1, 5), name="rs2")(np.ones((2, 12), "float32"))
