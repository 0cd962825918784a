"""Tests for minikeras/core/ops/nn.py and the modules split from it (softmax.py, crossentropy.py,
normalization.py, activations_extra.py): activations, softmax and crossentropies against numpy."""

import math

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
EPS = 1e-7


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_erf(x):
    return np.array([math.erf(v) for v in np.ravel(x)]).reshape(np.shape(x))


def np_softplus(x):
    return np.log(1 + np.exp(x))


def np_hard_sigmoid(x):
    return np.maximum(0, np.minimum(1, x / 6 + 0.5))


ACTIVATIONS = {
    "sigmoid": (ops.sigmoid, np_sigmoid),
    "relu": (ops.relu, lambda x: np.maximum(x, 0)),
    "relu6": (ops.relu6, lambda x: np.minimum(np.maximum(x, 0), 6)),
    "leaky_relu": (ops.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    "leaky_relu_0.01": (lambda x: ops.leaky_relu(x, 0.01), lambda x: np.where(x >= 0, x, 0.01 * x)),
    "elu": (ops.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    "elu_0.5": (
        lambda x: ops.elu(x, alpha=0.5),
        lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)),
    ),
    "selu": (ops.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))),
    "gelu_tanh": (
        ops.gelu,
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    "gelu_erf": (
        lambda x: ops.gelu(x, approximate=False),
        lambda x: 0.5 * x * (1 + np_erf(x / np.sqrt(2))),
    ),
    "softplus": (ops.softplus, np_softplus),
    "softsign": (ops.softsign, lambda x: x / (1 + np.abs(x))),
    "silu": (ops.silu, lambda x: x * np_sigmoid(x)),
    "swish": (ops.swish, lambda x: x * np_sigmoid(x)),
    "hard_sigmoid": (ops.hard_sigmoid, np_hard_sigmoid),
    "hard_silu": (ops.hard_silu, lambda x: x * np_hard_sigmoid(x)),
    "hard_swish": (ops.hard_swish, lambda x: x * np_hard_sigmoid(x)),
    "mish": (ops.mish, lambda x: x * np.tanh(np_softplus(x))),
    "log_sigmoid": (ops.log_sigmoid, lambda x: np.log(np_sigmoid(x))),
    "celu": (ops.celu, lambda x: np.maximum(x, 0) + np.minimum(np.exp(x) - 1, 0)),
    "celu_2": (
        lambda x: ops.celu(x, 2.0),
        lambda x: np.maximum(x, 0) + 2 * np.minimum(np.exp(x / 2) - 1, 0),
    ),
    "hard_tanh": (ops.hard_tanh, lambda x: np.minimum(np.maximum(x, -1), 1)),
    "hard_shrink": (ops.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    "soft_shrink": (ops.soft_shrink, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0)),
    "tanh_shrink": (ops.tanh_shrink, lambda x: x - np.tanh(x)),
    "squareplus": (ops.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "sparse_plus": (
        ops.sparse_plus,
        lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    ),
    "threshold": (lambda x: ops.threshold(x, 0.3, -2.0), lambda x: np.where(x > 0.3, x, -2.0)),
    "tanh": (ops.tanh, np.tanh),
}

KINKS = [0.0, 6.0, 3.0, -3.0, 1.0, -1.0, 0.5, -0.5, 0.3]


def activation_input(seed=0):
    """Values over [-8, 8] that stay clear of every activation's kinks."""
    x = randn(4, 6, seed=seed) * 4
    for k in KINKS:
        x = np.where(np.abs(x - k) < 0.02, x + 0.1, x)
    return x


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_and_grads(name):
    op, ref = ACTIVATIONS[name]
    x = activation_input()
    np.testing.assert_allclose(op(x).numpy(), ref(x), rtol=1e-12, atol=1e-12)
    check_grad(op, x)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_keeps_dtype(name, dtype):
    op = ACTIVATIONS[name][0]
    x = activation_input().astype(dtype)
    out = op(x)
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(
        out.numpy(), ACTIVATIONS[name][1](x.astype("float64")), rtol=2e-6, atol=2e-6
    )
    t = Tensor(x, requires_grad=True)
    (g,) = gradients(op(t), [t])
    assert g.dtype == np.dtype(dtype)


def test_gelu_known_values():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    exact = [-0.15865525393145707, 0.0, 0.8413447460685429, 1.9544997361036416]
    np.testing.assert_allclose(ops.gelu(x, approximate=False).numpy(), exact, rtol=1e-14)
    np.testing.assert_allclose(ops.gelu(x).numpy()[2], 0.8411919906082768, rtol=1e-12)


def test_activations_are_stable_at_extremes():
    x = np.array([-1000.0, -50.0, 50.0, 1000.0], "float32")
    np.testing.assert_allclose(ops.sigmoid(x).numpy(), [0, np_sigmoid(-50.0), 1, 1], atol=0)
    np.testing.assert_allclose(ops.softplus(x).numpy(), [0, np.exp(-50.0), 50, 1000], rtol=1e-6)
    np.testing.assert_allclose(ops.log_sigmoid(x).numpy(), [-1000, -50, 0, 0], atol=1e-6)
    assert np.all(np.isfinite(ops.softmax(x).numpy()))


def np_softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [0, 1, -1, (1, 2)])
def test_softmax_and_log_softmax_on_any_axis(axis):
    x = randn(2, 3, 4) * 3
    np.testing.assert_allclose(ops.softmax(x, axis=axis).numpy(), np_softmax(x, axis), rtol=1e-12)
    np.testing.assert_allclose(
        ops.log_softmax(x, axis=axis).numpy(), np.log(np_softmax(x, axis)), rtol=1e-12
    )
    check_grad(lambda t: ops.softmax(t, axis=axis), x)
    check_grad(lambda t: ops.log_softmax(t, axis=axis), x)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_keeps_dtype(dtype):
    x = randn(3, 4, dtype=dtype)
    assert ops.softmax(x).dtype == np.dtype(dtype)
    assert ops.log_softmax(x, axis=0).dtype == np.dtype(dtype)
    assert ops.softmax(np.array([1, 2, 3], "int32")).dtype == np.float32


