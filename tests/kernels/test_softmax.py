"""Tests for minikeras/kernels/softmax.py against its numpy references."""

import numpy as np
import pytest

from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from minikeras.kernels import softmax as K
from tests.helpers import randn


@pytest.mark.parametrize("dtype,tol", [("float32", 1e-6), ("float64", 1e-14)])
@pytest.mark.parametrize("rows,classes", [(1, 1), (3, 7), (512, 128)])
def test_softmax_and_grad_match_reference(rows, classes, dtype, tol):
    x, d = (randn(rows, classes) * 4).astype(dtype), randn(rows, classes, seed=1).astype(dtype)
    s = K.softmax(x)
    assert s.dtype == x.dtype
    np.testing.assert_allclose(s, K.softmax_ref(x), rtol=tol * 10, atol=tol)
    g = K.softmax_grad(s, d)
    assert g.dtype == x.dtype
    np.testing.assert_allclose(g, K.softmax_grad_ref(s, d), rtol=tol * 10, atol=tol * 10)


def test_softmax_infinities_and_nan_as_numpy():
    x = np.array([[0.0, -np.inf, 1.0], [-np.inf, -np.inf, -np.inf], [np.nan, 0.0, 1.0]], "float32")
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(K.softmax(x), K.softmax_ref(x))


@pytest.mark.parametrize("classes", [16, 37, 128])
def test_long_rows_with_infinities_and_nan_as_numpy(classes):
    """Rows of one or more 16-value chunks (the maximum runs per lane, then over the lanes) and
    a tail: the maximum anywhere in the row, +inf, -inf, and a NaN in a chunk or the tail."""
    x = (randn(7, classes) * 4).astype("float32")
    x[0, classes - 1] = 30.0  # the maximum in the last value
    x[1, 5] = 30.0  # in the first chunk
    x[2, classes // 2] = np.inf
    x[3, :] = -np.inf
    x[4, 3] = np.nan
    x[5, classes - 1] = np.nan
    with np.errstate(invalid="ignore"):
        got, want = K.softmax(x), K.softmax_ref(x)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)  # NaN where numpy has NaN
    assert np.isnan(got[[2, 3, 4, 5]]).all() and not np.isnan(got[[0, 1, 6]]).any()


def test_ops_softmax_last_axis_uses_the_kernel_and_matches_the_formula(monkeypatch):
    """ops.softmax over the last axis of float32 data: exp(x - max) / sum (Keras's softmax) and
    s * (d - sum(d * s)), through the kernel rows."""
    x, d = randn(2, 3, 6).astype("float32"), randn(2, 3, 6, seed=1).astype("float32")
    calls = []
    real = K.softmax
    monkeypatch.setattr(K, "softmax", lambda rows: calls.append(rows.shape) or real(rows))
    t = Tensor(x, requires_grad=True)
    out = ops.softmax(t, axis=-1)
    assert calls == [(6, 6)]
    e = np.exp(x - x.max(-1, keepdims=True))
    s = e / e.sum(-1, keepdims=True)
    np.testing.assert_allclose(out.numpy(), s, rtol=1e-6, atol=1e-7)
    (g,) = gradients(out, [t], output_gradient=d)
    np.testing.assert_allclose(g, s * (d - (d * s).sum(-1, keepdims=True)), rtol=1e-5, atol=1e-6)


def test_threads_split_rows_without_changing_a_bit(monkeypatch):
    from minikeras.kernels import threads

    rng = np.random.default_rng(5)
    x = (rng.standard_normal((700, 128)) * 4).astype(np.float32)
    d = rng.standard_normal((700, 128)).astype(np.float32)
    one = K.softmax(x)
    grad = K.softmax_grad(one, d)
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    np.testing.assert_array_equal(K.softmax(x), one)
    np.testing.assert_array_equal(K.softmax_grad(one, d), grad)
    np.testing.assert_allclose(one, K.softmax_ref(x), rtol=1e-5, atol=1e-7)
