"""The compiled erf loop against Python's math.erf, and the ops built on it."""

import math

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad
from minikeras.kernels import erf as k


@pytest.mark.parametrize("dtype,tol", [("float32", 2e-7), ("float64", 1e-15)])
def test_erf_matches_math_erf(dtype, tol):
    a = np.concatenate([np.linspace(-6, 6, 1000), [0.0, -0.0, 1e-30, 30.0, -30.0, np.inf, 0.5, 2]])
    a = a.astype(dtype).reshape(-1, 3)[:, ::2]  # strided: the op copies it first
    out = k.erf(a)
    assert out.dtype == np.dtype(dtype) and out.shape == a.shape
    np.testing.assert_allclose(out, k.erf_ref(a), rtol=tol, atol=tol)
    assert out[np.isinf(a)].tolist() == [1.0] and math.copysign(1, k.erf(np.array([-0.0]))[0]) < 0


def test_erf_keeps_nan_and_float16_takes_the_reference():
    assert np.isnan(k.erf(np.array([np.nan], "float32"))[0])
    half = keras.ops.erf(np.array([0.5, -2.0], "float16"))
    assert half.dtype == np.float16
    np.testing.assert_allclose(half.numpy(), [math.erf(0.5), math.erf(-2.0)], rtol=1e-3)


def test_exact_gelu_and_erf_gradients():
    check_grad(lambda x: keras.ops.erf(x), (3, 4))
    check_grad(lambda x: keras.ops.gelu(x, approximate=False), (3, 4))
    x = np.linspace(-4, 4, 9)
    expected = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x]
    np.testing.assert_allclose(keras.ops.gelu(x, approximate=False).numpy(), expected, rtol=1e-12)
