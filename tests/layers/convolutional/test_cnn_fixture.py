"""Parity with real Keras 3: the `cnn` fixture (Conv2D -> MaxPooling2D -> Conv2D -> Flatten ->
Dense), weights and predictions saved by Keras 3.15 (torch backend)."""

import os

import numpy as np

import minikeras as keras

L = keras.layers
DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "cnn_k3.npz")


class _Flatten(keras.layers.Layer):
    """Row-major flatten (channels fastest), used when layers.Flatten is not available."""

    def call(self, x):
        return keras.ops.reshape(x, (x.shape[0], -1))


def test_cnn_k3_fixture_predictions():
    data = np.load(DATA)
    flatten = L.Flatten() if hasattr(L, "Flatten") else _Flatten()
    model = keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            L.Conv2D(6, 3, padding="same", activation="relu", name="conv1"),
            L.MaxPooling2D(2, name="pool1"),
            L.Conv2D(8, (3, 2), padding="valid", activation="relu", name="conv2"),
            flatten,
            L.Dense(5, activation="softmax", name="out"),
        ]
    )
    weights = [data[f"w{i:03d}"] for i in range(int(data["n_weights"]))]
    assert [w.shape for w in weights] == [tuple(v.shape) for v in model.weights]
    model.set_weights(weights)
    y = np.asarray(model(data["x"]))
    np.testing.assert_allclose(y, data["y"], atol=1e-5, rtol=0)