# -- crossentropies (Keras's formulas written out in numpy) ------------------------------------


def np_cce(target, probs, axis=-1):
    p = probs / probs.sum(axis=axis, keepdims=True)
    p = np.clip(p, EPS, 1 - EPS)
    return -(target * np.log(p)).sum(axis=axis)


def np_cce_logits(target, logits, axis=-1):
    return -(target * np.log(np_softmax(logits, axis))).sum(axis=axis)


def np_bce(target, probs):
    p = np.clip(probs, EPS, 1 - EPS)
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


def np_bce_logits(target, logits):
    p = np_sigmoid(logits)
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


def probabilities(*shape, seed=0, axis=-1):
    return np_softmax(randn(*shape, seed=seed), axis)


def test_categorical_crossentropy_values():
    target = np.array([[1.0, 0.0, 0.0], [0.0, 0.2, 0.8], [0.0, 1.0, 0.0]])
    probs = np.array([[0.0, 0.3, 0.7], [0.2, 0.2, 0.6], [0.5, 1.0, 0.5]])  # unnormalised rows
    out = ops.categorical_crossentropy(target, probs).numpy()
    np.testing.assert_allclose(out, np_cce(target, probs), rtol=1e-12)
    assert out[0] == pytest.approx(-np.log(EPS))  # a zero probability is clipped to 1e-7
    logits = randn(3, 3) * 3
    np.testing.assert_allclose(
        ops.categorical_crossentropy(target, logits, from_logits=True).numpy(),
        np_cce_logits(target, logits),
        rtol=1e-12,
    )


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_categorical_crossentropy_grads(axis):
    target = probabilities(3, 4, 2, seed=9, axis=axis)
    probs = probabilities(3, 4, 2, seed=1, axis=axis) + 0.05
    logits = randn(3, 4, 2, seed=2)
    np.testing.assert_allclose(
        ops.categorical_crossentropy(target, probs, axis=axis).numpy(),
        np_cce(target, probs, axis),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        ops.categorical_crossentropy(target, logits, from_logits=True, axis=axis).numpy(),
        np_cce_logits(target, logits, axis),
        rtol=1e-12,
    )
    check_grad(lambda t, p: ops.categorical_crossentropy(t, p, axis=axis), target, probs)
    check_grad(
        lambda t, z: ops.categorical_crossentropy(t, z, from_logits=True, axis=axis),
        target,
        logits,
    )


