import math

import numpy as np
import pytest
from helpers import check_grad, randn

import minikeras as keras
from minikeras import activations
from minikeras.core.tensor import Tensor

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_erf = np.vectorize(math.erf)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# name -> numpy formula written from Keras's documentation
REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": _sigmoid,
    "softmax": _softmax,
    "log_softmax": lambda x: np.log(_softmax(x)),
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "exponential": np.exp,
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "linear": lambda x: x,
    "log_sigmoid": lambda x: np.log(_sigmoid(x)),
    "celu": lambda x: np.maximum(x, 0) + np.minimum(0, np.exp(x) - 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
}
# tested with Keras's values below instead: glu halves an even axis, threshold takes arguments,
# sparsemax is checked against Keras values and the simplex-projection definition
OTHER_TESTS = {"glu", "threshold", "sparsemax"}


def test_every_builtin_has_a_reference():
    assert set(activations.ALL_OBJECTS_DICT) == set(REFERENCES) | OTHER_TESTS


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_matches_numpy(name):
    x = np.linspace(-8, 8, 41).reshape(1, 41) * np.array([[1.0], [0.3]])  # (2, 41), float64
    got = activations.get(name)(x)
    np.testing.assert_allclose(np.asarray(got), REFERENCES[name](x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_keeps_float32(name):
    x = np.linspace(-3, 3, 7, dtype="float32")
    assert np.asarray(activations.get(name)(x)).dtype == np.float32


@pytest.mark.parametrize(
    "name",
    [
        "relu",
        "sigmoid",
        "softmax",
        "elu",
        "selu",
        "gelu",
        "silu",
        "mish",
        "softplus",
        "hard_sigmoid",
        "leaky_relu",
        "log_softmax",
        "celu",
        "squareplus",
    ],
)
def test_activation_gradient(name):
    check_grad(activations.get(name), (3, 5))


def test_relu_options():
    x = np.array([-3.0, -1.0, 0.0, 0.5, 1.0, 2.5, 7.0])
    ref = np.where(x >= 4.0, 4.0, np.where(x > 0.5, x, 0.1 * (x - 0.5)))
    got = activations.relu(x, negative_slope=0.1, max_value=4.0, threshold=0.5)
    np.testing.assert_allclose(np.asarray(got), ref, atol=1e-12)
    np.testing.assert_allclose(np.asarray(activations.relu(x, max_value=6)), np.clip(x, 0, 6))
    got = activations.relu(x, threshold=1.0)
    np.testing.assert_allclose(np.asarray(got), np.where(x > 1, x, 0))
    np.testing.assert_allclose(
        np.asarray(activations.relu(x, negative_slope=0.5)), np.where(x > 0, x, 0.5 * x)
    )
    check_grad(
        lambda t: activations.relu(t, negative_slope=0.1, max_value=1.0, threshold=0.2),
        randn(4, 4) * 2,
    )


def test_keyword_variants():
    x = randn(2, 6)
    np.testing.assert_allclose(np.asarray(activations.softmax(x, axis=0)), _softmax(x.T).T)
    np.testing.assert_allclose(
        np.asarray(activations.elu(x, alpha=0.5)), np.where(x > 0, x, 0.5 * np.expm1(x))
    )
    np.testing.assert_allclose(
        np.asarray(activations.leaky_relu(x, negative_slope=0.01)), np.where(x > 0, x, 0.01 * x)
    )
    approx = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(np.asarray(activations.gelu(x, approximate=True)), approx, rtol=1e-6)


def test_hard_sigmoid_keras2_formula():
    x = np.array([-5.0, -2.5, -1.0, 0.0, 1.0, 2.5, 5.0])
    np.testing.assert_allclose(
        np.asarray(activations.hard_sigmoid_keras2(x)), np.clip(0.2 * x + 0.5, 0, 1)
    )
    assert activations.get("hard_sigmoid") is activations.hard_sigmoid  # Keras 3 meaning
    check_grad(activations.hard_sigmoid_keras2, np.array([-1.0, 0.3, 2.0]))


def test_activation_on_tensor_records_gradient():
    w = keras.Variable([-1.0, 2.0])
    with keras.GradientTape() as tape:
        y = keras.ops.sum(activations.get("relu")(w))
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [0.0, 1.0])
    assert isinstance(activations.sigmoid(np.zeros(2)), Tensor)


def test_get_forms():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(keras.ops.relu) is keras.ops.relu

    def custom(x):
        return x

    assert activations.get(custom) is custom
    k3 = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "tanh",
        "registered_name": "tanh",
    }
    assert activations.get(k3) is activations.tanh
    assert activations.deserialize("softmax") is activations.softmax


