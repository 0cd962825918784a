"""Tests for minikeras/core/autodiff.py: the backward pass, GradientTape and no_grad."""

import sys

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops
from minikeras.core.autodiff import gradients, unbroadcast
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")


def test_long_chain_does_not_hit_the_recursion_limit():
    limit = sys.getrecursionlimit()
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x
    for _ in range(5000):
        y = ops.add(y, 1.0)
    assert limit < 5000  # the chain is deeper than Python's stack allows
    (g,) = gradients(y, [x])
    np.testing.assert_array_equal(g, [1.0, 1.0])
    np.testing.assert_array_equal(y.numpy(), [5001.0, 5002.0])
    assert sys.getrecursionlimit() == limit
    del y  # freeing a long chain must not recurse either


def test_long_chain_with_tape_and_variable():
    w = keras.Variable(np.array(0.5))
    with keras.GradientTape() as tape:
        y = w
        for _ in range(5000):
            y = y * 1.0 + 0.0
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), 1.0)


def test_shared_subexpression_accumulates():
    x = Tensor(np.array(3.0), requires_grad=True)
    y = x * x + x  # dy/dx = 2x + 1
    (g,) = gradients(y, [x])
    assert float(g) == 7.0


def test_output_gradient_weights_the_result():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (g,) = gradients(x * 3.0, [x], output_gradient=np.array([1.0, -2.0]))
    np.testing.assert_array_equal(g, [3.0, -6.0])


def test_gradients_requires_a_tensor_target():
    with pytest.raises(TypeError, match="Tensor"):
        gradients(np.ones(2), [])


def test_unbroadcast():
    g = np.ones((2, 3, 4))
    np.testing.assert_array_equal(unbroadcast(g, (3, 1)), np.full((3, 1), 8.0))
    np.testing.assert_array_equal(unbroadcast(g, ()), 24.0)
    np.testing.assert_array_equal(unbroadcast(g, (1, 3, 4)), np.full((1, 3, 4), 2.0))
    assert unbroadcast(g, (2, 3, 4)) is g


# -- GradientTape ------------------------------------------------------------------------------


def test_tape_gradient_shape_dtype_and_value():
    w = keras.Variable(np.ones((3, 2), "float32"))
    b = keras.Variable(np.zeros(2, "float32"))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.matmul(x, w) + b)
    gw, gb = tape.gradient(loss, [w, b])
    assert isinstance(gw, Tensor) and gw.shape == (3, 2) and gw.dtype == np.float32
    np.testing.assert_array_equal(gw.numpy(), np.repeat(x.sum(0)[:, None], 2, axis=1))
    np.testing.assert_array_equal(gb.numpy(), [2.0, 2.0])


def test_tape_returns_none_for_unconnected_sources():
    a = keras.Variable(np.array(2.0))
    b = keras.Variable(np.array(5.0))
    with keras.GradientTape() as tape:
        y = a * 3.0
    ga, gb = tape.gradient(y, [a, b])
    assert float(ga) == 3.0
    assert gb is None


def test_tape_none_for_constant_target_and_non_trainable():
    frozen = keras.Variable(np.array(1.0), trainable=False)
    with keras.GradientTape() as tape:
        y = frozen * 2.0
    assert tape.gradient(y, frozen) is None


def test_tape_keeps_dict_list_and_single_structure():
    a = keras.Variable(np.array([1.0, 2.0]))
    b = keras.Variable(np.array(3.0))
    with keras.GradientTape(persistent=True) as tape:
        y = ops.sum(a * b)
    as_dict = tape.gradient(y, {"a": a, "b": b})
    assert set(as_dict) == {"a", "b"}
    np.testing.assert_array_equal(as_dict["a"].numpy(), [3.0, 3.0])
    assert float(as_dict["b"]) == 3.0
    as_list = tape.gradient(y, [b, a])
    assert isinstance(as_list, list) and len(as_list) == 2
    assert float(as_list[0]) == 3.0
    as_tuple = tape.gradient(y, (a,))  # the sources' own container, as TensorFlow's tape
    assert isinstance(as_tuple, tuple) and len(as_tuple) == 1
    single = tape.gradient(y, a)
    assert isinstance(single, Tensor) and single.shape == (2,)


def test_tape_gradient_of_nested_sources_and_targets():
    # MAE's train_step (keras.io masked_image_modeling) takes the gradient with respect to a list
    # of each sub-model's trainable_variables, some empty. TensorFlow 2.21's tape gives:
    # [[], [3.0], {"k": 2.0, "j": [None]}] for y = a * b, and 7.0 for [y, [a * a]] w.r.t. a.
    a, b, c = keras.Variable(2.0), keras.Variable(3.0), keras.Variable(1.0)
    with keras.GradientTape(persistent=True) as tape:
        y = a * b
        z = a * a
    nested = tape.gradient(y, [[], [a], {"k": b, "j": [c]}])
    assert nested[0] == [] and len(nested[1]) == 1 and nested[2]["j"] == [None]
    assert float(nested[1][0]) == 3.0 and float(nested[2]["k"]) == 2.0
    assert float(tape.gradient([y, [z]], {"x": a})["x"]) == 7.0
    assert float(tape.gradient({"p": y, "q": z}, a)) == 7.0
    assert tape.gradient(y, []) == []
    weighted = tape.gradient([y, z], [a, b], output_gradients=[2.0, 10.0])
    assert [float(g) for g in weighted] == [46.0, 4.0]  # 2 b + 10 * 2 a, 2 a
    assert float(tape.gradient(y, a, output_gradients=[2.0])) == 6.0


def test_persistent_tape_allows_several_gradients():
    x = keras.Variable(np.array(2.0))
    with keras.GradientTape(persistent=True) as tape:
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == 4.0
    assert float(tape.gradient(z, x)) == 12.0  # d x^3 / dx = 3 x^2


def test_non_persistent_tape_allows_one_gradient():
    x = keras.Variable(np.array(2.0))
    with keras.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_tape_watch_and_output_gradients():
    x = Tensor(np.array([1.0, 2.0]))
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x, output_gradients=np.array([1.0, 0.5]))
    np.testing.assert_array_equal(g.numpy(), [2.0, 2.0])
    with pytest.raises(TypeError, match="watch"):
        keras.GradientTape().watch(np.ones(2))


# -- no_grad -----------------------------------------------------------------------------------


def test_no_grad_records_nothing():
    w = keras.Variable(np.array([1.0, -2.0]))
    with keras.no_grad():
        y = ops.relu(w * 2.0) + 1.0
    assert not y.requires_grad
    assert y._parents == () and y._backward is None
    np.testing.assert_array_equal(y.numpy(), [3.0, 1.0])
    with keras.GradientTape() as tape:
        with keras.no_grad():
            z = w * 2.0
    assert tape.gradient(z, w) is None


def test_no_grad_restores_recording_and_enable_grad_nests():
    w = keras.Variable(np.array(1.0))
    with keras.no_grad():
        with keras.enable_grad():
            inner = w * 2.0
        after = w * 2.0
    outside = w * 2.0
    assert inner.requires_grad and not after.requires_grad and outside.requires_grad


def test_no_grad_restores_after_exception():
    w = keras.Variable(np.array(1.0))
    with pytest.raises(ZeroDivisionError):
        with keras.no_grad():
            1 / 0
    assert (w * 2.0).requires_grad
