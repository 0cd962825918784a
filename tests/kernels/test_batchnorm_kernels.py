"""The batch normalization kernels against their numpy references."""

import numpy as np
import pytest

from helpers import randn
from minikeras.kernels import batchnorm as k


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("m,c", [(1, 1), (7, 3), (200, 16)])
def test_kernels_match_references(dtype, m, c):
    x = randn(m, c, dtype=dtype) * 3 + 2
    dy = randn(m, c, seed=1, dtype=dtype)
    mean, var = k.moments(x)
    ref_mean, ref_var = k.moments_ref(x)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(var, ref_var, rtol=1e-9, atol=1e-12)
    inv = 1 / np.sqrt(var + 1e-3)
    scale, shift = inv.astype(dtype), (-mean * inv).astype(dtype)
    tol = 1e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(
        k.normalize(x, scale, shift), k.normalize_ref(x, scale, shift), rtol=tol, atol=tol
    )
    for got, want in zip(k.grad_sums(dy, x, mean, inv), k.grad_sums_ref(dy, x, mean, inv)):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    a, b, cst = scale, (scale * 0.5).astype(dtype), shift
    np.testing.assert_allclose(
        k.grad_input(dy, x, a, b, cst), k.grad_input_ref(dy, x, a, b, cst), rtol=tol, atol=tol
    )


def test_moments_accurate_for_a_large_mean():
    # the one-pass sums are taken about the first row, so a mean of 1e6 costs no precision
    x = 1e6 + randn(1000, 2) * 1e-3
    mean, var = k.moments(x)
    ref_mean, ref_var = k.moments_ref(x)
    np.testing.assert_allclose(var, ref_var, rtol=1e-6)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-14)


def test_check_rejects_bad_arrays():
    with pytest.raises(ValueError, match="2-D float"):
        k.check(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="at least one row"):
        k.check(np.zeros((0, 3), "float32"))
    with pytest.raises(ValueError, match="C-contiguous"):
        k.check(np.zeros((4, 3), "float32").T)
