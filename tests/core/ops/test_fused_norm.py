"""Tests for minikeras/core/ops/fused_norm.py: the one batch-norm op and the layer-norm op.

Expected values are numpy expressions of Keras's documented formulas (`(x - mean) /
sqrt(var + epsilon) * gamma + beta`, biased variance over every axis but the channel axis for
batch norm, over the normalised axes for layer norm) and float64 central differences.
"""

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras import ops
from minikeras.core.ops.fused_norm import batch_norm, layer_norm
from minikeras.core.tensor import Tensor
from tests.core.test_higher_order import check_hvp

pytestmark = pytest.mark.filterwarnings("error")


def np_batch_norm(x, axis, gamma, beta, eps, mean=None, var=None):
    others = tuple(a for a in range(x.ndim) if a != axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    if mean is None:
        mean, var = x.mean(axis=others), x.var(axis=others)
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    return y * gamma.reshape(shape) + beta.reshape(shape), mean, var


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_batch_norm_training_matches_numpy(axis):
    x = randn(4, 3, 5) * 3 + 2
    gamma, beta = randn(x.shape[axis], seed=1), randn(x.shape[axis], seed=2)
    y, mean, var = batch_norm(Tensor(x), Tensor(gamma), Tensor(beta), axis, 1e-3)
    ref, ref_mean, ref_var = np_batch_norm(x, axis, gamma, beta, 1e-3)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-12)
    np.testing.assert_allclose(var, ref_var, rtol=1e-12)


@pytest.mark.parametrize("axis", [1, 2])
def test_batch_norm_training_gradient(axis):
    """The batch statistics depend on x: the gradient includes their share."""
    c = (4, 3, 5)[axis]
    check_grad(lambda x, g, b: batch_norm(x, g, b, axis, 1e-3)[0], (4, 3, 5), (c,), (c,))


def test_batch_norm_without_weights():
    check_grad(lambda x: batch_norm(x, None, None, 1, 1e-3)[0], (4, 3, 2))


@pytest.mark.parametrize("axis", [1, 2])
def test_batch_norm_given_statistics_gradient(axis):
    """With given statistics, the mean and variance get gradients too (as keras.ops does)."""
    c = (4, 3, 5)[axis]
    var = np.abs(randn(c, seed=9)) + 0.5

    def fn(x, g, b, m, v):
        return batch_norm(x, g, b, axis, 1e-3, m, v)[0]

    check_grad(fn, (4, 3, 5), (c,), (c,), (c,), var)
    x, g, b, m = randn(4, 3, 5), randn(c, seed=1), randn(c, seed=2), randn(c, seed=3)
    y, none_mean, _ = batch_norm(*[Tensor(a) for a in (x, g, b)], axis, 1e-3, m, var)
    np.testing.assert_allclose(y.numpy(), np_batch_norm(x, axis, g, b, 1e-3, m, var)[0])
    assert none_mean is None


def test_keras_ops_batch_normalization_is_the_same_op():
    """keras.ops.batch_normalization with per-channel vectors runs the fused op."""
    x, mean, var = randn(2, 3, 4), randn(3, seed=1), np.abs(randn(3, seed=2)) + 0.5
    out = ops.batch_normalization(Tensor(x), Tensor(mean), Tensor(var), axis=1)
    assert out._op == "batch_normalization"
    np.testing.assert_allclose(
        out.numpy(), np_batch_norm(x, 1, np.ones(3), np.zeros(3), 1e-3, mean, var)[0]
    )


def test_keras_ops_batch_normalization_broadcast_statistics_fall_back():
    """Statistics broadcastable to x (not per-channel vectors) use the same formula with ops."""
    x, mean, var = randn(2, 3), randn(2, 1, seed=1), np.abs(randn(2, 1, seed=2)) + 0.5
    out = ops.batch_normalization(x, mean, var, axis=-1)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-12)


def test_given_statistics_second_order():
    """The given-statistics op differentiates twice (its backward_ops use ops)."""

    def fn(x, m, v, o, s):
        return batch_norm(x, s, o, 1, 1e-3, m, v * v + 0.5)[0]

    check_hvp(fn, (2, 3, 2), (3,), (3,), (3,), (3,))


def test_batch_normalization_layer_masked_path_uses_the_op():
    layer = keras.layers.BatchNormalization()
    x = randn(2, 3, 4, dtype="float32")
    mask = np.array([[True, True, False], [True, False, True]])
    out = layer(x, training=True, mask=mask)
    assert out._op == "batch_normalization"


def np_layer_norm(x, axes, gamma, beta, eps):
    mean, var = x.mean(axis=tuple(axes), keepdims=True), x.var(axis=tuple(axes), keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


@pytest.mark.parametrize("axes", [[2], [1, 2], [1]])
def test_layer_norm_matches_numpy_and_gradient(axes):
    """Trailing axes run the kernel op; [1] (not trailing) the same formula with ops."""
    wshape = [(2, 3, 4)[a] if a in axes else 1 for a in range(3)]
    gamma, beta = randn(*wshape, seed=1), randn(*wshape, seed=2)
    w = tuple(n for n in wshape if n != 1) if axes != [1] else (3,)
    x = randn(2, 3, 4)
    out = layer_norm(Tensor(x), Tensor(gamma.reshape(w)), Tensor(beta.reshape(w)), axes, 1e-3)
    np.testing.assert_allclose(out.numpy(), np_layer_norm(x, axes, gamma, beta, 1e-3), rtol=1e-10)
    assert (out._op == "layer_normalization") == (axes != [1])
    check_grad(lambda x, g, b: layer_norm(x, g, b, axes, 1e-3), (2, 3, 4), w, w)


def test_layer_norm_rms_scaling():
    """Keras 3's rms_scaling divides by the standard deviation about the mean."""
    x, gamma = randn(2, 5), randn(5, seed=1)
    out = layer_norm(Tensor(x), Tensor(gamma), None, [1], 1e-3, rms_scaling=True)
    np.testing.assert_allclose(out.numpy(), x / np.sqrt(x.var(1, keepdims=True) + 1e-3) * gamma)
    check_grad(lambda x, g: layer_norm(x, g, None, [1], 1e-3, rms_scaling=True), (2, 5), (5,))
