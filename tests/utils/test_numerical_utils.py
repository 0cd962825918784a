"""to_categorical and normalize against hand-written values and numpy formulas."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils import normalize, to_categorical


def test_to_categorical_basic():
    out = to_categorical([0, 2, 1, 2], num_classes=4)
    expected = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0]], "float64")
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float64  # Keras 3's numpy path returns float64


def test_to_categorical_infers_classes():
    out = to_categorical(np.array([3, 0]))
    np.testing.assert_array_equal(out, [[0, 0, 0, 1], [1, 0, 0, 0]])


def test_to_categorical_drops_trailing_unit_axis():
    out = to_categorical(np.array([[1], [0]]), num_classes=2)
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[0, 1], [1, 0]])


def test_to_categorical_keeps_other_axes():
    labels = np.array([[0, 1, 2], [2, 2, 0]])
    out = to_categorical(labels, 3)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.argmax(-1), labels)
    np.testing.assert_array_equal(out.sum(-1), np.ones((2, 3)))


def test_to_categorical_single_label_vector_of_one():
    assert to_categorical([1], 3).tolist() == [[0.0, 1.0, 0.0]]


def test_to_categorical_integral_floats_and_dtype():
    out = to_categorical(np.array([1.0, 0.0]), 2, dtype="float32")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0, 1], [1, 0]])


@pytest.mark.parametrize("labels,n", [([0, 3], 3), ([-3, 0], 2)])
def test_to_categorical_out_of_range(labels, n):
    with pytest.raises(IndexError, match="num_classes"):  # Keras 3's type
        to_categorical(labels, n)


def test_to_categorical_negative_labels_count_from_the_end():
    # as Keras 3 (numpy indexing): -1 is the last class
    assert to_categorical([-1, 0], 3).tolist() == [[0, 0, 1], [1, 0, 0]]


def test_to_categorical_rejects_fractional_labels():
    with pytest.raises(ValueError, match="integer class labels"):
        to_categorical([0.5, 1.0], 2)


def test_to_categorical_tensor_input():
    out = to_categorical(keras.ops.convert_to_tensor(np.array([1, 0])), 2)
    assert isinstance(out, keras.Tensor)
    np.testing.assert_array_equal(out.data, [[0, 1], [1, 0]])


def test_normalize_l2_rows():
    x = np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 0.0]])
    out = normalize(x)
    np.testing.assert_allclose(out, [[0.6, 0.8], [1.0, 0.0], [0.0, 0.0]])  # zero row kept


def test_normalize_axis_and_order():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(
        normalize(x, order=np.inf), x / np.abs(x).max(axis=-1, keepdims=True)
    )
    # Keras 3 (numpy input): axis=0 puts the axis back last, so row i is divided by the norm
    # of column i ([[0.75, 1.0], [0.2, -0.2]] from Keras 3.15.1); a non-square x cannot
    sq = np.array([[3.0, 4.0], [1.0, -1.0]])
    np.testing.assert_allclose(normalize(sq, axis=0, order=1), [[0.75, 1.0], [0.2, -0.2]])
    with pytest.raises(ValueError, match="axis=0"):
        normalize(x, axis=0, order=1)


def test_normalize_1d():
    # Keras 3 returns a (1, n) array for a 1-D numpy input
    np.testing.assert_allclose(normalize(np.array([1.0, 2.0, 2.0])), [[1 / 3, 2 / 3, 2 / 3]])


def test_normalize_tensor_input():
    out = normalize(keras.ops.convert_to_tensor(np.array([[3.0, 4.0]], "float32")))
    assert isinstance(out, keras.Tensor)
    np.testing.assert_allclose(out.data, [[0.6, 0.8]], rtol=1e-6)


def test_normalize_bad_axis():
    with pytest.raises(ValueError, match="axis"):
        normalize(np.ones((2, 2)), axis=2)


def test_normalize_list_input_goes_through_ops_normalize():
    # Keras 3: a list is normalised along `axis` (float32), without the numpy path's quirks
    out = normalize([[3.0, 4.0], [1.0, -1.0]], axis=0, order=1)
    np.testing.assert_allclose(out, [[0.75, 0.8], [0.25, -0.2]], rtol=1e-6)
    assert out.dtype == np.float32
    np.testing.assert_allclose(normalize([1, 2, 2]), [1 / 3, 2 / 3, 2 / 3], rtol=1e-6)
