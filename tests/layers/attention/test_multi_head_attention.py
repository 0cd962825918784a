import json
import os

import numpy as np
import pytest
from helpers import _weight_grad_check, check_grad, randn

import minikeras as keras
from minikeras import layers


def softmax_ref(s, keep=None):
    """Softmax over the last axis; masked entries get probability 0 (a fully masked row is 0)."""
    if keep is not None:
        s = np.where(keep, s, -np.inf)
    m = np.max(s, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(s - m)
    total = e.sum(-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def mha_ref(q, v, k, w, num_heads, key_dim, keep=None):
    """Multi-head attention from its definition; `keep` (B, T, S) True where attention is allowed."""
    wq, bq, wk, bk, wv, bv, wo, bo = w
    Q = np.einsum("btd,dhk->bthk", q, wq) + bq
    K = np.einsum("bsd,dhk->bshk", k, wk) + bk
    V = np.einsum("bsd,dhv->bshv", v, wv) + bv
    scores = np.einsum("bthk,bshk->bhts", Q, K) / np.sqrt(key_dim)
    probs = softmax_ref(scores, None if keep is None else keep[:, None])
    heads = np.einsum("bhts,bshv->bthv", probs, V)
    return np.einsum("bthv,hvo->bto", heads, wo) + bo, probs


def _random_weights(layer, seed=7):
    rng = np.random.default_rng(seed)
    layer.set_weights(
        [rng.standard_normal(w.shape).astype(w.dtype) * 0.5 for w in layer.get_weights()]
    )
    return layer.get_weights()


def test_weights_layout_and_order():
    mha = layers.MultiHeadAttention(num_heads=3, key_dim=4, value_dim=5, output_shape=7)
    mha(
        randn(2, 6, 8, dtype="float32"),
        randn(2, 9, 10, dtype="float32"),
        key=randn(2, 9, 11, dtype="float32"),
    )
    shapes = [tuple(w.shape) for w in mha.weights]
    assert shapes == [(8, 3, 4), (3, 4), (11, 3, 4), (3, 4), (10, 3, 5), (3, 5), (3, 5, 7), (7,)]
    assert [w.name for w in mha.weights] == ["kernel", "bias"] * 4
    assert [
        mha.query_dense.name,
        mha.key_dense.name,
        mha.value_dense.name,
        mha.output_dense.name,
    ] == ["query", "key", "value", "attention_output"]
    assert len(mha.trainable_weights) == 8
    no_bias = layers.MultiHeadAttention(2, 3, use_bias=False)
    x = randn(1, 4, 6, dtype="float32")
    no_bias(x, x)
    assert [tuple(w.shape) for w in no_bias.weights] == [(6, 2, 3), (6, 2, 3), (6, 2, 3), (2, 3, 6)]


def test_forward_matches_reference():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)
    q, v, k = randn(2, 5, 6), randn(2, 4, 7, seed=1), randn(2, 4, 8, seed=2)
    mha(q, v, key=k)
    w = _random_weights(mha)
    out, scores = mha(q, v, key=k, return_attention_scores=True)
    ref, probs = mha_ref(q, v, k, w, 2, 3)
    assert out.shape == (2, 5, 6) and scores.shape == (2, 2, 5, 4)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(scores), probs, rtol=1e-4, atol=1e-6)


