"""Tests for minikeras/core/ops/shape.py and the modules split from it (conversion.py, indexing.py,
creation.py, joining.py, sorting.py): values against numpy, float64 gradients, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

pytestmark = pytest.mark.filterwarnings("error")


def grad_of(fn, x):
    """The gradient of sum(fn(x)) with respect to x."""
    t = Tensor(np.array(x, dtype="float64"), requires_grad=True)
    (g,) = gradients(fn(t), [t])
    return g


def test_reshape_transpose_expand_squeeze():
    x = randn(2, 3, 4)
    np.testing.assert_array_equal(ops.reshape(x, (4, -1)).numpy(), x.reshape(4, 6))
    np.testing.assert_array_equal(ops.reshape(x, (None, 12)).numpy(), x.reshape(2, 12))
    np.testing.assert_array_equal(ops.transpose(x).numpy(), x.T)
    np.testing.assert_array_equal(ops.transpose(x, (1, 2, 0)).numpy(), x.transpose(1, 2, 0))
    np.testing.assert_array_equal(ops.expand_dims(x, 1).numpy(), x[:, None])
    np.testing.assert_array_equal(ops.expand_dims(x, -1).numpy(), x[..., None])
    np.testing.assert_array_equal(ops.expand_dims(x, (0, 2)).shape, (1, 2, 1, 3, 4))
    y = randn(1, 3, 1)
    assert ops.squeeze(y).shape == (3,)
    assert ops.squeeze(y, axis=-1).shape == (1, 3)
    check_grad(lambda t: ops.reshape(t, (4, 6)), x)
    check_grad(lambda t: ops.transpose(t, (2, 0, 1)), x)
    check_grad(ops.transpose, x)
    check_grad(lambda t: ops.expand_dims(t, 1), x)
    check_grad(lambda t: ops.squeeze(t, 0), y)
    check_grad(ops.squeeze, y)
    check_grad(ops.ravel, x)


def test_reshape_and_squeeze_errors():
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\).*\(4, 2\)"):
        ops.reshape(np.ones((2, 3)), (4, 2))
    with pytest.raises(ValueError, match="squeeze"):
        ops.squeeze(np.ones((2, 3)), axis=0)
    with pytest.raises(ValueError, match="transpose"):
        ops.transpose(np.ones((2, 3)), (0, 0))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack(axis):
    shapes = {0: [(2, 3), (1, 3), (4, 3)], 1: [(2, 3), (2, 1), (2, 2)], -1: [(2, 1), (2, 4)]}[axis]
    arrays = [randn(*s, seed=k) for k, s in enumerate(shapes)]
    np.testing.assert_array_equal(
        ops.concatenate(arrays, axis=axis).numpy(), np.concatenate(arrays, axis=axis)
    )
    check_grad(lambda *ts: ops.concatenate(list(ts), axis=axis), *arrays)
    same = [randn(2, 3, seed=k) for k in range(3)]
    np.testing.assert_array_equal(ops.stack(same, axis=axis).numpy(), np.stack(same, axis=axis))
    check_grad(lambda *ts: ops.stack(ts, axis=axis), *same)


def test_concatenate_and_stack_errors_name_shapes():
    with pytest.raises(ValueError, match=r"concatenate.*\(2, 3\).*\(2, 4\)"):
        ops.concatenate([np.ones((2, 3)), np.ones((2, 4))], axis=0)
    with pytest.raises(ValueError, match=r"stack.*\(2, 3\).*\(3, 2\)"):
        ops.stack([np.ones((2, 3)), np.ones((3, 2))])
    with pytest.raises(TypeError, match="concatenate"):
        ops.concatenate([np.ones(2), np.array(["a", "b"])])


@pytest.mark.parametrize("sections,axis", [(2, 0), (3, 1), ([1, 3], 1), ([2], -1), (1, 0)])
def test_split(sections, axis):
    x = randn(4, 6)
    parts = ops.split(x, sections, axis=axis)
    expected = np.split(x, sections, axis=axis)
    assert len(parts) == len(expected)
    for p, e in zip(parts, expected):
        np.testing.assert_array_equal(p.numpy(), e)
    check_grad(
        lambda t: ops.concatenate(
            [ops.multiply(p, k + 1.0) for k, p in enumerate(ops.split(t, sections, axis=axis))],
            axis,
        ),
        x,
    )
    with pytest.raises(ValueError, match="split"):
        ops.split(x, 4, axis=1)


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_take_and_gather_with_repeated_indices(axis):
    x = randn(4, 3)
    idx = np.array([[0, 2], [2, 2]]) if axis is not None else np.array([0, 5, 5, 11, -1])
    if axis in (1, -1):
        idx = np.array([2, 0, 2, 2, -1])
    np.testing.assert_array_equal(ops.take(x, idx, axis=axis).numpy(), np.take(x, idx, axis=axis))
    check_grad(lambda t: ops.take(t, idx, axis=axis), x)
    check_grad(lambda t: ops.gather(t, idx, axis=axis), x)
    np.testing.assert_array_equal(
        ops.take(x, Tensor(idx), axis=axis).numpy(), np.take(x, idx, axis=axis)
    )


def test_take_gradient_counts_repeats():
    g = grad_of(lambda t: ops.take(t, np.array([1, 1, 1, 0]), axis=0), np.zeros((3, 2)))
    np.testing.assert_array_equal(g, [[1, 1], [3, 3], [0, 0]])
    g = grad_of(lambda t: ops.take(t, np.array([2, 2]), axis=1), np.zeros((2, 3)))
    np.testing.assert_array_equal(g, [[0, 0, 2], [0, 0, 2]])


@pytest.mark.parametrize("op", [ops.take, ops.gather])
@pytest.mark.parametrize("bad,axis", [(5, 0), (-6, 0), (3, 1), (20, None)])
def test_take_out_of_range_raises_index_error_naming_the_index(op, bad, axis):
    x = np.ones((5, 3))
    with pytest.raises(IndexError, match=rf"index {bad}\b.*size"):
        op(x, np.array([0, bad]), axis=axis)


def test_take_rejects_float_indices():
    with pytest.raises(TypeError, match="integers"):
        ops.take(np.ones(3), np.array([0.5]))


def test_take_along_axis():
    x = randn(3, 4)
    idx = np.array([[0, 0, 3], [1, 2, 2], [3, 3, 3]])
    np.testing.assert_array_equal(
        ops.take_along_axis(x, idx, axis=1).numpy(), np.take_along_axis(x, idx, axis=1)
    )
    check_grad(lambda t: ops.take_along_axis(t, idx, axis=1), x)
    idx0 = np.array([[2, 0, 0, 1]])
    check_grad(lambda t: ops.take_along_axis(t, idx0, axis=0), x)
    # x broadcast against the indices on a size-1 axis
    x1 = randn(1, 4)
    idx_b = np.array([[0, 3], [1, 1], [2, 0]])
    np.testing.assert_array_equal(
        ops.take_along_axis(x1, idx_b, axis=1).numpy(), np.take_along_axis(x1, idx_b, axis=1)
    )
    check_grad(lambda t: ops.take_along_axis(t, idx_b, axis=1), x1)
    np.testing.assert_array_equal(
        ops.take_along_axis(x, np.array([11, 0]), axis=None).numpy(), x.reshape(-1)[[11, 0]]
    )
    with pytest.raises(IndexError, match="index 4"):
        ops.take_along_axis(x, np.array([[4]]), axis=1)


KEYS = [
    (slice(None), 1),
    (slice(1, None), slice(None, None, -2)),
    (Ellipsis, 0),
    (None, slice(0, 2)),
    1,
    -1,
    (np.array([0, 2, 2, 0]),),
    (np.array([[1, 1], [0, 2]]), slice(1, 3)),
    (np.array([0, 1]), np.array([2, 2])),
    np.array([True, False, True]),
    [2, 2, 1],
]


@pytest.mark.parametrize("key", KEYS, ids=[str(k).replace(" ", "") for k in KEYS])
def test_getitem_values_and_grads(key):
    x = randn(3, 4)
    np.testing.assert_array_equal(ops.getitem(x, key).numpy(), x[key])
    np.testing.assert_array_equal(Tensor(x)[key].numpy(), x[key])
    check_grad(lambda t: t[key], x)


def test_getitem_repeated_integer_index_accumulates():
    g = grad_of(lambda t: t[np.array([0, 0, 2])], np.zeros(3))
    np.testing.assert_array_equal(g, [2, 0, 1])


def test_getitem_out_of_range():
    with pytest.raises(IndexError, match="shape"):
        Tensor(np.ones(3))[5]


@pytest.mark.parametrize("mode", ["constant", "reflect", "symmetric", "edge", "wrap"])
@pytest.mark.parametrize("pad_width", [((1, 2), (0, 3)), ((2, 2), (1, 1)), 1])
def test_pad(mode, pad_width):
    x = randn(3, 4)
    np.testing.assert_array_equal(
        ops.pad(x, pad_width, mode=mode).numpy(), np.pad(x, pad_width, mode=mode)
    )
    check_grad(lambda t: ops.pad(t, pad_width, mode=mode), x)


def test_pad_constant_values_and_errors():
    out = ops.pad(np.ones(2), [(1, 1)], constant_values=7.0).numpy()
    np.testing.assert_array_equal(out, [7, 1, 1, 7])
    with pytest.raises(ValueError, match="pad"):
        ops.pad(np.ones(2), [(-1, 1)])


@pytest.mark.parametrize(
    "repeats,axis",
    [
        (2, None),
        (3, 0),
        (2, 1),
        (2, -1),
        ([1, 0, 3], 1),
        ([2, 0, 1, 1, 0, 2], None),
        ([2, 1], 0),
        ([4], 1),
    ],
)
def test_repeat(repeats, axis):
    x = randn(2, 3)
    np.testing.assert_array_equal(
        ops.repeat(x, repeats, axis=axis).numpy(), np.repeat(x, repeats, axis=axis)
    )
    check_grad(lambda t: ops.repeat(t, repeats, axis=axis), x)


@pytest.mark.parametrize("reps", [2, (2, 1), (1, 3), (2, 2, 2), (3,)])
def test_tile(reps):
    x = randn(2, 3)
    np.testing.assert_array_equal(ops.tile(x, reps).numpy(), np.tile(x, reps))
    check_grad(lambda t: ops.tile(t, reps), x)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_flip_and_roll(axis):
    x = randn(3, 4)
    np.testing.assert_array_equal(ops.flip(x, axis).numpy(), np.flip(x, axis))
    check_grad(lambda t: ops.flip(t, axis), x)
    shift = 2 if not isinstance(axis, tuple) else (1, -1)
    np.testing.assert_array_equal(ops.roll(x, shift, axis).numpy(), np.roll(x, shift, axis))
    check_grad(lambda t: ops.roll(t, shift, axis), x)


def test_cast_between_float_dtypes_is_differentiable():
    x32 = randn(2, 3, dtype="float32")
    out = ops.cast(x32, "float64")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), x32.astype(np.float64))
    t = Tensor(x32, requires_grad=True)
    (g,) = gradients(ops.multiply(ops.cast(t, "float64"), 3.0), [t])
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, np.full((2, 3), 3, np.float32))
    t64 = Tensor(randn(2, 3), requires_grad=True)
    (g,) = gradients(ops.cast(t64, "float32"), [t64])
    assert g.dtype == np.float64
    assert ops.cast(x32, "int32").dtype == np.int32
    assert not ops.cast(Tensor(x32, requires_grad=True), "int32").requires_grad


def test_broadcast_swap_move():
    x = randn(3, 1)
    expected = np.broadcast_to(x, (2, 3, 4))
    np.testing.assert_array_equal(ops.broadcast_to(x, (2, 3, 4)).numpy(), expected)
    check_grad(lambda t: ops.broadcast_to(t, (2, 3, 4)), x)
    y = randn(2, 3, 4)
    np.testing.assert_array_equal(ops.swapaxes(y, 0, 2).numpy(), np.swapaxes(y, 0, 2))
    for src, dst in [(0, 2), (-1, 0), ((0, 1), (2, 0)), (2, 1)]:
        np.testing.assert_array_equal(ops.moveaxis(y, src, dst).numpy(), np.moveaxis(y, src, dst))
        check_grad(lambda t, s=src, d=dst: ops.moveaxis(t, s, d), y)
    check_grad(lambda t: ops.swapaxes(t, 0, 1), y)


def test_sort_and_top_k():
    x = np.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
    np.testing.assert_array_equal(ops.sort(x).numpy(), np.sort(x))
    np.testing.assert_array_equal(ops.sort(x, axis=0).numpy(), np.sort(x, axis=0))
    check_grad(ops.sort, x)
    values, indices = ops.top_k(x, 2)
    np.testing.assert_array_equal(values.numpy(), [[3.0, 2.0], [4.0, 0.5]])
    np.testing.assert_array_equal(indices.numpy(), [[0, 2], [1, 0]])
    check_grad(lambda t: ops.top_k(t, 2)[0], x)
    np.testing.assert_array_equal(ops.argsort(x).numpy(), np.argsort(x))
    np.testing.assert_array_equal(ops.in_top_k(np.array([2, 2]), x, 2).numpy(), [True, False])


def test_slice_and_updates():
    x = randn(4, 5)
    np.testing.assert_array_equal(ops.slice(x, (1, 2), (2, 3)).numpy(), x[1:3, 2:5])
    check_grad(lambda t: ops.slice(t, (1, 2), (2, 3)), x)
    u = randn(2, 2, seed=3)
    out = ops.slice_update(x, (1, 3), u).numpy()
    expected = x.copy()
    expected[1:3, 3:5] = u
    np.testing.assert_array_equal(out, expected)
    check_grad(lambda a, b: ops.slice_update(a, (1, 3), b), x, u)
    with pytest.raises(IndexError, match="slice_update"):
        ops.slice_update(x, (3, 3), u)
    idx = np.array([[0, 1], [2, 2], [0, 1]])
    vals = np.array([1.0, 2.0, 3.0])
    expected = np.zeros((3, 3))
    expected[0, 1], expected[2, 2] = 4.0, 2.0  # duplicates add
    np.testing.assert_array_equal(ops.scatter(idx, vals, (3, 3)).numpy(), expected)
    check_grad(lambda v: ops.scatter(idx, v, (3, 3)), vals)
    upd = ops.scatter_update(np.zeros((3, 2)), np.array([[1], [2]]), np.ones((2, 2))).numpy()
    np.testing.assert_array_equal(upd, [[0, 0], [1, 1], [1, 1]])
    check_grad(
        lambda a, b: ops.scatter_update(a, np.array([[1, 0], [2, 1]]), b),
        x[:3, :2],
        np.array([5.0, 6.0]),
    )
    with pytest.raises(IndexError, match="index 3"):
        ops.scatter(np.array([[3, 0]]), np.ones(1), (3, 3))


def test_joins_and_differences():
    a, b = randn(2, 3, seed=1), randn(2, 3, seed=2)
    np.testing.assert_array_equal(ops.hstack([a, b]).numpy(), np.hstack([a, b]))
    np.testing.assert_array_equal(ops.vstack([a, b]).numpy(), np.vstack([a, b]))
    np.testing.assert_array_equal(ops.vstack([a[0], b[1]]).numpy(), np.vstack([a[0], b[1]]))
    np.testing.assert_array_equal(ops.hstack([a[0], b[1]]).numpy(), np.hstack([a[0], b[1]]))
    np.testing.assert_array_equal(ops.append(a, b).numpy(), np.append(a, b))
    np.testing.assert_array_equal(ops.append(a, b, axis=1).numpy(), np.append(a, b, axis=1))
    np.testing.assert_allclose(ops.diff(a).numpy(), np.diff(a))
    np.testing.assert_allclose(ops.diff(a, n=2, axis=1).numpy(), np.diff(a, n=2, axis=1))
    np.testing.assert_allclose(ops.diff(a, axis=0).numpy(), np.diff(a, axis=0))
    check_grad(lambda x, y: ops.hstack([x, y]), a, b)
    check_grad(lambda x, y: ops.vstack([x, y]), a, b)
    check_grad(lambda x: ops.diff(x, n=2), a)
    parts = ops.unstack(a, axis=1)
    assert len(parts) == 3 and parts[1].shape == (2,)
    check_grad(lambda x: ops.stack(ops.unstack(x, axis=1)[::-1]), a)


def test_tril_triu_select():
    x = randn(3, 3)
    np.testing.assert_array_equal(ops.tril(x, -1).numpy(), np.tril(x, -1))
    np.testing.assert_array_equal(ops.triu(x, 1).numpy(), np.triu(x, 1))
    check_grad(lambda t: ops.tril(t), x)
    check_grad(lambda t: ops.triu(t, 1), x)
    conds = [x > 0.5, x < -0.5]
    np.testing.assert_array_equal(
        ops.select(conds, [x, -x], 9.0).numpy(), np.select(conds, [x, -x], 9.0)
    )
    check_grad(lambda t: ops.select(conds, [t, ops.square(t)]), x)


def test_stop_gradient():
    t = Tensor(randn(3), requires_grad=True)
    out = ops.add(ops.stop_gradient(ops.multiply(t, 2.0)), t)
    (g,) = gradients(out, [t])
    np.testing.assert_array_equal(g, np.ones(3))


def test_creation_ops_dtypes():
    assert ops.zeros((2, 3)).dtype == np.float32
    assert ops.ones((2,), "float64").dtype == np.float64
    assert ops.full((2,), 3.0).numpy().tolist() == [3.0, 3.0]
    assert ops.arange(5).dtype == np.int32
    assert ops.arange(0.0, 1.0, 0.25).dtype == np.float32
    np.testing.assert_array_equal(ops.eye(3, 4, 1).numpy(), np.eye(3, 4, 1))
    np.testing.assert_array_equal(ops.identity(3).numpy(), np.eye(3))
    assert ops.identity(2, "float64").dtype == np.float64
    np.testing.assert_array_equal(ops.tri(3, k=-1).numpy(), np.tri(3, k=-1))
    np.testing.assert_allclose(ops.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1])
    oh = ops.one_hot(np.array([0, 2, -1, 3]), 3)
    np.testing.assert_array_equal(oh.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    assert oh.dtype == np.float32
    assert ops.one_hot(np.array([1]), 3, axis=0).shape == (3, 1)
    r, c = ops.nonzero(np.array([[0, 1], [2, 0]]))
    assert r.numpy().tolist() == [0, 1] and c.numpy().tolist() == [1, 0]
    assert ops.zeros_like(randn(2)).dtype == np.float64
    assert ops.shape(randn(2, 3)) == (2, 3)
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32


def test_conversions_and_small_helpers():
    x = randn(2, 3)
    t = Tensor(x)
    assert ops.convert_to_numpy(t) is x
    assert isinstance(ops.convert_to_numpy([1, 2]), np.ndarray)
    assert ops.is_tensor(t) and not ops.is_tensor(x)
    assert ops.dtype(t) == "float64" and ops.size(t) == 6 and ops.ndim(t) == 2
    assert ops.array([1.0]).dtype == np.float32
    assert ops.array([1.0], dtype="float64").dtype == np.float64
    np.testing.assert_array_equal(ops.flatten(x).numpy(), x.reshape(-1))
    np.testing.assert_array_equal(ops.ones_like(x).numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(ops.full_like(x, 4.0, dtype="int32").numpy(), np.full((2, 3), 4))
    assert ops.empty((2, 1)).shape == (2, 1)
    gx, gy = ops.meshgrid(np.arange(3), np.arange(2))
    np.testing.assert_array_equal(gx.numpy(), np.meshgrid(np.arange(3), np.arange(2))[0])
    np.testing.assert_array_equal(ops.unique(np.array([3, 1, 3, 2])).numpy(), [1, 2, 3])
    c = ops.copy(x)
    assert c.numpy() is not x and np.array_equal(c.numpy(), x)
    check_grad(ops.copy, x)
    check_grad(ops.flatten, x)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_shape_ops_keep_dtype(dtype):
    x = randn(2, 3, dtype=dtype)
    outs = [
        ops.reshape(x, (3, 2)),
        ops.transpose(x),
        ops.expand_dims(x, 0),
        ops.squeeze(x[None]),
        ops.concatenate([x, x]),
        ops.stack([x, x]),
        ops.split(x, 3, axis=1)[0],
        ops.take(x, np.array([1, 0])),
        ops.take_along_axis(x, np.zeros((2, 1), int), 1),
        x[0],
        ops.pad(x, 1),
        ops.pad(x, 1, mode="reflect"),
        ops.repeat(x, 2),
        ops.tile(x, 2),
        ops.flip(x),
        ops.roll(x, 1),
        ops.sort(x),
        ops.broadcast_to(x, (4, 2, 3)),
        ops.moveaxis(x, 0, 1),
        ops.where(x > 0, x, 0.0),
        ops.tril(x),
        ops.diff(x),
        ops.slice_update(x, (0, 0), x[:1, :1]),
        ops.scatter(np.array([[0]]), x[:1, 0], (2,)),
    ]
    for out in outs:
        assert out.dtype == np.dtype(dtype)


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
        elements=st.floats(-10, 10),
    ),
    st.randoms(use_true_random=False),
)
def test_property_reshape_round_trips(x, rnd):
    flat = ops.reshape(x, (-1,))
    assert flat.shape == (x.size,)
    back = ops.reshape(flat, x.shape)
    np.testing.assert_array_equal(back.numpy(), x)
    perm = list(range(x.ndim))
    rnd.shuffle(perm)
    inverse = list(np.argsort(perm))
    np.testing.assert_array_equal(ops.transpose(ops.transpose(x, perm), inverse).numpy(), x)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3),
        elements=st.floats(-10, 10),
    )
)
def test_property_concatenate_split_round_trip(x):
    parts = ops.split(x, [1], axis=0) if x.shape[0] >= 1 else [x]
    np.testing.assert_array_equal(ops.concatenate(parts, axis=0).numpy(), x)
    np.testing.assert_array_equal(ops.flip(ops.flip(x, 0), 0).numpy(), x)
    np.testing.assert_array_equal(ops.expand_dims(x, 0).numpy(), x[None])


def test_argsort_is_stable_on_ties_as_keras():
    """Keras 3.15.1 (jax) observed: ties keep their input order, argsort([4, 1, 4, 1]) is
    [1, 3, 0, 2] (numpy's default quicksort may order equal keys otherwise)."""
    assert ops.argsort(np.array([4, 1, 4, 1] * 8, "int32")).numpy().tolist()[:4] == [1, 3, 5, 7]
    x = np.array([[3, 1, 3, 1, 2, 2, 3, 1, 2, 3, 1, 1, 2, 3, 3, 1, 2]], "int32")
    np.testing.assert_array_equal(ops.argsort(x).numpy(), np.argsort(x, kind="stable"))


def test_diff_of_bool_marks_changes():
    """Keras 3.15.1 accepts bool input (numpy, jax and torch backends: bool result)."""
    y = ops.diff(np.array([True, True, False, True]))
    assert y.dtype == bool and y.numpy().tolist() == [False, True, True]


def test_pad_refuses_unknown_modes_as_keras():
    # Keras 3.15.1 (jax and torch backends): NotImplementedError for an unknown mode
    with pytest.raises(NotImplementedError, match="'bogus'.*Expected one of constant, edge"):
        ops.pad(np.ones((2, 2)), 1, mode="bogus")
    with pytest.raises(ValueError, match="constant_values needs mode='constant'"):
        ops.pad(np.ones((2, 2)), 1, mode="reflect", constant_values=2)
    np.testing.assert_array_equal(
        ops.pad(np.arange(3.0), 2, mode="maximum").numpy(), [2.0] * 2 + [0, 1, 2] + [2.0] * 2
    )


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_pad_takes_tf_pad_mode_names(mode):
    # Keras's TensorFlow backend hands mode.upper() to tf.pad, so keras.io's cyclegan (written
    # for it) pads with mode="REFLECT"; the result is numpy's lower-case mode, gradient included
    x = np.arange(12.0).reshape(3, 4)
    pw = [(1, 2), (2, 1)]
    np.testing.assert_array_equal(ops.pad(x, pw, mode=mode).numpy(), np.pad(x, pw, mode.lower()))
    check_grad(lambda t: ops.pad(t, pw, mode=mode), (3, 4))
    with pytest.raises(NotImplementedError, match="'Reflect'"):
        ops.pad(x, 1, mode="Reflect")  # only tf.pad's own spellings
