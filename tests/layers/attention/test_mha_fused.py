"""MultiHeadAttention in predict runs `softmax(q k^T) v` through `kernels/attention.py` (the
scores stay in cache, masks applied as the Softmax layer applies them) where that gives the
separate ops' answer; it keeps the separate ops for returned scores, dropout, several
attention axes, float64 and recorded gradients."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.kernels import attention as kernel


@pytest.fixture
def calls(monkeypatch):
    seen = []
    real = kernel.attention

    def spy(q, k, v, mask=None):
        seen.append(q.shape)
        return real(q, k, v, mask)

    monkeypatch.setattr(kernel, "attention", spy)
    return seen


def _layer(**kwargs):
    keras.utils.set_random_seed(3)
    layer = keras.layers.MultiHeadAttention(num_heads=3, key_dim=5, **kwargs)
    x = np.random.default_rng(0).normal(size=(4, 9, 6)).astype("float32")
    y = np.random.default_rng(1).normal(size=(4, 7, 6)).astype("float32")
    layer(x, y)
    return layer, x, y


def _separate(layer, *args, **kwargs):
    """The layer's answer through the separate ops: outside `no_grad` (and `predict`) its
    trainable weights record a gradient."""
    return layer(*args, **kwargs)


def test_predict_fuses_with_the_separate_ops_answer(calls):
    layer, x, y = _layer()
    with keras.no_grad():
        got = layer(x, y).numpy()
    assert calls == [(4, 9, 3, 5)]
    want = _separate(layer, x, y).numpy()
    assert calls == [(4, 9, 3, 5)]  # the recorded call did not fuse
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_inside_a_functional_model_predict(calls):
    keras.utils.set_random_seed(2)
    tokens = keras.Input((16,), dtype="int32")
    h = keras.layers.Embedding(50, 8)(tokens)
    h = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, use_bias=False)(h, h)
    model = keras.Model(tokens, keras.layers.GlobalAveragePooling1D()(h))
    calls.clear()  # the build's placeholder run (or its reference, on a cold cache)
    x = np.random.default_rng(0).integers(0, 50, size=(5, 16))
    got = model.predict(x, verbose=0)
    assert calls == [(5, 16, 2, 4)]
    want = _separate(model, x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def _full_row_masked():
    mask = np.random.default_rng(3).random((4, 9, 7)) > 0.4
    mask[1, 2] = False  # a query position that attends to nothing: a zero output
    return mask


@pytest.mark.parametrize(
    "call_kwargs",
    [
        {"attention_mask": np.tril(np.ones((4, 9, 7), bool))},
        {"attention_mask": _full_row_masked()},
        {"use_causal_mask": True},
    ],
)
def test_masks_fuse_with_the_separate_ops_answer(calls, call_kwargs):
    layer, x, y = _layer()
    with keras.no_grad():
        got = layer(x, y, **call_kwargs).numpy()
    assert calls == [(4, 9, 3, 5)]
    want = _separate(layer, x, y, **call_kwargs).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_padding_masks_from_the_inputs_fuse(calls):
    """Keras masks riding on the query and value (an Embedding with mask_zero)."""
    keras.utils.set_random_seed(5)
    tokens = keras.Input((12,), dtype="int32")
    h = keras.layers.Embedding(30, 8, mask_zero=True)(tokens)
    h = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(h, h)
    model = keras.Model(tokens, keras.layers.GlobalAveragePooling1D()(h))
    x = np.random.default_rng(1).integers(1, 30, size=(3, 12))
    x[0, 7:] = 0
    x[2, 3:] = 0
    calls.clear()
    got = model.predict(x, verbose=0)
    assert calls == [(3, 12, 2, 4)]
    np.testing.assert_allclose(got, _separate(model, x).numpy(), rtol=1e-5, atol=1e-6)


def test_returned_scores_keep_the_separate_ops(calls):
    layer, x, y = _layer()
    with keras.no_grad():
        layer(x, y, return_attention_scores=True)
    assert calls == []


def test_dropout_and_several_axes_keep_the_separate_ops(calls):
    layer, x, y = _layer(dropout=0.1)
    keras.utils.set_random_seed(3)
    axes = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))
    z = np.random.default_rng(0).normal(size=(2, 4, 5, 6)).astype("float32")
    with keras.no_grad():
        layer(x, y)
        axes(z, z)
    assert calls == []


def test_float64_keeps_the_separate_ops(calls):
    keras.utils.set_random_seed(3)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, dtype="float64")
    x = np.random.default_rng(0).normal(size=(2, 5, 4))
    with keras.no_grad():
        assert layer(x, x).dtype == "float64"
    assert calls == []
