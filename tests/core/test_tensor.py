"""Tests for minikeras/core/tensor.py: operators, indexing, comparisons and the array protocol."""

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras.core.autodiff import gradients
import minikeras as keras
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")


def positive(*shape, seed=0):
    return np.abs(randn(*shape, seed=seed)) + 0.5


@pytest.mark.parametrize(
    "fn,ref",
    [
        (lambda a, b: a + b, np.add),
        (lambda a, b: a - b, np.subtract),
        (lambda a, b: a * b, np.multiply),
        (lambda a, b: a / b, np.divide),
        (lambda a, b: a**b, np.power),
    ],
    ids=["add", "sub", "mul", "div", "pow"],
)
@pytest.mark.parametrize("sa,sb", [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 4)), ((), (3,))])
def test_binary_operators_values_and_grads(fn, ref, sa, sb):
    a, b = positive(*sa, seed=1), positive(*sb, seed=2)
    out = fn(Tensor(a), Tensor(b))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-12)
    check_grad(fn, a, b)


@pytest.mark.parametrize(
    "fn,ref",
    [
        (lambda t: 2.0 + t, lambda a: 2.0 + a),
        (lambda t: 2.0 - t, lambda a: 2.0 - a),
        (lambda t: 3.0 * t, lambda a: 3.0 * a),
        (lambda t: 3.0 / t, lambda a: 3.0 / a),
        (lambda t: 2.0**t, lambda a: 2.0**a),
        (lambda t: t**2, lambda a: a * a),
        (lambda t: t - 1, lambda a: a - 1),
        (lambda t: -t, lambda a: -a),
        (lambda t: +t, lambda a: a),
        (lambda t: abs(t - 1.0), lambda a: np.abs(a - 1.0)),
        (lambda t: np.ones((2, 3)) + t, lambda a: 1 + a),
        (lambda t: np.full((2, 3), 2.0) * t, lambda a: 2 * a),
        (lambda t: np.ones((2, 3)) - t, lambda a: 1 - a),
        (lambda t: np.exp(t), np.exp),
        (lambda t: np.tanh(t) * np.sqrt(t), lambda a: np.tanh(a) * np.sqrt(a)),
    ],
)
def test_scalar_array_and_unary_operators(fn, ref):
    a = positive(2, 3)
    out = fn(Tensor(a))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.numpy(), ref(a), rtol=1e-12)
    check_grad(fn, a)


@pytest.mark.parametrize(
    "sa,sb", [((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((3,), (3, 2)), ((3,), (3,))]
)
def test_matmul_operator(sa, sb):
    a, b = randn(*sa, seed=1), randn(*sb, seed=2)
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).numpy(), np.matmul(a, b), rtol=1e-12)
    assert isinstance(a @ Tensor(b), Tensor)  # numpy on the left defers to the Tensor
    check_grad(lambda x, y: x @ y, a, b)
    check_grad(lambda x: a @ x, b)


def test_operators_keep_float32():
    t = Tensor(randn(2, 3, dtype="float32"))
    for out in [t + 1, 1 - t, t * 2.5, t / 3, t**2, -t, t @ t.T, t[0], 2.0**t, abs(t)]:
        assert out.dtype == np.float32


@pytest.mark.parametrize(
    "key",
    [
        0,
        -1,
        (1, 2),
        (slice(None), 1),
        (slice(None, None, -1),),
        (Ellipsis, 2),
        (None, 1),
        np.array([1, 1, 0]),
        (np.array([0, 1]), np.array([3, 3])),
        np.array([True, False, True]),
    ],
)
def test_indexing_and_slicing(key):
    a = randn(3, 4)
    np.testing.assert_array_equal(Tensor(a)[key].numpy(), a[key])
    check_grad(lambda t: t[key], a)


def test_index_with_integer_tensor():
    a = randn(4, 2)
    idx = Tensor(np.array([3, 0, 3]))
    np.testing.assert_array_equal(Tensor(a)[idx].numpy(), a[[3, 0, 3]])
    check_grad(lambda t: t[idx], a)


