import numpy as np
import pytest

import minikeras as keras
from helpers import run_layer_test


def test_dense_basics():
    layer, out = run_layer_test(
        keras.layers.Dense,
        {"units": 3, "activation": "tanh"},
        input_shape=(4, 5),
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
    )
    k, b = layer.get_weights()
    x = np.asarray(layer(np.ones((1, 5), "float32")))
    np.testing.assert_allclose(x, np.tanh(np.ones((1, 5)) @ k + b), rtol=1e-6)


def test_dense_3d_input():
    run_layer_test(
        keras.layers.Dense, {"units": 2}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 2)
    )


def test_dense_wrong_input_dim_names_layer():
    layer = keras.layers.Dense(2, name="head")
    layer(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match="head.*expected axis -1.*value 4.*\\(1, 5\\)"):
        layer(np.ones((1, 5), "float32"))


def test_dense_bad_units():
    with pytest.raises(ValueError, match="units"):
        keras.layers.Dense(0)


@pytest.mark.parametrize("activation", ["relu", None, "linear"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_dense_bias_and_relu_match_numpy(activation, dtype):
    # relu/linear Dense layers add the bias and apply ReLU in one fused op; float16 takes the
    # plain ops (numba has no float16 arithmetic); values and float64 gradients match numpy
    layer, _ = run_layer_test(
        keras.layers.Dense,
        {"units": 3, "activation": activation, "bias_initializer": "random_normal"},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        check_saving=False,
    )
    k, b = (w.astype(dtype) for w in layer.get_weights())
    typed = keras.layers.Dense(3, activation=activation, dtype=dtype)
    x = np.random.default_rng(1).standard_normal((2, 4, 5)).astype(dtype)
    typed(x)
    typed.set_weights([k, b])
    out = np.asarray(typed(x))
    assert out.dtype == np.dtype(dtype)
    ref = x.astype("float64") @ k.astype("float64") + b.astype("float64")
    if activation == "relu":
        ref = np.maximum(ref, 0)
        assert (out == 0).any() and (out > 0).any()  # both sides of the ReLU are exercised
    tol = 2e-3 if dtype == "float16" else 1e-6
    np.testing.assert_allclose(out, ref, rtol=tol, atol=tol)
