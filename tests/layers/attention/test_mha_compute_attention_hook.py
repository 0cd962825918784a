"""MultiHeadAttention's `_compute_attention` hook: subclasses that override it (keras.io's
vision transformer on small datasets scales the query by a learned temperature) get the
projected tensors, the mask, `training` and `return_attention_scores` positionally, as Keras
3.15.1 passes them, or the first five when their override takes five (the older signature,
which keras.io's example has and earlier Keras 3 releases called; Keras 3.15.1 rejects it)."""

import math

import numpy as np

import minikeras as keras
from minikeras import ops


class TemperatureAttention(keras.layers.MultiHeadAttention):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tau = keras.Variable(math.sqrt(float(self._key_dim)) * 2.0, trainable=True)
        self.seen = []

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        self.seen.append((tuple(query.shape), attention_mask is not None, return_attention_scores))
        query = ops.multiply(query, 1.0 / self.tau)
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        return ops.einsum(self._combine_equation, scores, value), scores


class OldSignature(keras.layers.MultiHeadAttention):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        self.calls += 1
        return super()._compute_attention(query, key, value, attention_mask, training)


def _numpy_attention(layer, x, tau, mask):
    """The subclass's attention in numpy from the layer's weights."""

    def proj(dense, a):
        return np.einsum("btd,dhk->bthk", a, dense.kernel.numpy()) + dense.bias.numpy()

    q = proj(layer._query_dense, x) / tau
    k, v = proj(layer._key_dense, x), proj(layer._value_dense, x)
    s = np.einsum("bshk,bthk->bhts", k, q)
    s = np.where(mask[:, None], s, -1e9)
    p = np.exp(s - s.max(-1, keepdims=True))
    p = np.where(mask[:, None], p / p.sum(-1, keepdims=True), 0.0)
    o = np.einsum("bhts,bshk->bthk", p, v)
    out = layer._output_dense
    return np.einsum("bthk,hkd->btd", o, out.kernel.numpy()) + out.bias.numpy()


def test_an_override_is_called_and_trains():
    keras.utils.set_random_seed(2)
    layer = TemperatureAttention(num_heads=2, key_dim=4)
    x = np.random.default_rng(0).normal(size=(3, 5, 6)).astype("float32")
    mask = np.tril(np.ones((3, 5, 5), bool))
    out, scores = layer(x, x, attention_mask=mask, return_attention_scores=True)
    assert layer.seen[-1] == ((3, 5, 2, 4), True, True)
    assert tuple(scores.shape) == (3, 2, 5, 5)
    want = _numpy_attention(layer, x.astype(np.float64), float(layer.tau.numpy()), mask)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=1e-5)
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.square(layer(x, x, attention_mask=mask)))
    (g,) = tape.gradient(loss, [layer.tau])
    assert g is not None and np.isfinite(g.numpy()) and float(g.numpy()) != 0.0


def test_the_default_hook_returns_scores_only_when_asked():
    keras.utils.set_random_seed(2)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    x = np.random.default_rng(0).normal(size=(2, 4, 6)).astype("float32")
    layer(x, x)
    q = layer._query_dense(x)
    k, v = layer._key_dense(x), layer._value_dense(x)
    with keras.no_grad():
        out, scores = layer._compute_attention(q, k, v)
        out2, scores2 = layer._compute_attention(q, k, v, None, None, True)
    assert scores is None and tuple(scores2.shape) == (2, 2, 4, 4)
    np.testing.assert_allclose(out.numpy(), out2.numpy(), rtol=1e-5, atol=1e-6)
    causal, _ = layer._compute_attention(q, k, v, None, None, True, use_causal_mask=True)
    masked, _ = layer._compute_attention(q, k, v, np.tril(np.ones((1, 4, 4), bool)), None, True)
    np.testing.assert_allclose(causal.numpy(), masked.numpy(), rtol=1e-6, atol=1e-7)


def test_an_override_with_the_older_signature_gets_five_arguments():
    layer = OldSignature(num_heads=2, key_dim=4)
    plain = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    x = np.random.default_rng(0).normal(size=(1, 3, 4)).astype("float32")
    layer(x, x)
    plain(x, x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x, x).numpy(), plain(x, x).numpy(), rtol=1e-6, atol=1e-7)
    assert layer.calls == 2
