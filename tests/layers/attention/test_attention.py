import json

import numpy as np
import pytest
from helpers import _weight_grad_check, check_grad, randn

import minikeras as keras
from minikeras import layers


def attention_ref(
    q, v, k=None, kind="dot", scale=None, concat_weight=1.0, q_mask=None, v_mask=None, causal=False
):
    """Keras's formulas: scores, -1e9 on masked keys, softmax, weighted values, query mask."""
    k = v if k is None else k
    if kind == "dot":
        scores = q @ k.transpose(0, 2, 1) * (1.0 if scale is None else scale)
    elif kind == "concat":
        pairs = q[:, :, None, :] + k[:, None, :, :]
        scores = concat_weight * np.tanh((1.0 if scale is None else scale) * pairs).sum(-1)
    else:  # additive
        terms = np.tanh(q[:, :, None, :] + k[:, None, :, :])
        scores = (terms * (1.0 if scale is None else scale)).sum(-1)
    keep = np.ones(scores.shape, bool)
    if v_mask is not None:
        keep &= v_mask[:, None, :]
    if causal:
        keep &= np.tril(np.ones(scores.shape[-2:], bool))[None]
    scores = scores - 1e9 * ~keep
    e = np.exp(scores - scores.max(-1, keepdims=True))
    w = e / e.sum(-1, keepdims=True)
    out = w @ v
    if q_mask is not None:
        out = out * q_mask[..., None]
    return out, w


Q, V, K = randn(2, 3, 4), randn(2, 5, 4, seed=1), randn(2, 5, 4, seed=2)
Q_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)


@pytest.mark.parametrize(
    "cls,kwargs,kind",
    [
        (layers.Attention, {}, "dot"),
        (layers.Attention, {"use_scale": True}, "dot"),
        (layers.Attention, {"score_mode": "concat"}, "concat"),
        (layers.Attention, {"score_mode": "concat", "use_scale": True}, "concat"),
        (layers.AdditiveAttention, {}, "additive"),
        (layers.AdditiveAttention, {"use_scale": False}, "additive"),
    ],
)
def test_forward_matches_reference(cls, kwargs, kind):
    layer = cls(**kwargs, dtype="float64")
    layer([Q, V, K])
    rng = np.random.default_rng(5)
    layer.set_weights([rng.uniform(0.5, 1.5, w.shape) for w in layer.get_weights()])
    params = {w.name: np.asarray(w.data) for w in layer.weights}
    ref_kwargs = {
        "kind": kind,
        "scale": params.get("scale"),
        "concat_weight": params.get("concat_score_weight", 1.0),
    }
    out, w = layer([Q, V, K], return_attention_scores=True)
    ref_out, ref_w = attention_ref(Q, V, K, **ref_kwargs)
    np.testing.assert_allclose(np.asarray(out), ref_out, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(w), ref_w, rtol=1e-10)
    out = layer([Q, V, K], mask=[Q_MASK, V_MASK], use_causal_mask=True)
    ref_out, _ = attention_ref(Q, V, K, q_mask=Q_MASK, v_mask=V_MASK, causal=True, **ref_kwargs)
    np.testing.assert_allclose(np.asarray(out), ref_out, rtol=1e-10, atol=1e-12)
    # float64 gradients for the inputs and the weights, with masks
    check_grad(lambda q, v, k: layer([q, v, k], mask=[Q_MASK, V_MASK]), Q, V, K)
    _weight_grad_check(layer, [Q, V, K], 1e-5, 1e-7, {"mask": [Q_MASK, V_MASK]})


def test_weights():
    a = layers.Attention()
    a([Q, V])
    assert a.weights == []
    a = layers.Attention(use_scale=True, score_mode="concat")
    a([Q, V])
    assert [(w.name, w.shape) for w in a.weights] == [("scale", ()), ("concat_score_weight", ())]
    np.testing.assert_array_equal(a.get_weights()[0], 1.0)
    add = layers.AdditiveAttention()
    add([Q, V])
    assert [(w.name, w.shape) for w in add.weights] == [("scale", (4,))]
    assert layers.AdditiveAttention(use_scale=False).weights == []


def test_value_mask_and_query_mask():
    a = layers.Attention()
    out, w = a([Q, V], mask=[Q_MASK, V_MASK], return_attention_scores=True)
    w = np.asarray(w)
    assert np.all(w[0, :, 3:] < 1e-6) and w[1, :, 1].max() < 1e-6
    np.testing.assert_allclose(w.sum(-1), 1, rtol=1e-6)
    assert np.all(np.asarray(out)[0, 2] == 0)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), Q_MASK)


def test_masks_from_inputs():
    q, v = keras.Tensor(Q.astype("float32")), keras.Tensor(V.astype("float32"))
    q._keras_mask, v._keras_mask = keras.Tensor(Q_MASK), keras.Tensor(V_MASK)
    out = layers.Attention()([q, v])
    ref, _ = attention_ref(Q, V, q_mask=Q_MASK, v_mask=V_MASK)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-5, atol=1e-6)


def test_dropout_only_in_training():
    a = layers.Attention(dropout=0.5, seed=0)
    base = np.asarray(a([Q, V]))
    np.testing.assert_allclose(base, attention_ref(Q, V)[0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(np.asarray(a([Q, V], training=True)), base)


def test_symbolic_shapes_and_masks():
    tokens = keras.Input((None,), dtype="int32")
    emb = layers.Embedding(10, 4, mask_zero=True)(tokens)
    out, scores = layers.Attention()([emb, emb], return_attention_scores=True)
    assert out.shape == (None, None, 4) and scores.shape == (None, None, None)
    assert out._has_mask
    pooled = layers.GlobalAveragePooling1D()(out)
    model = keras.Model(tokens, pooled)
    assert model(np.array([[1, 2, 0], [3, 0, 0]])).shape == (2, 4)
    q_in, v_in = keras.Input((3, 6)), keras.Input((7, 6))
    assert layers.AdditiveAttention()([q_in, v_in]).shape == (None, 3, 6)


def test_config_round_trip():
    for layer in (
        layers.Attention(use_scale=True, score_mode="concat", dropout=0.2),
        layers.AdditiveAttention(use_scale=False, name="add"),
    ):
        y = np.asarray(layer([Q, V]))
        config = json.loads(json.dumps(layer.get_config()))
        clone = type(layer).from_config(config)
        clone([Q, V])
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(clone([Q, V])), y, rtol=1e-6)
    assert "score_mode" not in layers.AdditiveAttention().get_config()
    assert layers.Attention().get_config()["score_mode"] == "dot"


def test_bad_inputs():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="cosine")
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Attention()(Q)
    with pytest.raises(ValueError, match="length 2 or 3"):
        layers.Attention()([Q])
    with pytest.raises(ValueError, match="mask"):
        layers.Attention()([Q, V], mask=Q_MASK)
    with pytest.raises(ValueError, match="att.*same last dimension"):
        layers.Attention(name="att")([Q, randn(2, 5, 3)])
