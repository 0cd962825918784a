"""`ops.unique` with Keras 3's extra outputs, `size` and `axis`, and `ops.scatter_update`'s
`reduction`, against Keras 3.15.1's answers (recorded on its jax backend, written here as
literals) and float64 finite-difference gradients."""

import numpy as np
import pytest
from helpers import check_grad

from minikeras import ops

X = np.array([[3, 1], [2, 1], [3, 2]])


def _lists(result):
    return [t.numpy().tolist() for t in (result if isinstance(result, tuple) else (result,))]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [[1, 2, 3]]),
        (
            dict(return_index=True, return_inverse=True, return_counts=True),
            [[1, 2, 3], [1, 2, 0], [[2, 0], [1, 0], [2, 1]], [2, 2, 2]],
        ),
        # padding: counts with 0 and indices with 1 as Keras; values with fill_value (Keras's
        # documented default 0; its jax backend pads with the minimum instead)
        (
            dict(size=5, return_counts=True, return_index=True, fill_value=0),
            [[1, 2, 3, 0, 0], [1, 2, 0, 1, 1], [2, 2, 2, 0, 0]],
        ),
        (dict(size=2), [[1, 2]]),
        (
            dict(axis=0, return_inverse=True, return_counts=True),
            [[[2, 1], [3, 1], [3, 2]], [1, 0, 2], [1, 1, 1]],
        ),
    ],
)
def test_unique_matches_keras(kwargs, expected):
    result = ops.unique(X, **kwargs)
    assert _lists(result) == expected
    extras = result[1:] if isinstance(result, tuple) else ()
    assert all(t.dtype == "int32" for t in extras)


def test_unique_unsorted_keeps_first_appearance_and_inverse_rebuilds():
    x = np.array([3, 1, 2, 1, 3, 2])
    values, inverse = ops.unique(x, sorted=False, return_inverse=True)
    assert values.numpy().tolist() == [3, 1, 2]
    np.testing.assert_array_equal(values.numpy()[inverse.numpy()], x)
    with pytest.raises(ValueError, match="axis 2"):
        ops.unique(X, axis=2)


@pytest.mark.parametrize(
    "reduction, expected",
    [
        (None, [-1.0, 7.0, 3.0, 4.0]),
        ("add", [5.0, 9.0, 3.0, 4.0]),
        ("max", [5.0, 7.0, 3.0, 4.0]),
        ("min", [-1.0, 2.0, 3.0, 4.0]),
        ("mul", [-5.0, 14.0, 3.0, 4.0]),
    ],
)
def test_scatter_update_reductions_match_keras(reduction, expected):
    out = ops.scatter_update(
        np.array([1.0, 2.0, 3.0, 4.0]), [[0], [0], [1]], np.array([5.0, -1.0, 7.0]), reduction
    )
    assert out.numpy().tolist() == expected


def test_scatter_update_rejects_an_unknown_reduction():
    with pytest.raises(ValueError, match="'avg'"):
        ops.scatter_update(np.zeros(3), [[0]], [1.0], reduction="avg")


@pytest.mark.parametrize("reduction", [None, "add", "mul", "max", "min"])
def test_scatter_update_gradients(reduction):
    # distinct values (no ties for max/min), repeated indices for the reductions
    inputs = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
    updates = np.array([[1.1, -2.2, 0.9], [-0.4, 0.8, 3.1], [2.5, -0.6, 0.2]])
    index = [[1], [0], [1]] if reduction is not None else [[1], [0], [0]][:2]
    ups = updates if reduction is not None else updates[:2]
    check_grad(lambda a, u: ops.scatter_update(a, index, u, reduction=reduction), inputs, ups)
