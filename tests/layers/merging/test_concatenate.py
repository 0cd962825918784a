import numpy as np
import pytest

import minikeras as keras
from merging_helpers import masked, run_merge_test


def test_concatenate_last_axis_and_other_axes():
    run_merge_test(
        keras.layers.Concatenate,
        {},
        [(2, 3), (2, 4)],
        (2, 7),
        reference=lambda a, b: np.concatenate([a, b], -1),
    )
    run_merge_test(
        keras.layers.Concatenate,
        {"axis": 1},
        [(2, 2, 5), (2, 1, 5), (2, 3, 5)],
        (2, 6, 5),
        reference=lambda a, b, c: np.concatenate([a, b, c], 1),
    )
    assert keras.layers.Concatenate(axis=1).get_config()["axis"] == 1


def test_concatenate_functional_form_in_model():
    i1, i2 = keras.Input((3,)), keras.Input((4,))
    out = keras.layers.concatenate([i1, i2], axis=-1, name="cat")
    assert out.shape == (None, 7)
    model = keras.Model([i1, i2], out)
    a, b = np.ones((2, 3), "float32"), np.zeros((2, 4), "float32")
    np.testing.assert_array_equal(np.asarray(model([a, b])), np.concatenate([a, b], -1))


def test_concatenate_mismatched_shapes_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r"cat.*matching shapes.*\(2, 3, 4\).*\(2, 2, 5\)"):
        keras.layers.Concatenate(name="cat")([np.ones((2, 3, 4)), np.ones((2, 2, 5))])
    with pytest.raises(ValueError, match="cat2.*matching shapes"):
        keras.layers.Concatenate(name="cat2")([keras.Input((3, 4)), keras.Input((2, 4))])
    with pytest.raises(ValueError, match="matching shapes"):
        keras.layers.Concatenate()([np.ones((2, 3)), np.ones((2, 3, 1))])
    with pytest.raises(ValueError, match="list of inputs"):
        keras.layers.Concatenate()(np.ones((2, 3)))


def test_concatenate_masks_along_features_and_time():
    m1 = np.array([[1, 1, 0], [1, 0, 0]], bool)
    m2 = np.array([[1, 0, 0], [1, 1, 1]], bool)
    a, b = masked(np.ones((2, 3, 2)), m1), masked(np.ones((2, 3, 4)), m2)
    out = keras.layers.Concatenate()([a, b])  # feature axis: a step is kept if either keeps it
    np.testing.assert_array_equal(np.asarray(out._keras_mask), m1 | m2)
    b = masked(np.ones((2, 3, 2)), m2)
    out = keras.layers.Concatenate(axis=1)([a, b])  # time axis: the masks are joined
    np.testing.assert_array_equal(np.asarray(out._keras_mask), np.concatenate([m1, m2], 1))
    # an unmasked input counts as all-true
    out = keras.layers.Concatenate(axis=1)([a, np.ones((2, 2, 2), "float32")])
    np.testing.assert_array_equal(
        np.asarray(out._keras_mask), np.concatenate([m1, np.ones((2, 2), bool)], 1)
    )


def test_concatenate_mask_from_embedding_in_functional_model():
    ids = keras.Input((None,), dtype="int32")
    feats = keras.Input((None, 2))
    emb = keras.layers.Embedding(5, 3, mask_zero=True)(ids)
    out = keras.layers.Concatenate()([emb, feats])
    model = keras.Model([ids, feats], out)
    x_ids = np.array([[1, 0, 2]], "int32")
    y = model([x_ids, np.ones((1, 3, 2), "float32")])
    assert np.asarray(y).shape == (1, 3, 5)
    np.testing.assert_array_equal(np.asarray(y._keras_mask), [[True, True, True]])