def test_sparse_categorical_crossentropy_values_and_grads():
    labels = np.array([0, 2, 1, 2])
    probs = np.array([[0.0, 0.3, 0.7], [0.2, 0.2, 0.6], [0.5, 1.0, 0.5], [0.1, 0.1, 0.8]])
    onehot = np.eye(3)[labels]
    out = ops.sparse_categorical_crossentropy(labels, probs)
    np.testing.assert_allclose(out.numpy(), np_cce(onehot, probs), rtol=1e-12)
    logits = randn(4, 3) * 2
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(labels, logits, from_logits=True).numpy(),
        np_cce_logits(onehot, logits),
        rtol=1e-12,
    )
    smooth = probabilities(4, 3) + 0.05
    check_grad(lambda p: ops.sparse_categorical_crossentropy(labels, p), smooth)
    check_grad(lambda z: ops.sparse_categorical_crossentropy(labels, z, from_logits=True), logits)
    # labels of shape (batch, 1) and float labels are accepted, as in Keras
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(
            labels[:, None].astype("float32"), logits, True
        ).numpy(),
        np_cce_logits(onehot, logits),
        rtol=1e-12,
    )


def test_sparse_categorical_crossentropy_other_axis():
    labels = np.array([[0, 2, 1, 1], [2, 2, 0, 1]])  # (batch, time), classes on axis 1
    logits = randn(2, 3, 4)
    onehot = np.moveaxis(np.eye(3)[labels], -1, 1)
    out = ops.sparse_categorical_crossentropy(labels, logits, from_logits=True, axis=1)
    np.testing.assert_allclose(out.numpy(), np_cce_logits(onehot, logits, axis=1), rtol=1e-12)
    check_grad(lambda z: ops.sparse_categorical_crossentropy(labels, z, True, axis=1), logits)


@pytest.mark.parametrize("bad", [3, -1, 7])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_labels_outside_range_raise(bad, from_logits):
    with pytest.raises(ValueError, match=rf"label {bad} is outside \[0, 3\)"):
        ops.sparse_categorical_crossentropy(np.array([0, bad]), probabilities(2, 3), from_logits)


def test_sparse_labels_bad_shape_or_fraction():
    with pytest.raises(ValueError, match=r"labels of shape \(3,\)"):
        ops.sparse_categorical_crossentropy(np.array([0, 1, 2]), probabilities(2, 3))
    with pytest.raises(ValueError, match="whole numbers"):
        ops.sparse_categorical_crossentropy(np.array([0.5, 1.0]), probabilities(2, 3))


def test_binary_crossentropy_values_and_grads():
    target = np.array([[1.0, 0.0, 1.0], [0.0, 0.3, 1.0]])
    probs = np.array([[1.0, 0.0, 0.4], [0.9, 0.5, 0.0]])  # exact 0 and 1 are clipped
    out = ops.binary_crossentropy(target, probs).numpy()
    np.testing.assert_allclose(out, np_bce(target, probs), rtol=1e-9)
    np.testing.assert_allclose(out[1, 2], -np.log(EPS), rtol=1e-9)
    logits = randn(2, 3) * 3
    np.testing.assert_allclose(
        ops.binary_crossentropy(target, logits, from_logits=True).numpy(),
        np_bce_logits(target, logits),
        rtol=1e-10,
    )
    inner = np_sigmoid(randn(2, 3, seed=4))
    check_grad(lambda t, p: ops.binary_crossentropy(t, p), target, inner)
    check_grad(lambda t, z: ops.binary_crossentropy(t, z, from_logits=True), target, logits)