def test_self_attention_key_defaults_to_value():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    x = randn(3, 4, 5, dtype="float32")
    y = randn(3, 6, 5, seed=3, dtype="float32")
    np.testing.assert_allclose(np.asarray(mha(x, y)), np.asarray(mha(x, y, y)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(mha(query=x, value=y)), np.asarray(mha(x, y)))


def test_masks_match_reference():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = randn(2, 4, 5), randn(2, 6, 5, seed=1)
    mha(q, v)
    w = _random_weights(mha)
    attention_mask = np.random.default_rng(0).random((2, 4, 6)) > 0.3
    attention_mask[..., 0] = True
    value_mask = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], bool)
    query_mask = np.array([[1, 1, 1, 0], [1, 1, 1, 1]], bool)

    out = mha(q, v, attention_mask=attention_mask)
    np.testing.assert_allclose(
        np.asarray(out), mha_ref(q, v, v, w, 2, 3, attention_mask)[0], rtol=1e-4, atol=1e-5
    )
    out = mha(q, v, value_mask=value_mask, use_causal_mask=True)
    causal = np.tril(np.ones((4, 6), bool))[None]
    keep = value_mask[:, None, :] & causal
    np.testing.assert_allclose(
        np.asarray(out), mha_ref(q, v, v, w, 2, 3, keep)[0], rtol=1e-4, atol=1e-5
    )
    # Keras masks on the inputs are used automatically; the output carries the query mask
    qt, vt = keras.Tensor(q.astype("float32")), keras.Tensor(v.astype("float32"))
    qt._keras_mask, vt._keras_mask = keras.Tensor(query_mask), keras.Tensor(value_mask)
    out, scores = mha(qt, vt, return_attention_scores=True)
    keep = query_mask[:, :, None] & value_mask[:, None, :]
    ref, probs = mha_ref(q, v, v, w, 2, 3, keep)
    np.testing.assert_allclose(np.asarray(out), ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(scores), probs, atol=1e-6)
    assert np.asarray(scores)[1, :, :, 4:].sum() > 0 and np.all(
        np.asarray(scores)[0, :, :, 4:] == 0
    )
    np.testing.assert_array_equal(np.asarray(out._keras_mask), query_mask)


def test_causal_mask_blocks_the_future():
    mha = layers.MultiHeadAttention(num_heads=1, key_dim=4)
    x = randn(1, 5, 3, dtype="float32")
    _, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    s = np.asarray(scores)[0, 0]
    assert np.all(np.triu(s, 1) == 0)
    np.testing.assert_allclose(s.sum(-1), 1, rtol=1e-6)
    # changing a later step does not change earlier outputs
    y = x.copy()
    y[0, 3:] += 5
    a, b = np.asarray(mha(x, x, use_causal_mask=True)), np.asarray(mha(y, y, use_causal_mask=True))
    np.testing.assert_allclose(a[0, :3], b[0, :3], rtol=1e-5, atol=1e-6)
    assert not np.allclose(a[0, 3:], b[0, 3:])


def test_dropout_only_in_training():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=0.5, seed=1)
    x = randn(2, 6, 4, dtype="float32")
    out, scores = mha(x, x, return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(scores).sum(-1), 1, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(mha(x, x)), np.asarray(out))
    trained = np.asarray(mha(x, x, training=True))
    assert not np.allclose(trained, np.asarray(out))


def test_gradients_float64():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, value_dim=3, dtype="float64")
    q, v = randn(2, 3, 4), randn(2, 4, 5, seed=1)
    mask = np.array([[1, 1, 0, 1], [1, 1, 1, 0]], bool)[:, None, :] & np.ones((1, 3, 1), bool)
    mha(q, v)
    _random_weights(mha)
    check_grad(lambda a, b: mha(a, b, attention_mask=mask), q, v, rtol=1e-5, atol=1e-7)
    _weight_grad_check(mha, q, 1e-5, 1e-7, {"value": v, "attention_mask": mask})
    self_attention = layers.MultiHeadAttention(num_heads=2, key_dim=3, dtype="float64")
    x = randn(2, 3, 4, seed=3)
    self_attention(x, x)
    _random_weights(self_attention)
    check_grad(lambda a: self_attention(a, a, use_causal_mask=True), x, rtol=1e-5, atol=1e-7)


def test_symbolic_shapes_and_functional_model():
    q_in, v_in = keras.Input((None, 8)), keras.Input((7, 6))
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, output_shape=(5,))
    out, scores = mha(q_in, v_in, return_attention_scores=True)
    assert out.shape == (None, None, 5)
    assert scores.shape == (None, 2, None, 7)
    model = keras.Model([q_in, v_in], out)
    q, v = randn(3, 4, 8, dtype="float32"), randn(3, 7, 6, seed=1, dtype="float32")
    np.testing.assert_allclose(np.asarray(model([q, v])), np.asarray(mha(q, v)), rtol=1e-6)
    assert mha.compute_output_shape((None, 4, 8), (None, 7, 6)) == (None, 4, 5)


