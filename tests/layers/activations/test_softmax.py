import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_softmax_matches_numpy(axis):
    layer, _ = run_layer_test(
        keras.layers.Softmax, {"axis": axis}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4)
    )
    x = randn(2, 3, 4, seed=7, dtype="float32")
    ax = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_allclose(np.asarray(layer(x)), _softmax(x, ax), rtol=1e-5, atol=1e-7)


def test_softmax_mask_excludes_positions_and_zeroes_fully_masked_rows():
    x = randn(3, 4, seed=1, dtype="float32")
    mask = np.array([[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]], bool)
    out = np.asarray(keras.layers.Softmax()(x, mask=mask))
    ref = np.zeros_like(x)
    for i in range(3):
        if mask[i].any():
            ref[i, mask[i]] = _softmax(x[i, mask[i]], -1)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-7)


def test_softmax_broadcast_mask_and_gradient():
    x = randn(2, 3, 4, seed=2)
    mask = np.array([[[1, 0, 1, 1]]], bool)  # (1, 1, 4) broadcast over batch and rows
    run_layer_test(
        keras.layers.Softmax,
        {},
        input_data=x,
        call_kwargs={"mask": mask},
        expected_output_shape=(2, 3, 4),
    )
    out = np.asarray(keras.layers.Softmax()(x.astype("float32"), mask=mask))
    assert np.all(out[..., 1] == 0)
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-6)


def test_softmax_rejects_unbroadcastable_mask():
    with pytest.raises(ValueError, match="sm.*mask"):
        keras.layers.Softmax(name="sm")(np.ones((2, 3), "float32"), mask=np.ones((2, 4), bool))
