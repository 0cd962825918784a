"""Tests for minikeras/core/variable.py: construction, assign and the trainable flag."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops

pytestmark = pytest.mark.filterwarnings("error")


def test_from_array_keeps_dtype_and_copies():
    source = np.arange(6, dtype="float64").reshape(2, 3)
    v = keras.Variable(source)
    assert v.shape == (2, 3) and v.dtype == np.float64
    source[0, 0] = 99.0
    assert v.numpy()[0, 0] == 0.0  # a copy, not a view
    assert keras.Variable(np.ones(2, "float32")).dtype == np.float32


def test_from_python_values_uses_floatx_and_int32():
    assert keras.Variable([1.0, 2.0]).dtype == np.float32
    assert keras.Variable(3.0).shape == ()
    assert keras.Variable([1, 2]).dtype == np.int32
    assert keras.Variable([1.0, 2.0], dtype="float64").dtype == np.float64


def test_from_initializer_name_and_shape():
    v = keras.Variable("zeros", shape=(2, 3))
    assert v.shape == (2, 3) and v.dtype == np.float32
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 3)))
    ones = keras.Variable(initializer="ones", shape=(4,), dtype="float64")
    assert ones.dtype == np.float64 and ones.numpy().tolist() == [1.0] * 4
    g = keras.Variable("glorot_uniform", shape=(30, 20))
    limit = np.sqrt(6 / (30 + 20))
    assert g.shape == (30, 20) and np.all(np.abs(g.numpy()) <= limit)
    assert g.numpy().std() > 0


def test_from_initializer_instance_and_callable():
    v = keras.Variable(keras.initializers.Constant(2.5), shape=(2,))
    np.testing.assert_array_equal(v.numpy(), [2.5, 2.5])
    c = keras.Variable(lambda shape, dtype=None: np.full(shape, 7.0), shape=(3,))
    np.testing.assert_array_equal(c.numpy(), [7.0, 7.0, 7.0])
    assert c.dtype == np.float32


def test_initializer_without_shape_raises():
    with pytest.raises(ValueError, match="shape"):
        keras.Variable("zeros")


def test_value_with_wrong_shape_raises():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        keras.Variable(np.ones(2), shape=(3,))


def test_assign_in_place():
    v = keras.Variable(np.zeros((2, 2), "float32"), name="kernel")
    buffer = v.data
    out = v.assign([[1.0, 2.0], [3.0, 4.0]])
    assert out is v
    assert v.data is buffer  # same storage: the optimizer's references stay valid
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4]])
    assert v.dtype == np.float32
    v.assign(ops.ones((2, 2)))
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 2)))
    v.assign_add(np.ones((2, 2)))
    v.assign_sub(np.full((2, 2), 0.5))
    np.testing.assert_array_equal(v.numpy(), np.full((2, 2), 1.5))


def test_assign_shape_mismatch_names_the_shapes():
    v = keras.Variable(np.zeros((2, 3)), name="bias")
    with pytest.raises(ValueError, match=r"bias.*\(2, 3\).*\(3, 2\)"):
        v.assign(np.zeros((3, 2)))


def test_trainable_flag_controls_gradients():
    v = keras.Variable(np.array(2.0))
    assert v.trainable and v.requires_grad
    frozen = keras.Variable(np.array(2.0), trainable=False)
    assert not frozen.trainable and not frozen.requires_grad
    with keras.GradientTape() as tape:
        y = v * frozen
    gv, gf = tape.gradient(y, [v, frozen])
    assert float(gv) == 2.0 and gf is None
    frozen.trainable = True
    assert frozen.requires_grad
    v.trainable = False
    assert not v.requires_grad


def test_names_and_operators():
    a = keras.Variable(np.array([1.0, 2.0]), name="w")
    assert a.name == "w" and a.path == "w"
    assert "w" in repr(a)
    b = keras.Variable(np.array([1.0, 2.0]))
    c = keras.Variable(np.array([1.0, 2.0]))
    assert b.name != c.name
    out = a * 2.0 + b
    assert isinstance(out, keras.Tensor) and not isinstance(out, keras.Variable)
    np.testing.assert_array_equal(out.numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(a.value.numpy(), [1.0, 2.0])


def test_values_are_stored_in_c_order():
    """Transposed initial values (an orthogonal initializer's Q^T, a user's F-ordered array) are
    stored C-contiguous, which the fused optimizer kernels need."""
    f_ordered = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    v = keras.Variable(f_ordered)
    assert v.data.flags.c_contiguous
    np.testing.assert_array_equal(v.numpy(), f_ordered)
    w = keras.Variable(
        initializer=lambda shape, dtype=None: np.ones(shape[::-1], dtype).T,
        shape=(3, 4),
        dtype="float32",
    )
    assert w.data.flags.c_contiguous and w.shape == (3, 4)


# -- arrays handed out are snapshots (Keras 3 on torch and jax, observed: every conversion below
# -- keeps the old value after `assign`) ---------------------------------------------------------
@pytest.mark.parametrize(
    "convert",
    [
        lambda v: v.numpy(),
        lambda v: np.asarray(v),
        lambda v: np.array(v),
        lambda v: np.asarray(v, dtype="float32"),
        lambda v: ops.convert_to_numpy(v),
        lambda v: v.value.numpy(),
        lambda v: np.asarray(v.value),
        lambda v: ops.convert_to_numpy(v.value),
        lambda v: ops.convert_to_numpy(ops.convert_to_tensor(v)),
        lambda v: ops.convert_to_numpy(ops.reshape(v, (3, 2))),
        lambda v: ops.transpose(v).numpy(),
        lambda v: np.asarray(ops.expand_dims(v, 0)),
        lambda v: ops.squeeze(ops.expand_dims(v, 0)).numpy(),
        lambda v: ops.stop_gradient(v).numpy(),
        lambda v: ops.cast(v, "float32").numpy(),
        lambda v: v[0].numpy(),
        lambda v: v.T.numpy(),
        lambda v: ops.convert_to_numpy([v]),
    ],
)
def test_conversions_are_snapshots_not_views_of_the_variable(convert):
    v = keras.Variable(np.arange(6, dtype="float32").reshape(2, 3))
    before = convert(v)
    expected = np.array(before, copy=True)
    v.assign(np.full((2, 3), -1.0, "float32"))
    v.assign_add(np.ones((2, 3), "float32"))
    v.data[...] += 5.0  # as the optimizers update it: in place
    np.testing.assert_array_equal(before, expected)
    assert not np.shares_memory(before, v.data)


def test_snapshots_leave_ops_outputs_uncopied():
    """Only arrays sharing a variable's buffer are copied: a fresh op output is returned as is,
    so converting model outputs costs nothing."""
    v = keras.Variable(np.ones((2, 3), "float32"))
    out = v * 2.0
    assert out.numpy() is out.data and np.asarray(out) is out.data
    assert ops.convert_to_numpy(out) is out.data


def test_copy_false_is_the_explicit_way_to_share_the_buffer():
    """numpy's protocol: `copy=False` asks for no copy, so the caller gets the live buffer."""
    v = keras.Variable([1.0, 2.0])
    live = np.asarray(v, copy=False)
    v.assign([3.0, 4.0])
    np.testing.assert_array_equal(live, [3.0, 4.0])