def test_attention_over_two_axes():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))
    x = randn(2, 3, 4, 5)
    out, scores = mha(x, x, return_attention_scores=True)
    assert out.shape == (2, 3, 4, 5) and scores.shape == (2, 2, 3, 4, 3, 4)
    np.testing.assert_allclose(np.asarray(scores).reshape(2, 2, 12, 12).sum(-1), 1, rtol=1e-5)
    # attention over (1, 2) = attention over the flattened positions
    flat = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    xf = x.reshape(2, 12, 5)
    flat(xf, xf)
    flat.set_weights(mha.get_weights())
    np.testing.assert_allclose(
        np.asarray(out).reshape(2, 12, 5), np.asarray(flat(xf, xf)), rtol=1e-4, atol=1e-5
    )


def test_config_round_trip():
    mha = layers.MultiHeadAttention(
        num_heads=2,
        key_dim=3,
        value_dim=4,
        dropout=0.1,
        output_shape=6,
        kernel_initializer="he_normal",
        seed=3,
        name="mha",
    )
    x = randn(2, 5, 4, dtype="float32")
    y = np.asarray(mha(x, x))
    config = json.loads(json.dumps(mha.get_config()))
    assert config["num_heads"] == 2 and config["key_dim"] == 3 and config["value_dim"] == 4
    assert (
        config["output_shape"] == [6] and config["kernel_initializer"]["class_name"] == "HeNormal"
    )
    clone = layers.MultiHeadAttention.from_config(config)
    clone(x, x)
    clone.set_weights(mha.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x, x)), y, rtol=1e-6)
    build = mha.get_build_config()
    # tuples, as Keras 3.15.1's get_build_config
    assert build == {"shapes_dict": {"query_shape": (2, 5, 4), "value_shape": (2, 5, 4)}}
    fresh = layers.MultiHeadAttention.from_config(config)
    fresh.build_from_config(build)
    assert [w.shape for w in fresh.weights] == [w.shape for w in mha.weights]


def test_keras2_config_with_shapes_builds():
    config = layers.MultiHeadAttention(num_heads=2, key_dim=3).get_config()
    config.update(query_shape=[None, 4, 6], value_shape=[None, 5, 7], key_shape=None)
    layer = layers.MultiHeadAttention.from_config(config)
    assert [tuple(w.shape) for w in layer.weights][:3] == [(6, 2, 3), (2, 3), (7, 2, 3)]


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_heads"):
        layers.MultiHeadAttention(0, 2)
    with pytest.raises(ValueError, match="key_dim"):
        layers.MultiHeadAttention(2, None)
    mha = layers.MultiHeadAttention(2, 2, name="att")
    with pytest.raises(ValueError, match="att.*value.*key"):
        mha(randn(1, 3, 4), randn(1, 5, 4), randn(1, 6, 4))
    with pytest.raises(ValueError, match="att.*rank"):
        layers.MultiHeadAttention(2, 2, name="att")(randn(2, 4), randn(2, 4))
    with pytest.raises(TypeError, match="value"):
        layers.MultiHeadAttention(2, 2)(randn(1, 3, 4))


def test_frozen_layer_has_no_trainable_weights():
    mha = layers.MultiHeadAttention(2, 2, trainable=False)
    x = randn(1, 3, 4, dtype="float32")
    seq = keras.Input((3, 4))
    model = keras.Model(seq, mha(seq, seq))
    model(x)
    assert not model.trainable_weights and len(model.non_trainable_weights) == 8


