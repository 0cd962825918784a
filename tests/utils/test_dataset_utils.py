"""split_dataset on arrays and tuples/dicts of arrays (Keras's size rules)."""

import numpy as np
import pytest

from minikeras.utils import split_dataset


def test_fraction_left():
    left, right = split_dataset(np.arange(10), left_size=0.8)
    assert left.tolist() == list(range(8)) and right.tolist() == [8, 9]


def test_int_right_and_both_sizes():
    left, right = split_dataset(np.arange(10), right_size=3)
    assert left.tolist() == list(range(7)) and right.tolist() == [7, 8, 9]
    left, right = split_dataset(np.arange(10), left_size=2, right_size=3)
    assert left.tolist() == [0, 1] and right.tolist() == [7, 8, 9]  # right = the last samples


def test_tuple_and_dict_structures():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (lx, _), (_, ry) = split_dataset((x, y), left_size=0.5)
    np.testing.assert_array_equal(lx, x[:5])
    np.testing.assert_array_equal(ry, y[5:])
    left, right = split_dataset({"a": x, "b": y}, right_size=0.2)
    assert set(left) == {"a", "b"} and len(right["b"]) == 2


def test_shuffle_is_seeded_permutation():
    a = split_dataset(np.arange(10), left_size=5, shuffle=True, seed=3)
    b = split_dataset(np.arange(10), left_size=5, shuffle=True, seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert sorted(a[0].tolist() + a[1].tolist()) == list(range(10))
    (x_l, y_l), _ = split_dataset(
        (np.arange(10), np.arange(10) * 2), left_size=5, shuffle=True, seed=1
    )
    np.testing.assert_array_equal(y_l, x_l * 2)  # arrays stay aligned


@pytest.mark.parametrize(
    "kw,err",
    [
        ({}, ValueError),
        ({"left_size": 1.5}, ValueError),
        ({"left_size": 10}, ValueError),
        ({"left_size": 0.6, "right_size": 0.6}, ValueError),
        ({"left_size": "half"}, TypeError),
        ({"left_size": 0.01}, ValueError),
    ],
)
def test_bad_sizes(kw, err):
    with pytest.raises(err):
        split_dataset(np.arange(10), **kw)


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        split_dataset((np.arange(4), np.arange(5)), left_size=0.5)