def test_serialize_round_trip():
    for name, fn in activations.ALL_OBJECTS_DICT.items():
        canonical = {"swish": "silu", "hard_swish": "hard_silu"}.get(name, name)
        assert activations.serialize(fn) == canonical
        assert activations.deserialize(activations.serialize(fn)) is fn
    assert activations.serialize(keras.ops.relu) == "relu"  # as Keras: ops functions by name
    assert activations.serialize(keras.ops.sigmoid) == "sigmoid"
    assert activations.serialize(activations.hard_sigmoid_keras2) == "hard_sigmoid"
    assert activations.serialize(None) is None


def test_serialize_unknown_callable_raises():
    def my_act(x):
        return x

    with pytest.raises(ValueError, match="my_act"):
        activations.serialize(my_act)


def test_unknown_name_raises_with_name():
    with pytest.raises(ValueError, match="'relu7'.*Valid names.*relu6"):
        activations.get("relu7")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(42)
    with pytest.raises(ValueError, match="no_such_fn"):
        activations.get({"class_name": "function", "config": "no_such_fn"})


def test_custom_objects():
    def double(x):
        return x * 2

    assert activations.deserialize("double", custom_objects={"double": double}) is double


# Keras 3.15.1 (jax) values on X_NEW (threshold with threshold=0.25, default_value=-1.0)
X_NEW = np.array([[-2.0, -0.75, 0.0, 0.3, 1.5, 0.25]], "float32")
KERAS_NEW = {
    "glu": [[-1.1488850116729736, -0.6131808161735535, 0.0]],
    "hard_shrink": [[-2.0, -0.75, 0.0, 0.0, 1.5, 0.0]],
    "soft_shrink": [[-1.5, -0.25, 0.0, 0.0, 1.0, 0.0]],
    "sparse_plus": [[0.0, 0.015625, 0.25, 0.42249995470046997, 1.5, 0.390625]],
    "sparse_sigmoid": [[0.0, 0.125, 0.5, 0.6499999761581421, 1.0, 0.625]],
    "sparsemax": [[0.0, 0.0, 0.0, 0.0, 1.0, 0.0]],
    "threshold": [[-1.0, -1.0, -1.0, 0.30000001192092896, 1.5, -1.0]],
}


@pytest.mark.parametrize("name", sorted(KERAS_NEW))
def test_keras3_activations_match_keras_values(name):
    """The activations Keras 3 added (glu, hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid,
    sparsemax, threshold) against Keras 3.15.1's outputs; get/serialize know them by name."""
    fn = activations.get(name)
    y = fn(X_NEW, 0.25, -1.0) if name == "threshold" else fn(X_NEW)
    np.testing.assert_allclose(np.asarray(y), KERAS_NEW[name], rtol=1e-6, atol=1e-7)
    assert activations.serialize(fn) == name and getattr(keras.activations, name) is fn


def test_sparsemax_is_the_simplex_projection():
    """Martins & Astudillo (2016): sparsemax([0, 0.5, 1]) = [0, 0.25, 0.75], of equal entries
    the uniform distribution. Keras 3.15.1 gives [0, 0, 0.25] and [0, 0, 0] here (its threshold
    sums the cumulative sums over the support: keras-team/keras#23425, fixed upstream in #23469);
    where the support has one entry its values are the ones above."""
    y = activations.sparsemax(np.array([[0.0, 0.5, 1.0], [1.0, 1.0, 1.0]], "float32"))
    np.testing.assert_allclose(np.asarray(y), [[0, 0.25, 0.75], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    y = activations.sparsemax(np.array([[0.5, 0.1], [0.3, 0.35]]), axis=0)
    np.testing.assert_allclose(np.asarray(y), [[0.6, 0.375], [0.4, 0.625]], rtol=1e-12)
    x = randn(4, 7, seed=2)
    y = np.asarray(activations.sparsemax(x))
    np.testing.assert_allclose(y.sum(-1), 1.0, rtol=1e-12)
    assert (y >= 0).all()


@pytest.mark.parametrize(
    "name, fn",
    [
        ("glu", lambda t: activations.glu(t)),
        ("glu_axis0", lambda t: activations.glu(t, axis=0)),
        ("hard_shrink", lambda t: activations.hard_shrink(t, 0.3)),
        ("soft_shrink", lambda t: activations.soft_shrink(t, 0.3)),
        ("sparse_plus", activations.sparse_plus),
        ("sparse_sigmoid", activations.sparse_sigmoid),
        ("sparsemax", activations.sparsemax),
        ("sparsemax_axis0", lambda t: activations.sparsemax(t, axis=0)),
        ("threshold", lambda t: activations.threshold(t, 0.1, -2.0)),
    ],
)
def test_keras3_activations_gradients(name, fn):
    """float64 central differences; the inputs stay away from the kinks (|x| = 0.3, +-1, 0.1)."""
    x = np.array([[-1.7, -0.6, 0.05, 0.5, 0.8, 1.4], [2.1, -0.15, 0.45, -1.3, 0.2, 0.9]])
    check_grad(fn, x)
