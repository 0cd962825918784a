"""The fused softmax cross-entropy kernels against their numpy references, and the op."""

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras.kernels import softmax_ce as k


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n,c,scale", [(1, 1, 1.0), (7, 3, 1.0), (128, 10, 5.0), (5, 4, 1e4)])
def test_kernels_match_references(dtype, n, c, scale):
    logits = randn(n, c, dtype=dtype) * np.asarray(scale, dtype)  # 1e4: naive exp overflows
    labels = np.random.default_rng(1).integers(0, c, n)
    loss, probs, bad = k.sparse_ce(logits, labels)
    ref_loss, ref_probs = k.sparse_ce_ref(logits, labels)
    tol = 1e-6 if dtype == "float32" else 1e-13
    assert bad == -1 and loss.dtype == probs.dtype == np.dtype(dtype)
    np.testing.assert_allclose(loss, ref_loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(probs, ref_probs, rtol=tol, atol=tol)
    assert np.isfinite(loss).all()
    d = randn(n, seed=2, dtype=dtype)
    np.testing.assert_allclose(
        k.sparse_ce_grad(probs, labels, d),
        k.sparse_ce_grad_ref(probs, labels, d),
        rtol=tol,
        atol=tol,
    )


def test_kernel_reports_the_first_label_out_of_range():
    logits = randn(4, 3)
    assert k.sparse_ce(logits, np.array([0, 2, 3, -1]))[2] == 2
    assert k.sparse_ce(logits, np.array([0, -1, 1, 1]))[2] == 1


def test_op_matches_log_softmax_in_float32_and_float16():
    logits = randn(16, 10, dtype="float32") * 3
    labels = np.random.default_rng(3).integers(0, 10, 16)
    e = np.exp(logits.astype(np.float64))
    ref = -np.log(e / e.sum(1, keepdims=True))[np.arange(16), labels]
    out = keras.ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6)
    half = keras.ops.sparse_categorical_crossentropy(
        labels, logits.astype("float16"), from_logits=True
    )
    assert half.dtype == np.float16  # numba has no float16: the numpy path
    np.testing.assert_allclose(half.numpy(), ref, rtol=2e-2, atol=2e-2)


def test_op_gradient_with_float_labels_and_leading_axes():
    labels = np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 0.0]])  # float, as Loss.__call__ casts them
    check_grad(
        lambda z: keras.ops.sparse_categorical_crossentropy(labels, z, from_logits=True), (2, 3, 4)
    )