def test_binary_crossentropy_from_logits_is_stable():
    out = ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([-800.0, -800.0]), True)
    np.testing.assert_allclose(out.numpy(), [800.0, 0.0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_crossentropies_keep_the_prediction_dtype(dtype, from_logits):
    probs = probabilities(3, 4).astype(dtype)
    onehot = np.eye(4)[[0, 3, 1]]  # float64 targets do not promote float32 predictions
    labels = np.array([0, 3, 1])
    assert ops.categorical_crossentropy(onehot, probs, from_logits).dtype == np.dtype(dtype)
    assert ops.sparse_categorical_crossentropy(labels, probs, from_logits).dtype == np.dtype(dtype)
    assert ops.binary_crossentropy(onehot, probs, from_logits).dtype == np.dtype(dtype)
    t = Tensor(probs, requires_grad=True)
    (g,) = gradients(ops.categorical_crossentropy(onehot, t, from_logits), [t])
    assert g.dtype == np.dtype(dtype)


def test_crossentropy_shape_mismatch():
    with pytest.raises(ValueError, match=r"categorical_crossentropy.*\(2, 3\).*\(2, 4\)"):
        ops.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"binary_crossentropy.*\(2,\).*\(3,\)"):
        ops.binary_crossentropy(np.ones(2), np.ones(3) / 2)


# -- normalisation helpers ---------------------------------------------------------------------


def test_glu():
    x = randn(2, 6)
    a, b = x[:, :3], x[:, 3:]
    np.testing.assert_allclose(ops.glu(x).numpy(), a * np_sigmoid(b), rtol=1e-12)
    check_grad(ops.glu, x)
    check_grad(lambda t: ops.glu(t, axis=0), randn(4, 3))


def test_moments():
    x = randn(3, 4, 5)
    m, v = ops.moments(x, axes=(0, 2))
    np.testing.assert_allclose(m.numpy(), x.mean(axis=(0, 2)), rtol=1e-12)
    np.testing.assert_allclose(v.numpy(), x.var(axis=(0, 2)), rtol=1e-12)
    m, v = ops.moments(x, axes=[1], keepdims=True)
    assert m.shape == v.shape == (3, 1, 5)
    check_grad(lambda t: ops.moments(t, axes=(0, 2))[1], x)
    check_grad(lambda t: ops.moments(t, axes=(1,))[0], x)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize(order):
    x = randn(3, 4)
    norms = np.sum(np.abs(x) ** order, axis=-1, keepdims=True) ** (1 / order)
    np.testing.assert_allclose(ops.normalize(x, order=order).numpy(), x / norms, rtol=1e-12)
    check_grad(lambda t: ops.normalize(t, order=order), x)
    np.testing.assert_array_equal(ops.normalize(np.zeros((1, 3))).numpy(), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="order"):
        ops.normalize(x, order=0)


def test_batch_normalization():
    x = randn(2, 3, 4)
    mean, var = randn(3, seed=1), np.abs(randn(3, seed=2)) + 0.5
    offset, scale = randn(3, seed=3), randn(3, seed=4)
    shape = (1, 3, 1)
    expected = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + 1e-3)
    out = ops.batch_normalization(x, mean, var, axis=1)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    out = ops.batch_normalization(x, mean, var, axis=1, offset=offset, scale=scale, epsilon=0.1)
    expected = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + 0.1)
    expected = expected * scale.reshape(shape) + offset.reshape(shape)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    check_grad(
        lambda t, m, v, o, s: ops.batch_normalization(t, m, v, 1, offset=o, scale=s),
        x,
        mean,
        var,
        offset,
        scale,
    )


