"""segment_sum / segment_max (minikeras/core/ops/segment.py). Expected values were observed with
Keras 3.15.1 (jax backend; torch agrees on the values) and are written out here."""

import numpy as np
import pytest

from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor
from tests.helpers import check_grad

D = np.array([[1.0, 2.0], [3.0, 2.0], [3.0, 5.0], [7.0, 0.0]], "float32")
IDS = np.array([0, 0, 0, 2])


def test_values_as_keras():
    np.testing.assert_array_equal(
        ops.segment_sum(D, IDS, 4).numpy(), [[7, 9], [0, 0], [7, 0], [0, 0]]
    )
    np.testing.assert_array_equal(
        ops.segment_max(D, IDS, 4).numpy(), [[3, 5], [-np.inf, -np.inf], [7, 0], [-np.inf, -np.inf]]
    )
    assert ops.segment_max(D, IDS).shape == (3, 2)  # inferred: max id + 1 (torch backend)
    ints = ops.segment_max(np.array([1, 5, 2], "int32"), np.array([0, 0, 2]), 3)
    assert ints.dtype == np.int32 and ints.numpy().tolist() == [5, -2147483648, 2]
    # ids outside [0, num_segments) are dropped
    ids = np.array([0, -1, 1, 5])
    np.testing.assert_array_equal(ops.segment_sum(D, ids, 3).numpy(), [[1, 2], [3, 5], [0, 0]])
    np.testing.assert_array_equal(
        ops.segment_max(D, ids, 3).numpy(), [[1, 2], [3, 5], [-np.inf, -np.inf]]
    )
    with pytest.raises(ValueError, match="1-D"):
        ops.segment_sum(D.reshape(2, 2, 2), np.array([[0, 1], [1, 1]]), 2)


def test_gradients():
    ids = np.array([2, 0, 2, 1, 0, -1])
    check_grad(lambda x: ops.segment_sum(x, ids, 3), (6, 2))
    check_grad(lambda x: ops.segment_max(x, ids, 3), (6, 2))  # no empty (-inf) segment


def test_segment_max_ties_share_the_gradient():
    """Keras 3.15.1 (jax): a maximum reached twice splits its gradient equally."""
    x = Tensor(D.copy(), requires_grad=True)
    w = np.array([[6.0, 1.0], [1.0, 1.0], [1.0, 1.0]], "float32")
    (g,) = gradients(ops.segment_max(x, IDS, 3), [x], output_gradient=w)
    np.testing.assert_array_equal(g, [[0, 0], [3, 0], [3, 1], [1, 1]])
