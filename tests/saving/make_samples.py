"""Writes tests/data/minikeras/: a small model saved by minikeras in every format.

Run `python tests/saving/make_samples.py` to regenerate; test_real_keras.py checks that the
files still load (and, when real Keras 3 is importable, that Keras loads them too).
"""

import os

import numpy as np

import minikeras as keras

OUT = os.path.join(os.path.dirname(__file__), "..", "data", "minikeras")


def build():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((10,)),
            keras.layers.Dense(16, activation="relu", name="hidden"),
            keras.layers.BatchNormalization(name="bn"),
            keras.layers.Dropout(0.3, name="dropout"),
            keras.layers.Dense(4, activation="softmax", name="out"),
        ],
        name="mlp",
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    x = np.random.default_rng(0).standard_normal((8, 10)).astype("float32")
    y = np.eye(4, dtype="float32")[np.arange(8) % 4]
    model = build()
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    os.makedirs(OUT, exist_ok=True)
    model.save(os.path.join(OUT, "mlp.h5"))
    model.save(os.path.join(OUT, "mlp.keras"))
    model.save_weights(os.path.join(OUT, "mlp.weights.h5"))
    model.save_weights(os.path.join(OUT, "mlp_k2_weights.h5"))
    np.savez(os.path.join(OUT, "mlp.npz"), x=x, y=model.predict(x, verbose=0))


if __name__ == "__main__":
    main()
