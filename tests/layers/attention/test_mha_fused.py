"""MultiHeadAttention in predict runs `softmax(q k^T) v` through `kernels/attention.py` (the
scores stay in cache) where that gives the separate ops' answer; it keeps the separate ops
for masks, returned scores, dropout, several attention axes and recorded gradients."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.kernels import attention as kernel


@pytest.fixture
def calls(monkeypatch):
    seen = []
    real = kernel.attention

    def spy(q, k, v):
        seen.append(q.shape)
        return real(q, k, v)

    monkeypatch.setattr(kernel, "attention", spy)
    return seen


def _layer(**kwargs):
    keras.utils.set_random_seed(3)
    layer = keras.layers.MultiHeadAttention(num_heads=3, key_dim=5, **kwargs)
    x = np.random.default_rng(0).normal(size=(4, 9, 6)).astype("float32")
    y = np.random.default_rng(1).normal(size=(4, 7, 6)).astype("float32")
    layer(x, y)
    return layer, x, y


def _separate(layer, *args):
    """The layer's answer through the separate ops: outside `no_grad` (and `predict`) its
    trainable weights record a gradient."""
    return layer(*args)


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


@pytest.mark.parametrize(
    "call_kwargs",
    [
        {"attention_mask": np.tril(np.ones((4, 9, 7), bool))},
        {"use_causal_mask": True},
        {"return_attention_scores": True},
    ],
)
def test_masks_and_returned_scores_keep_the_separate_ops(calls, call_kwargs):
    layer, x, y = _layer()
    with keras.no_grad():
        layer(x, y, **call_kwargs)
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
