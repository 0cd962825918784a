"""Writes fixtures/float8_training.npz with Keras 3.15.1 (torch backend): a Dense + EinsumDense
model quantized to float8, trained two epochs with SGD from fixed weights; every variable after
training (kernels, biases, the *_scale / *_amax_history of the delayed scaling) and the
predictions. Run: KERAS_BACKEND=torch /work/anchors/bin/python make_float8_training_fixture.py"""

import os
import warnings

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def build(lib):
    model = lib.Sequential(
        [
            lib.Input((8,)),
            lib.layers.Dense(4, activation="relu"),
            lib.layers.EinsumDense("ab,bc->ac", output_shape=(3,), bias_axes="c"),
            lib.layers.Dense(1),
        ]
    )
    r = np.random.default_rng(1)
    model.set_weights(
        [(r.standard_normal(w.shape) * 0.5).astype("float32") for w in model.get_weights()]
    )
    return model


def data():
    x = np.random.default_rng(0).standard_normal((16, 8)).astype("float32")
    return x, x[:, :1] * 2.0


def train(lib):
    model = build(lib)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("float8")
    model.compile(lib.optimizers.SGD(0.1), "mse")
    x, y = data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    return model


if __name__ == "__main__":
    import keras

    model = train(keras)
    out = {f"w{i}": np.asarray(w) for i, w in enumerate(model.get_weights())}
    out["names"] = np.array([w.path for w in model.weights])
    out["predict"] = np.asarray(model.predict(data()[0], verbose=0))
    np.savez(os.path.join(HERE, "float8_training.npz"), **out)
