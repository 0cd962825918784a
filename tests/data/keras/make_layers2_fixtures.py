"""Writes `layers2_k3.npz`: inputs, weights and outputs of RMSNormalization, GroupQueryAttention,
SpectralNormalization and `keras.ops.rms_normalization` / `layer_normalization`, computed by
real Keras 3 (read by tests/layers/normalization/test_rms_normalization.py,
tests/layers/attention/test_grouped_query_attention.py,
tests/layers/wrappers/test_spectral_normalization.py). Run from outside the Keras source tree:

    KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_layers2_fixtures.py

npz keys, per case `<c>`: `<c>/x...` the inputs, `<c>/w000`... `get_weights()` after the layer is
built and given random weights, `<c>/y` (and `<c>/scores`) the outputs. SpectralNormalization
cases add `<c>/after000`... the weights after one `training=True` call (the new `vector_u` and
the normalised kernel) and `<c>/y_infer` a following inference call.
"""

import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(2026)
out = {"keras_version": np.array(keras.__version__)}


def randn(*shape):
    return rng.standard_normal(shape).astype("float32")


def randomize(name, layer):
    weights = [randn(*w.shape) * 0.5 for w in layer.get_weights()]
    layer.set_weights(weights)
    for i, w in enumerate(weights):
        out[f"{name}/w{i:03d}"] = w


# -- ops -----------------------------------------------------------------------------------------
x = randn(2, 3, 5)
out["ops/x"] = x
out["ops/scale"] = randn(5)
out["ops/gamma"], out["ops/beta"] = randn(3, 5), randn(3, 5)
out["ops/rms"] = np.asarray(keras.ops.rms_normalization(x))
out["ops/rms_scale"] = np.asarray(
    keras.ops.rms_normalization(x, scale=out["ops/scale"], epsilon=0.1)
)
out["ops/ln"] = np.asarray(keras.ops.layer_normalization(x))
out["ops/ln_axes"] = np.asarray(
    keras.ops.layer_normalization(x, out["ops/gamma"], out["ops/beta"], axis=[1, 2], epsilon=1e-3)
)

# -- RMSNormalization ----------------------------------------------------------------------------
for name, kwargs, shape in [
    ("rms_last", {}, (2, 3, 5)),
    ("rms_axes", {"axis": [2, 1]}, (2, 3, 4)),
    ("rms_eps", {"axis": 1, "epsilon": 0.5}, (3, 4)),
]:
    layer = keras.layers.RMSNormalization(**kwargs)
    xs = randn(*shape)
    layer.build(shape)
    randomize(name, layer)
    out[f"{name}/x"] = xs
    out[f"{name}/y"] = np.asarray(layer(xs))

# -- GroupQueryAttention -------------------------------------------------------------------------
q, v, k = randn(2, 4, 6), randn(2, 5, 6), randn(2, 5, 6)
att = rng.random((2, 4, 5)) > 0.4
att[1, 2] = False  # a fully masked query row
qmask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
vmask = np.array([[1, 1, 1, 1, 0], [1, 0, 1, 1, 1]], bool)
gqa_cases = [
    ("gqa_plain", {}, dict(query=q, value=v)),
    ("gqa_key", {"use_bias": False}, dict(query=q, value=v, key=k)),
    ("gqa_mask", {}, dict(query=q, value=v, attention_mask=att)),
    (
        "gqa_mask_scores",
        {},
        dict(query=q, value=v, attention_mask=att, return_attention_scores=True),
    ),
    ("gqa_qv_mask", {}, dict(query=q, value=v, query_mask=qmask, value_mask=vmask)),
    ("gqa_causal", {}, dict(query=q, value=q, use_causal_mask=True)),
    (
        "gqa_causal_scores",
        {"num_key_value_heads": 1},
        dict(query=q, value=q, use_causal_mask=True, return_attention_scores=True),
    ),
    (
        "gqa_causal_mask",
        {},
        dict(query=q, value=q, use_causal_mask=True, attention_mask=rng.random((2, 4, 4)) > 0.3),
    ),
    ("gqa_window", {"sliding_window": 2}, dict(query=q, value=q, use_causal_mask=True)),
    ("gqa_gate", {"use_gate": True, "num_key_value_heads": 4}, dict(query=q, value=v)),
]
for name, extra, call in gqa_cases:
    kwargs = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, **extra}
    layer = keras.layers.GroupQueryAttention(**kwargs)
    layer.build(call["query"].shape, call["value"].shape)
    randomize(name, layer)
    for key, val in call.items():
        out[f"{name}/x/{key}"] = np.asarray(val)
    res = layer(**call)
    if call.get("return_attention_scores"):
        res, scores = res
        out[f"{name}/scores"] = np.asarray(scores)
    out[f"{name}/y"] = np.asarray(res)

# -- SpectralNormalization -----------------------------------------------------------------------
for name, inner, iters, xs in [
    ("sn_dense", keras.layers.Dense(3), 1, randn(2, 4)),
    ("sn_conv", keras.layers.Conv2D(3, 2), 2, randn(2, 4, 4, 2)),
    ("sn_embedding", keras.layers.Embedding(6, 3), 3, np.array([[0, 5, 2]], "int32")),
]:
    layer = keras.layers.SpectralNormalization(inner, power_iterations=iters)
    layer.build(xs.shape)
    randomize(name, layer)
    out[f"{name}/x"] = xs
    out[f"{name}/y"] = np.asarray(layer(xs, training=True))
    for i, w in enumerate(layer.get_weights()):
        out[f"{name}/after{i:03d}"] = w
    out[f"{name}/y_infer"] = np.asarray(layer(xs, training=False))

np.savez(os.path.join(HERE, "layers2_k3.npz"), **out)
print(sorted(out))
