"""Ops on scalars, empty arrays and bad axes: a clear error naming the op, or Keras 3's answer.

Found by calling every `keras.ops` function with odd inputs: these raised `ZeroDivisionError`
("integer modulo by zero"), `IndexError("tuple index out of range")` or an `AttributeError` from
deep inside minikeras. Expected answers are numpy's or Keras 3.15.1's (on torch), noted per test.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras.core.ops._base import axis_of

ops = keras.ops
M = np.arange(12.0, dtype=np.float32).reshape(3, 4)


def test_axis_of_accepts_numpy_and_0d_integers_and_rejects_the_rest():
    assert axis_of(-1, 3, "op") == 2
    assert axis_of(np.int64(1), 3, "op") == 1
    assert axis_of(np.array(2), 3, "op") == 2
    with pytest.raises(np.exceptions.AxisError, match="op: axis 3 .* rank 3"):
        axis_of(3, 3, "op")
    with pytest.raises(np.exceptions.AxisError, match="scalar has no axis"):
        axis_of(0, 0, "op")
    for bad in (1.0, True, "0", None):
        with pytest.raises(TypeError, match="op: `axis` must be an int"):
            axis_of(bad, 3, "op")


@pytest.mark.parametrize(
    "call, op",
    [
        (lambda: ops.moveaxis(np.float32(1), 0, 0), "moveaxis"),
        (lambda: ops.swapaxes(M, 0, 2), "swapaxes"),
        (lambda: ops.layer_normalization(np.float32(1)), "layer_normalization"),
        (lambda: ops.rms_normalization(M, axis=2), "rms_normalization"),
        (lambda: ops.unstack(np.float32(3)), "unstack"),
        (lambda: ops.split(np.float32(3), 2), "split"),
        (lambda: ops.glu(np.float32(2)), "split"),
        (lambda: ops.diff(np.float32(3)), "diff"),
        (lambda: ops.array_split(np.zeros(3), 2, axis=3), "array_split"),
        (lambda: ops.sparsemax(M, axis=4), "sparsemax"),
        (lambda: ops.softmax(np.float32(3), axis=1), "softmax"),
        (lambda: ops.map(lambda v: v, np.float32(1)), "map"),
        (lambda: ops.vectorized_map(lambda v: v, np.float32(1)), "vectorized_map"),
    ],
)
def test_a_missing_axis_is_an_axis_error_naming_the_op(call, op):
    # numpy's AxisError is both a ValueError and an IndexError (what numpy and torch raise)
    with pytest.raises(np.exceptions.AxisError, match=op):
        call()


def test_moveaxis_keeps_numpys_answers_and_refuses_repeated_axes():
    x = np.zeros((2, 3, 4))
    assert ops.moveaxis(x, [0, 1], [2, 0]).shape == np.moveaxis(x, [0, 1], [2, 0]).shape
    assert ops.moveaxis(x, -1, 0).shape == (4, 2, 3)
    with pytest.raises(ValueError, match="moveaxis: repeated axis"):
        ops.moveaxis(x, [0, 0], [1, 0])


def test_softmax_family_of_a_scalar_is_keras_answer():
    # Keras 3 (torch) treats a 0-d tensor as one value: softmax 1, log_softmax 0, sparsemax 1
    assert ops.softmax(np.float32(3)).numpy() == np.float32(1.0)
    with pytest.raises(TypeError, match="softmax expects a tensor"):
        ops.softmax(3.0)  # a Python number: Keras 3 raises (AttributeError) on both backends
    assert ops.softmax(np.float32(3)).shape == ()
    assert ops.log_softmax(np.float32(3)).numpy() == np.float32(0.0)
    assert ops.sparsemax(np.float32(3)).numpy() == np.float32(1.0)
    empty = ops.sparsemax(np.zeros((2, 0), np.float32))  # Keras returns the empty tensor
    assert empty.shape == (2, 0)


def test_scalar_softmax_has_a_zero_gradient():
    x = keras.Variable(np.float32(2.0))
    from minikeras.core.autodiff import GradientTape

    with GradientTape() as tape:
        y = ops.softmax(x)
    (g,) = tape.gradient(y, [x])
    assert float(np.asarray(g)) == 0.0  # softmax of one value is 1 whatever the value


def test_split_and_diff_refuse_nonsense_counts():
    with pytest.raises(ValueError, match="split: `indices_or_sections` must be a positive"):
        ops.split(np.arange(4), 0)
    with pytest.raises(ValueError, match="diff: `n` must be a non-negative int"):
        ops.diff(np.arange(4), n=-1)
    assert [p.shape for p in ops.split(np.arange(6), 3)] == [(2,), (2,), (2,)]


def test_dstack_and_hstack_of_scalars_and_empty_lists():
    assert ops.dstack([np.float32(1), np.float32(2)]).shape == (1, 1, 2)  # numpy's atleast_3d
    assert ops.hstack(np.ones((2, 3))).shape == np.hstack(np.ones((2, 3))).shape
    for bad in ([], np.float32(2), 3):
        with pytest.raises(ValueError, match="hstack: expects a non-empty list"):
            ops.hstack(bad)


def test_quantiles_need_values_and_numeric_q():
    x = np.arange(12.0).reshape(4, 3)
    np.testing.assert_allclose(
        ops.quantile(x, [0.25, 0.5], axis=0).numpy(), np.quantile(x, [0.25, 0.5], axis=0)
    )
    np.testing.assert_allclose(ops.quantile(x, 0.5, axis=(0, -1)).numpy(), np.median(x))
    assert ops.quantile(np.float32(3), 0.5).numpy() == 3.0
    with pytest.raises(ValueError, match=r"percentile: the reduced axes \(0, 1, 2\) of x"):
        ops.percentile(np.zeros((2, 0, 3)), 50)
    with pytest.raises(ValueError, match="nanmedian: the reduced axes"):
        ops.nanmedian(np.zeros(0))
    with pytest.raises(TypeError, match="quantile: `q` must be a number"):
        ops.quantile(x, None)
    with pytest.raises(ValueError, match="quantiles must be in"):
        ops.quantile(x, np.nan)


def test_einsum_and_tensordot_explain_bad_arguments():
    with pytest.raises(TypeError, match="einsum: the first argument must be the subscripts"):
        ops.einsum(np.ones(3), np.ones(3))
    a, b = np.ones((2, 3)), np.ones((3, 4))
    assert ops.tensordot(a, b, axes=1).shape == (2, 4)
    assert ops.tensordot(a, b, axes=([-1], [0])).shape == (2, 4)
    assert ops.tensordot(a, np.ones((3, 2)), axes=([1, 0], [0, 1])).shape == ()
    with pytest.raises(ValueError, match="tensordot: `axes`=3 must be between 0"):
        ops.tensordot(a, b, axes=3)
    with pytest.raises(ValueError, match="tensordot: axes .0. of x1 .* differ in number or size"):
        ops.tensordot(a, b, axes=([0], [0]))
    with pytest.raises(np.exceptions.AxisError, match="tensordot"):
        ops.tensordot(a, b, axes=([5], [0]))


def test_sequences_and_fold_refuse_impossible_geometry():
    with pytest.raises(ValueError, match="extract_sequences: `x` must have a last axis"):
        ops.extract_sequences(np.float32(1), 2, 1)
    with pytest.raises(ValueError, match="extract_sequences: .* must be positive"):
        ops.extract_sequences(np.ones(5), 2, 0)
    with pytest.raises(ValueError, match="unfold/fold: kernel_size, dilation and stride"):
        ops.fold(np.ones((1, 4, 4)), 3, 2, stride=0)


def test_other_shape_checks():
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy: `output` must hold"):
        ops.sparse_categorical_crossentropy(1, np.float32(2))
    with pytest.raises(ValueError, match="in_top_k: expected `predictions` of shape"):
        ops.in_top_k(np.array([1, 2]), np.zeros(3), 1)
    with pytest.raises(ValueError, match="cdist: x and y must be"):
        ops.cdist(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="map: the tensors must share their leading axis"):
        ops.map(lambda v: v[0], (np.zeros(2), np.zeros(3)))
    with pytest.raises(ValueError, match="map_coordinates: first dim of `coordinates`"):
        ops.image.map_coordinates(np.zeros((2, 2)), 1, 1)
    with pytest.raises(TypeError, match="slice: `start_indices` must be a list of ints"):
        ops.slice(M, "ab", (2, 2))
    assert ops.slice(M, np.array([1, 1]), (2, 2)).numpy().tolist() == [[5, 6], [9, 10]]


def test_affine_transform_needs_eight_values_per_image():
    images = np.zeros((2, 8, 8, 3), np.float32)
    with pytest.raises(ValueError, match="affine_transform: `transform` must hold 8 values"):
        ops.image.affine_transform(images, np.zeros((2, 7)))  # was numpy's reshape message
    with pytest.raises(ValueError, match=r"\(batch=2, 8\)"):
        ops.image.affine_transform(images, np.zeros((3, 8)))
    assert ops.image.affine_transform(images, np.zeros(8)).shape == (2, 8, 8, 3)