def test_transformer_block():
    keras.utils.set_random_seed(0)
    if not hasattr(layers, "LayerNormalization"):
        pytest.skip("LayerNormalization not available yet")
    inputs = keras.Input(shape=(None, 16))
    attn = layers.MultiHeadAttention(num_heads=4, key_dim=8, dropout=0.1)(inputs, inputs)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([inputs, attn]))
    ff = layers.Dense(16)(layers.Dense(32, activation="relu")(x))
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, ff]))
    outputs = layers.Dense(3, activation="softmax")(layers.GlobalAveragePooling1D()(x))
    model = keras.Model(inputs, outputs)
    x_data = randn(16, 6, 16, dtype="float32")
    y_data = np.random.default_rng(0).integers(0, 3, 16)
    probs = np.asarray(model.predict(x_data, verbose=0))
    assert probs.shape == (16, 3)
    np.testing.assert_allclose(probs.sum(-1), 1, rtol=1e-5)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x_data, y_data, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


MHA_K3 = os.path.join(
    os.path.dirname(__file__), "..", "..", "data", "keras", "mha_gate_window_k3.json"
)


@pytest.mark.parametrize("case", ["gate", "window", "window_causal", "gate_window"])
def test_use_gate_and_sliding_window_match_keras(case):
    """Keras 3.15.1 (jax) MultiHeadAttention(use_gate=..., sliding_window=...): same weight paths
    and order (the gate projection between key and value), outputs and scores with Keras's
    weights (make_mha_gate_window_fixtures.py), and config values."""
    with open(MHA_K3) as f:
        data = json.load(f)
    c = data["cases"][case]
    q, v = np.array(data["q"], "float32"), np.array(data["v"], "float32")
    keras.backend.clear_session()
    mha = layers.MultiHeadAttention(2, 2, **c["kw"])
    mha(q, v)
    assert [w.path.split("/", 1)[1] for w in mha.weights] == [
        p.split("/", 1)[1] for p in c["paths"]
    ]
    mha.set_weights([np.array(w, "float32") for w in c["weights"]])
    y, s = mha(q, v, return_attention_scores=True, **c["ckw"])
    np.testing.assert_allclose(np.asarray(y), c["y"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(s), c["scores"], rtol=1e-5, atol=1e-6)
    cfg = mha.get_config()
    assert cfg["use_gate"] == c["config"]["use_gate"]
    assert cfg["sliding_window"] == c["config"]["sliding_window"]
    assert cfg["attention_axes"] == (1,) and cfg["output_shape"] is None  # Keras: tuple
    clone = layers.MultiHeadAttention.from_config(cfg)
    clone(q, v)
    clone.set_weights(mha.get_weights())
    np.testing.assert_allclose(np.asarray(clone(q, v, **c["ckw"])), np.asarray(y), rtol=1e-6)


def test_sliding_window_band_and_errors():
    """Keras 3.15.1: with sliding_window=2, position t attends to |t - s| <= 1 only; 0 raises."""
    x = randn(1, 5, 4, seed=3).astype("float32")
    _, s = layers.MultiHeadAttention(1, 2, sliding_window=2)(x, x, return_attention_scores=True)
    t = np.arange(5)
    np.testing.assert_array_equal(np.asarray(s)[0, 0] > 0, np.abs(t[:, None] - t[None]) < 2)
    with pytest.raises(ValueError, match="sliding_window"):
        layers.MultiHeadAttention(1, 2, sliding_window=0)


def test_use_gate_gradients():
    mha = layers.MultiHeadAttention(2, 2, use_gate=True, sliding_window=2, dtype="float64")
    x = randn(2, 4, 3, seed=1)
    check_grad(lambda t: mha(t, t), x)


def test_config_tuples_as_keras():
    """Keras 3.15.1: output_shape and attention_axes are saved as tuples."""
    cfg = layers.MultiHeadAttention(2, 4, attention_axes=1, output_shape=6).get_config()
    assert cfg["output_shape"] == (6,) and cfg["attention_axes"] == (1,)
    assert type(cfg["output_shape"]) is tuple and type(cfg["attention_axes"]) is tuple