def test_assign_and_constructor_copy_the_callers_array():
    """Keras 3 (observed): mutating the array after `Variable(arr)` or `assign(arr)` leaves the
    variable unchanged."""
    arr = np.ones(3, "float32")
    v = keras.Variable(arr)
    arr[...] = 5.0
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0, 1.0])
    v.assign(arr)
    arr[...] = 7.0
    np.testing.assert_array_equal(v.numpy(), [5.0, 5.0, 5.0])
    t = keras.Tensor(np.full(3, 2.0, "float32"))
    v.assign(t)
    t.data[...] = 9.0
    np.testing.assert_array_equal(v.numpy(), [2.0, 2.0, 2.0])


def test_value_is_differentiable_and_tracks_the_variable():
    """`v.value` is a backend tensor of the variable (Keras on torch returns the parameter
    itself), so gradients through it reach `v`."""
    v = keras.Variable([1.0, 2.0])
    with keras.GradientTape() as tape:
        y = ops.sum(v.value * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 3.0])


def test_ops_array_makes_a_new_tensor():
    """`ops.array` creates an array as `numpy.array` does (Keras on jax, observed: `ops.array(v)`
    keeps the old value after `v.assign`, and `ops.array(arr)` ignores later writes to `arr`)."""
    v = keras.Variable([1.0, 2.0])
    arr = np.ones(2, "float32")
    from_v, from_arr = ops.array(v), ops.array(arr)
    v.assign([5.0, 5.0])
    arr[...] = 3.0
    np.testing.assert_array_equal(from_v.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(from_arr.numpy(), [1.0, 1.0])
    assert not isinstance(from_v, keras.Variable)
    with keras.GradientTape() as tape:
        y = ops.sum(ops.array(v) * 2.0)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [2.0, 2.0])