def test_multi_hot():
    out = ops.multi_hot(np.array([[0, 2, 2], [1, 1, 3]]), 4)
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 1, 0], [0, 1, 0, 1]])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(ops.multi_hot(np.array([3, 0]), 5).numpy(), [1, 0, 0, 1, 0])


def test_bad_inputs_raise_type_error():
    for op in (ops.relu, ops.softmax, ops.gelu):
        with pytest.raises(TypeError, match="numeric"):
            op(np.array(["a", "b"]))


def test_softmax_in_place_values_and_gradient():
    """softmax = exp(x - max) / sum and its gradient s * (d - sum(d * s)) (Keras's formula),
    computed in reused buffers without touching the input or the incoming gradient."""
    x, d = randn(2, 3, 5).astype("float32"), randn(2, 3, 5, seed=1).astype("float32")
    x0, d0 = x.copy(), d.copy()
    t = Tensor(x, requires_grad=True)
    out = ops.softmax(t, axis=1)
    e = np.exp(x0 - x0.max(axis=1, keepdims=True))
    s = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(out.numpy(), s)
    (g,) = gradients(out, [t], output_gradient=d)
    np.testing.assert_array_equal(g, s * (d0 - (d0 * s).sum(axis=1, keepdims=True)))
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(d, d0)
    assert float(ops.softmax(np.array(2.0, "float32"), axis=None)) == 1.0


# Keras 3.15.1 observed (numpy, jax and torch backends agree on these): relu, relu6, hard_tanh and
# threshold keep integer dtypes; bool becomes int32 (jax backend); other activations give floats.
INT_KEEPING = [
    ("relu", (), [0, 0, 2, 8]),
    ("relu6", (), [0, 0, 2, 6]),
    ("hard_tanh", (), [-1, 0, 1, 1]),
    ("threshold", (1, -5), [-5, -5, 2, 8]),
]


@pytest.mark.parametrize("name, args, expected", INT_KEEPING)
@pytest.mark.parametrize("dtype", ["int8", "int32", "uint8"])
def test_int_keeping_activations_keep_int_dtypes(name, args, expected, dtype):
    x = np.array([-3, 0, 2, 8]).astype(dtype)
    y = getattr(ops, name)(x, *args)
    assert y.dtype == dtype
    if dtype != "uint8":
        np.testing.assert_array_equal(y.numpy(), expected)


def test_int_keeping_activations_on_bool_give_int32():
    """Keras 3.15.1 (jax): relu(bool) and hard_tanh(bool) are int32."""
    for name in ["relu", "hard_tanh"]:
        y = getattr(ops, name)(np.array([True, False]))
        assert y.dtype == "int32" and y.numpy().tolist() == [1, 0]


def test_float_activations_still_give_floatx_on_int_input():
    """Keras 3.15.1 (jax): leaky_relu, elu, gelu of int32 are float32."""
    for name in ["leaky_relu", "elu", "gelu"]:
        assert getattr(ops, name)(np.array([1, -2], "int32")).dtype == "float32"


def test_sparse_sigmoid_and_sparsemax_ops():
    """keras.ops.sparse_sigmoid / sparsemax: Keras 3.15.1 values where Keras is right (sparsemax
    with a one-entry support); int input gives floatx (Keras 3.15.1 jax)."""
    x = np.array([[-2.0, -0.75, 0.0, 0.3, 1.5, 0.25]], "float32")
    np.testing.assert_allclose(
        ops.sparse_sigmoid(x).numpy(), [[0.0, 0.125, 0.5, 0.65, 1.0, 0.625]], rtol=1e-6
    )
    np.testing.assert_array_equal(ops.sparsemax(x).numpy(), [[0, 0, 0, 0, 1, 0]])
    assert ops.sparsemax(np.array([[1, 3]], "int32")).dtype == "float32"
    assert ops.sparse_sigmoid(np.array([1, 3], "int32")).dtype == "float32"
    check_grad(lambda t: ops.sparsemax(t, axis=1), randn(3, 4, 2, seed=4))
