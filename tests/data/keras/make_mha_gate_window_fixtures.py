"""Writes mha_gate_window_k3.json: MultiHeadAttention with use_gate / sliding_window (Keras 3.15.1,
jax backend): weights, outputs, attention scores and config for four cases.

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_mha_gate_window_fixtures.py
(from this folder: it writes mha_gate_window_k3.json next to itself)
"""

import json
import os

import numpy as np
import keras

rng = np.random.default_rng(0)
q = rng.normal(size=(2, 5, 4)).astype("float32")
v = rng.normal(size=(2, 5, 3)).astype("float32")
out = {}
for name, kw, ckw in [
    ("gate", dict(use_gate=True), {}),
    ("window", dict(sliding_window=2), {}),
    ("window_causal", dict(sliding_window=2), dict(use_causal_mask=True)),
    ("gate_window", dict(use_gate=True, sliding_window=3, value_dim=3), {}),
]:
    m = keras.layers.MultiHeadAttention(2, 2, **kw)
    y, s = m(q, v, return_attention_scores=True, **ckw)
    out[name] = {
        "kw": kw,
        "ckw": ckw,
        "paths": [w.path for w in m.weights],
        "shapes": [list(w.shape) for w in m.weights],
        "weights": [np.asarray(w).tolist() for w in m.weights],
        "y": np.asarray(y).tolist(),
        "scores": np.asarray(s).tolist(),
        "config": {
            k: m.get_config()[k]
            for k in ("use_gate", "sliding_window", "attention_axes", "output_shape")
        },
    }
m = keras.layers.MultiHeadAttention(2, 2)
m(q, v)
print(
    "default built axes", m.get_config()["attention_axes"], type(m.get_config()["attention_axes"])
)
m = keras.layers.MultiHeadAttention(2, 2, attention_axes=[1])
m(q, v)
print("list built axes", m.get_config()["attention_axes"], type(m.get_config()["attention_axes"]))
try:
    keras.layers.MultiHeadAttention(2, 2, sliding_window=0)
except Exception as e:
    print(type(e).__name__, e)
json.dump(
    {"q": q.tolist(), "v": v.tolist(), "cases": out},
    open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mha_gate_window_k3.json"), "w"),
)
for k, c in out.items():
    print(k, c["paths"], c["config"])
