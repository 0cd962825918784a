"""Tests for minikeras/kernels/layer_norm.py against its numpy references (Keras's
LayerNormalization formula and its analytic gradient)."""

import numpy as np
import pytest

from minikeras.kernels import layer_norm as K
from tests.helpers import randn


@pytest.mark.parametrize("dtype,tol", [("float32", 2e-5), ("float64", 1e-12)])
@pytest.mark.parametrize("rows,features", [(1, 1), (3, 5), (257, 64)])
def test_layer_norm_matches_reference(rows, features, dtype, tol):
    x = (randn(rows, features) * 3 + 2).astype(dtype)
    gamma, beta = randn(features, seed=1).astype(dtype), randn(features, seed=2).astype(dtype)
    for got, want in zip(
        K.layer_norm(x, gamma, beta, 1e-3), K.layer_norm_ref(x, gamma, beta, 1e-3)
    ):
        assert got.dtype == x.dtype
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype,tol", [("float32", 1e-4), ("float64", 1e-11)])
@pytest.mark.parametrize("rows,features", [(1, 1), (3, 5), (257, 64)])
def test_layer_norm_grad_matches_reference(rows, features, dtype, tol):
    x = (randn(rows, features) * 3 + 2).astype(dtype)
    gamma, d = randn(features, seed=1).astype(dtype), randn(rows, features, seed=3).astype(dtype)
    _, mean, inv = K.layer_norm_ref(x, gamma, np.zeros_like(gamma), 1e-3)
    got = K.layer_norm_grad(d, x, gamma, mean.astype(dtype), inv.astype(dtype))
    for g, w in zip(got, K.layer_norm_grad_ref(d, x, gamma, mean, inv)):
        assert g.dtype == x.dtype
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol * (1 + np.abs(w).max()))


def test_layer_norm_grad_reference_is_the_derivative():
    """The reference gradient against float64 central differences of the reference forward."""
    x, gamma, beta = randn(2, 4) * 2, randn(4, seed=1), randn(4, seed=2)
    d = randn(2, 4, seed=3)
    _, mean, inv = K.layer_norm_ref(x, gamma, beta, 1e-3)
    dx, dgamma, dbeta = K.layer_norm_grad_ref(d, x, gamma, mean, inv)

    def loss(x, gamma, beta):
        return float((K.layer_norm_ref(x, gamma, beta, 1e-3)[0] * d).sum())

    for k, (arr, grad) in enumerate([(x, dx), (gamma, dgamma), (beta, dbeta)]):
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            args = [x.copy(), gamma.copy(), beta.copy()]
            args[k][idx] += 1e-6
            up = loss(*args)
            args[k][idx] -= 2e-6
            num[idx] = (up - loss(*args)) / 2e-6
        np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-8)


def test_forward_split_over_threads_gives_the_same_bits(monkeypatch):
    """Rows of at least PARALLEL_MIN values split over the threads: each row is computed alone."""
    from minikeras.kernels import layer_norm as kl, threads

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4096, 64)).astype(np.float32)
    gamma, beta = rng.normal(size=64).astype(np.float32), rng.normal(size=64).astype(np.float32)
    assert x.size >= kl.PARALLEL_MIN
    monkeypatch.setattr(threads, "num_threads", lambda: 1)
    one = kl.layer_norm(x, gamma, beta, 1e-6)
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    two = kl.layer_norm(x, gamma, beta, 1e-6)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)
    ref = kl.layer_norm_ref(x.astype(np.float64), gamma, beta, 1e-6)[0]
    np.testing.assert_allclose(two[0], ref, rtol=1e-5, atol=1e-5)
