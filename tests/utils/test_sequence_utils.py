"""pad_sequences: Keras semantics (pre padding and pre truncation by default, int32)."""

import numpy as np
import pytest

from minikeras.utils import pad_sequences

SEQS = [[1, 2, 3], [4, 5], [6]]


def test_defaults_pad_pre_to_longest():
    out = pad_sequences(SEQS)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[1, 2, 3], [0, 4, 5], [0, 0, 6]])


def test_truncating_pre_keeps_the_end():
    np.testing.assert_array_equal(pad_sequences(SEQS, maxlen=2), [[2, 3], [4, 5], [0, 6]])


def test_post_padding_and_truncation():
    out = pad_sequences(SEQS, maxlen=2, padding="post", truncating="post")
    np.testing.assert_array_equal(out, [[1, 2], [4, 5], [6, 0]])
    out = pad_sequences(SEQS, maxlen=4, padding="post")
    np.testing.assert_array_equal(out, [[1, 2, 3, 0], [4, 5, 0, 0], [6, 0, 0, 0]])


def test_value_and_dtype():
    out = pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", value=-1.0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.5, 1.5], [-1.0, 2.5]])


def test_floats_into_int32_truncate_like_numpy():
    np.testing.assert_array_equal(pad_sequences([[1.7, 2.2]]), [[1, 2]])


def test_empty_sequence_is_all_padding():
    np.testing.assert_array_equal(pad_sequences([[], [1, 2]], value=9), [[9, 9], [1, 2]])


def test_no_sequences():
    with pytest.raises(ValueError, match="maxlen"):  # Keras 3 fails on max() of no lengths
        pad_sequences([])
    assert pad_sequences([], maxlen=3).shape == (0, 3)


def test_maxlen_zero():
    assert pad_sequences(SEQS, maxlen=0).shape == (3, 0)


def test_sequences_of_vectors():
    seqs = [np.ones((2, 3)), np.full((1, 3), 2.0)]
    out = pad_sequences(seqs, dtype="float32")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1], [[0, 0, 0], [2, 2, 2]])


def test_numpy_array_of_arrays_input():
    seqs = np.empty(2, dtype=object)
    seqs[0], seqs[1] = np.array([1, 2, 3]), np.array([4])
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=3), [[1, 2, 3], [0, 0, 4]])


def test_strings_need_object_dtype():
    out = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert out.tolist() == [["a", "b"], ["<pad>", "c"]]
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="<pad>")


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"padding": "middle"}, "Padding type"),
        ({"truncating": "both"}, "Truncating type"),
        ({"maxlen": -1}, "maxlen"),
    ],
)
def test_bad_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        pad_sequences(SEQS, **kw)


def test_non_iterable_items():
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([[1, 2], 3])
    with pytest.raises(ValueError, match="iterable"):
        pad_sequences(5)


def test_inconsistent_item_shapes():
    with pytest.raises(ValueError, match="position 1"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))], dtype="float32")
