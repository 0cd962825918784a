import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def _ref(x, max_value=None, negative_slope=0.0, threshold=0.0):
    y = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return y if max_value is None else np.minimum(y, max_value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 0.5},
        {"negative_slope": 0.1},
        {"threshold": 0.3, "negative_slope": 0.2},
    ],
)
def test_relu_matches_formula(kwargs):
    layer, _ = run_layer_test(
        keras.layers.ReLU, kwargs, input_shape=(3, 4), expected_output_shape=(3, 4)
    )
    x = randn(3, 4, seed=4, dtype="float32") * 2
    np.testing.assert_allclose(np.asarray(layer(x)), _ref(x, **kwargs), rtol=1e-6, atol=1e-7)


def test_relu_documented_example():
    layer = keras.layers.ReLU(max_value=10, negative_slope=0.5, threshold=0)
    out = layer(np.array([-10, -5, 0.0, 5, 10], "float32"))
    np.testing.assert_allclose(np.asarray(out), [-5.0, -2.5, 0.0, 5.0, 10.0])


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"max_value": -1}, "max_value"),
        ({"negative_slope": -0.1}, "negative_slope"),
        ({"threshold": None}, "threshold"),
    ],
)
def test_relu_rejects_negative_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        keras.layers.ReLU(**kwargs)
