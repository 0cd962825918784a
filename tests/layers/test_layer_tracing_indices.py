"""A symbolic build's placeholder run gathers with placeholder indices (ones) from placeholder
tensors whose unknown axes may have size 1: out-of-range indices are wrapped there (Keras
traces without data), while eager calls on real data still raise."""

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops


class Gather(keras.layers.Layer):
    """Node features gathered by the second column of an edge list (a message-passing step)."""

    def call(self, inputs):
        nodes, edges = inputs
        return ops.take(nodes, ops.cast(edges[:, 1], "int32"), axis=0)


def test_a_gather_by_index_inputs_builds_and_runs():
    nodes = keras.Input((3,), batch_size=1)  # one node in the placeholder run
    edges = keras.Input((2,), dtype="int32")
    model = keras.Model([nodes, edges], Gather()([nodes, edges]))
    assert model.output.shape == (None, 3)
    x = np.arange(12, dtype="float32").reshape(4, 3)
    e = np.array([[0, 3], [1, 2], [2, 0]], "int32")
    np.testing.assert_array_equal(model([x, e]).numpy(), x[[3, 2, 0]])


def test_eager_out_of_range_indices_still_raise():
    with pytest.raises(IndexError, match="out of range"):
        ops.take(np.zeros((2, 3)), np.array([5]), axis=0)
    with pytest.raises(IndexError, match="out of range"):
        ops.take_along_axis(np.zeros((2, 3)), np.array([[5], [0]]), axis=1)