def test_comparisons_give_boolean_tensors_without_gradient():
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = np.array([2.0, 2.0, 2.0])
    cases = {
        "lt": (a < b, [True, False, False]),
        "le": (a <= b, [True, True, False]),
        "gt": (a > b, [False, False, True]),
        "ge": (a >= b, [False, True, True]),
        "eq": (a == 2.0, [False, True, False]),
        "ne": (a != 2.0, [True, False, True]),
        "reversed": (2.0 < a, [False, False, True]),
    }
    for name, (out, expected) in cases.items():
        assert isinstance(out, Tensor), name
        assert out.dtype == np.bool_, name
        assert not out.requires_grad, name
        np.testing.assert_array_equal(out.numpy(), expected, err_msg=name)


def test_methods_and_properties():
    a = randn(2, 3)
    t = Tensor(a)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and t.dtype == np.float64
    np.testing.assert_array_equal(t.T.numpy(), a.T)
    np.testing.assert_array_equal(t.reshape(3, 2).numpy(), a.reshape(3, 2))
    np.testing.assert_array_equal(t.reshape((6,)).numpy(), a.reshape(6))
    assert t.astype("float32").dtype == np.float32
    np.testing.assert_allclose(t.sum(axis=0).numpy(), a.sum(0))
    np.testing.assert_allclose(t.mean(axis=1, keepdims=True).numpy(), a.mean(1, keepdims=True))
    check_grad(lambda x: x.T.reshape(6).sum() * x.mean(), a)
    assert len(t) == 2
    rows = list(t)
    assert len(rows) == 2 and isinstance(rows[0], Tensor)
    np.testing.assert_array_equal(np.asarray(t), a)
    assert np.asarray(t, dtype="float32").dtype == np.float32
    s = Tensor(np.array(2.5))
    assert float(s) == 2.5 and int(s) == 2 and s.item() == 2.5 and bool(s)
    assert [10, 20, 30][Tensor(np.array(1))] == 20  # __index__
    assert "shape=(2, 3)" in repr(t)
    with pytest.raises(TypeError, match="0-d"):
        len(s)


def test_tensor_is_hashable_and_usable_as_dict_key():
    t = Tensor(np.ones(2))
    d = {t: 1}
    assert d[t] == 1


def test_gradient_flows_through_operator_expression():
    w = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    x = np.array([1.0, -1.0])
    loss = ((w @ x - 1.0) ** 2).sum()
    (g,) = gradients(loss, [w])
    # d/dw sum((w x - 1)^2) = 2 (w x - 1) x^T
    r = w.data @ x - 1.0
    np.testing.assert_allclose(g, 2 * np.outer(r, x))


def test_numpy_copies_only_arrays_that_share_a_variables_buffer():
    """Keras hands out snapshots: a Tensor over a variable's buffer (or a view of it) converts to
    a copy; a Tensor over any other array (an op's output, a user's array) is returned as is."""
    from minikeras.core.variable import Variable

    v = Variable(np.arange(4.0, dtype="float32"))
    for t in (Tensor(v.data), Tensor(v.data[1:]), Tensor(v.data.reshape(2, 2))):
        for got in (t.numpy(), np.asarray(t), np.array(t)):
            assert not np.shares_memory(got, v.data)
    own = np.arange(4.0)
    t = Tensor(own)
    assert t.numpy() is own and np.asarray(t) is own
    assert np.array(t) is not own  # np.array asks for a copy
    v.data = np.zeros(2, "float32")  # a rebound buffer is tracked too
    assert not np.shares_memory(Tensor(v.data[:1]).numpy(), v.data)


def test_array_protocol_follows_numpy_copy_keyword():
    """numpy 2's `__array__(dtype, copy)`: `copy=True` always copies, `copy=False` never does
    (a dtype change then raises ValueError, as numpy does for its own arrays)."""
    own = np.arange(3.0, dtype="float32")
    t = Tensor(own)
    assert np.asarray(t, copy=False) is own
    assert not np.shares_memory(np.asarray(t, copy=True), own)
    assert np.asarray(t, dtype="float64").dtype == np.float64
    with pytest.raises(ValueError, match="copy=False"):
        np.asarray(t, dtype="float64", copy=False)


