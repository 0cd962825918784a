import numpy as np
import pytest

import minikeras as keras
from merging_helpers import masked, run_merge_test


def test_add_three_inputs():
    run_merge_test(
        keras.layers.Add, {}, [(2, 3), (2, 3), (2, 3)], (2, 3), reference=lambda a, b, c: a + b + c
    )


def test_add_broadcasts_lower_rank_after_batch_axis():
    run_merge_test(
        keras.layers.Add,
        {},
        [(2, 4), (2, 3, 4)],
        (2, 3, 4),
        reference=lambda a, b: a[:, None, :] + b,
    )
    run_merge_test(
        keras.layers.Add, {}, [(2, 1, 4), (2, 3, 4)], (2, 3, 4), reference=lambda a, b: a + b
    )


def test_add_functional_form():
    a, b = np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")
    np.testing.assert_allclose(np.asarray(keras.layers.add([a, b], name="sum")), 3.0)
    inputs = [keras.Input((3,)), keras.Input((3,))]
    out = keras.layers.add(inputs)
    assert out.shape == (None, 3)
    model = keras.Model(inputs, out)
    np.testing.assert_allclose(np.asarray(model([a, b])), 3.0)


def test_add_incompatible_shapes_name_layer():
    with pytest.raises(ValueError, match=r"plus.*incompatible shapes.*\(3,\).*\(4,\)"):
        keras.layers.Add(name="plus")([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="plus2.*incompatible"):
        keras.layers.Add(name="plus2")([keras.Input((3,)), keras.Input((4,))])
    with pytest.raises(ValueError, match="batch sizes"):
        keras.layers.Add()([np.ones((2, 3)), np.ones((5, 3))])
    with pytest.raises(ValueError, match="list of inputs"):
        keras.layers.Add()(np.ones((2, 3)))


def test_add_masks_or_when_all_inputs_masked():
    a = masked(np.ones((2, 3, 1)), [[1, 1, 0], [1, 0, 0]])
    b = masked(np.ones((2, 3, 1)), [[1, 0, 0], [1, 1, 0]])
    out = keras.layers.Add()([a, b])
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[1, 1, 0], [1, 1, 0]])
    np.testing.assert_allclose(np.asarray(out), 2.0)  # values are added as they are
    assert keras.layers.Add()([a, np.ones((2, 3, 1), "float32")])._keras_mask is None
