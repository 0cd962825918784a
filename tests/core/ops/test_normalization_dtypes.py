"""ops.layer_normalization / ops.rms_normalization compute in at least float32 and return the
input's dtype, as Keras 3.15.1 does (values observed on its torch and jax backends: int inputs
come back truncated to int32, float16 is computed in float32 and rounded once)."""

import numpy as np

import minikeras as keras

X = np.arange(6).reshape(2, 3)


def test_int_inputs_come_back_as_ints():
    ln = keras.ops.layer_normalization(X.astype("int32"))
    assert ln.dtype.name == "int32"
    np.testing.assert_array_equal(ln.numpy(), [[-1, 0, 1], [-1, 0, 1]])  # Keras: -1.22 -> -1
    rms = keras.ops.rms_normalization(X.astype("int32"))
    assert rms.dtype.name == "int32"
    np.testing.assert_array_equal(rms.numpy(), [[0, 0, 1], [0, 0, 1]])


def test_float16_is_computed_in_float32():
    x = (np.random.default_rng(0).standard_normal((4, 7)) * 30).astype("float16")
    got = keras.ops.layer_normalization(x, epsilon=1e-3)
    assert got.dtype.name == "float16"
    x32 = x.astype("float32")
    ref = (x32 - x32.mean(-1, keepdims=True)) / np.sqrt(x32.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(got.numpy().astype("float32"), ref, rtol=1e-3, atol=1e-3)
    rms = keras.ops.rms_normalization(x, epsilon=1e-3)
    ref = x32 / np.sqrt((x32**2).mean(-1, keepdims=True) + 1e-3)
    assert rms.dtype.name == "float16"
    np.testing.assert_allclose(rms.numpy().astype("float32"), ref, rtol=1e-3)


def test_float64_stays_float64():
    x = X.astype("float64")
    assert keras.ops.layer_normalization(x).dtype.name == "float64"
    assert keras.ops.rms_normalization(x).dtype.name == "float64"