def test_python_scalars_from_one_element_tensors():
    """As Keras 3's torch tensors (observed with torch 2): float/int of any one-element tensor
    work ((1, 1) included), more elements raise; only integer tensors are indices."""
    import operator

    import minikeras as keras

    assert float(keras.ops.ones((1, 1))) == 1.0 and int(keras.ops.full((1,), 3.0)) == 3
    assert operator.index(keras.ops.convert_to_tensor(np.array([[2]]))) == 2
    with pytest.raises(TypeError, match="one-element.*shape \\(2,\\)"):
        float(keras.ops.ones(2))
    with pytest.raises(TypeError, match="integer tensors.*float32"):
        operator.index(keras.ops.ones(()))


def test_floordiv_mod_and_logical_operators_as_keras():
    """Keras 3 tensors and KerasTensors take `//`, `%`, `&`, `|`, `^`, `~` and `round()`
    (ops.floor_divide, mod, logical_and/or/xor/not, round); keras.io's transformer ASR feeds
    `optimizer.iterations // n` to its schedule."""
    import minikeras as keras
    from minikeras import ops

    v = keras.Variable(np.array(7, "int64"))
    assert int(v // 2) == 3 and int(v % 3) == 1
    assert int(9 // ops.convert_to_tensor(np.array(2))) == 4
    assert int(9 % ops.convert_to_tensor(np.array(4))) == 1
    a = ops.convert_to_tensor(np.array([True, False, True]))
    b = ops.convert_to_tensor(np.array([True, True, False]))
    assert (a & b).numpy().tolist() == [True, False, False]
    assert (a | b).numpy().tolist() == [True, True, True]
    assert (a ^ b).numpy().tolist() == [False, True, True]
    assert (~a).numpy().tolist() == [False, True, False]
    r = round(ops.convert_to_tensor(np.array([1.4, 2.6], "float32")))
    assert r.numpy().tolist() == [1.0, 3.0] and r.dtype == np.float32
    np.testing.assert_allclose((ops.convert_to_tensor(np.array([7.5, -7.5])) // 2).numpy(), [3, -4])


def test_symbolic_operators_replay_in_a_model():
    """The same operators on KerasTensors record op nodes (Keras 3 KerasTensor operators)."""
    import minikeras as keras

    x = keras.Input((3,))
    outs = [x // 2, x % 2, abs(x), 2**x, ~(x > 1), (x > 1) & (x < 3), (x > 2) | (x < 1), round(x)]
    model = keras.Model(x, outs)
    data = np.array([[-1.5, 1.25, 2.5]], "float32")
    got = [o.numpy() for o in model(data)]
    expected = [
        data // 2,
        data % 2,
        np.abs(data),
        2**data,
        ~(data > 1),
        (data > 1) & (data < 3),
        (data > 2) | (data < 1),
        np.round(data),
    ]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e)
    assert [o.dtype for o in model.outputs][:4] == ["float32"] * 4


def test_numpy_reductions_call_the_tensor_methods_with_their_keywords():
    # np.mean(t) calls t.mean(axis=None, dtype=None, out=None), as for a jax array; keras.io's
    # customer_lifetime_value computes its metrics so (TypeError before)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    t = keras.ops.convert_to_tensor(x)
    np.testing.assert_allclose(np.asarray(np.mean(t)), np.mean(x))
    np.testing.assert_allclose(np.asarray(np.sum(t, axis=0, keepdims=True)), [[3.0, 5.0, 7.0]])
    np.testing.assert_allclose(np.asarray(np.sqrt(np.mean(np.square(t - 1.0)))), 2.2730303)
    assert np.mean(t, dtype="float64").dtype == "float64"
    ints = keras.ops.convert_to_tensor(np.array([100, 100], dtype="int8"))
    assert int(np.sum(ints, dtype="int32")) == 200  # accumulated in the asked dtype
    with pytest.raises(NotImplementedError, match="out"):
        t.sum(out=np.zeros(()))
