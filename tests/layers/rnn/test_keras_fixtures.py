"""Keras 3 parity: LSTM and GRU layers given Keras's weights reproduce Keras's predictions."""

import os

import numpy as np
import pytest

import minikeras as keras

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")


@pytest.mark.parametrize(
    "stem,layer_cls,head", [("lstm_text_k3", "LSTM", "sigmoid"), ("gru_text_k3", "GRU", "softmax")]
)
def test_keras_fixture_parity(stem, layer_cls, head):
    """Embedding(50, 8, mask_zero) -> LSTM(12)/GRU(12) -> Dense, weights and outputs from Keras 3.
    The inputs hold post-, pre- and mid-sequence padding (token 0)."""
    d = np.load(os.path.join(DATA, f"{stem}.npz"))
    x = d["x"]
    embedded, mask = d["w000"][x], x != 0  # embedding lookup and mask_zero in numpy
    layer = getattr(keras.layers, layer_cls)(12)
    layer(embedded, mask=mask)
    layer.set_weights([d["w001"], d["w002"], d["w003"]])
    z = np.asarray(layer(embedded, mask=mask)) @ d["w004"] + d["w005"]
    if head == "sigmoid":
        y = 1 / (1 + np.exp(-z))
    else:
        y = np.exp(z - z.max(-1, keepdims=True))
        y /= y.sum(-1, keepdims=True)
    np.testing.assert_allclose(y, d["y"], atol=1e-5)
