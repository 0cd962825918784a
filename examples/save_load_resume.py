"""Save, load and resume: `.keras` and `.h5` files continue training exactly where they left off.

Shows `model.save` to the Keras 3 `.keras` archive and to legacy `.h5`, `save_weights` /
`load_weights` (`.weights.h5`), `keras.models.load_model`, and resuming with
`fit(initial_epoch=...)`: the optimizer state (Adam's moments and step count) is saved too, so
the reloaded models continue with the very same weights as the original one. Then it loads
models written by real Keras 2 and Keras 3 from `tests/data/keras/` (when present) and checks
their predictions. Generated data; a few seconds on 2 CPU cores, less with `--smoke`.

    python examples/save_load_resume.py [--epochs 3] [--smoke]
"""

import argparse
import os
import tempfile

import numpy as np

import minikeras as keras
from minikeras import layers

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "keras")


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = (np.sin(x[:, 0]) + x[:, 1] * x[:, 2] > 0).astype("int32")
    return x, y


def resume(model, x, y, first, last):
    keras.utils.set_random_seed(1)  # the same shuffling order for every copy
    model.fit(x, y, batch_size=32, epochs=last, initial_epoch=first, verbose=0)
    return model.get_weights()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs before and after saving")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch each")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    epochs = 1 if args.smoke else args.epochs
    x, y = make_data(128 if args.smoke else 2000)

    model = keras.Sequential(
        [
            keras.Input(shape=(8,)),
            layers.Dense(32, activation="relu"),
            layers.BatchNormalization(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=epochs, verbose=2)

    with tempfile.TemporaryDirectory() as tmp:
        paths = {ext: os.path.join(tmp, "model" + ext) for ext in (".keras", ".h5")}
        for path in paths.values():
            model.save(path)
        model.save_weights(os.path.join(tmp, "model.weights.h5"))
        copies = {ext: keras.models.load_model(path) for ext, path in paths.items()}
        weights_only = keras.models.clone_model(model)  # same architecture, fresh weights
        weights_only.load_weights(os.path.join(tmp, "model.weights.h5"))
        same = np.allclose(weights_only.predict(x, verbose=0), model.predict(x, verbose=0))
        print(f"saved {', '.join(sorted(os.listdir(tmp)))}; weights-only reload matches: {same}")

    expected = resume(model, x, y, epochs, 2 * epochs)
    for ext, copy in copies.items():
        print(f"optimizer steps restored from {ext}: {int(copy.optimizer.iterations.numpy())}")
        resumed = resume(copy, x, y, epochs, 2 * epochs)
        gap = max(float(np.abs(a - b).max()) for a, b in zip(expected, resumed))
        print(f"resumed from {ext}: largest weight difference to uninterrupted training {gap:.1e}")

    if not os.path.isdir(FIXTURES):
        print("no Keras-written fixtures found at", FIXTURES)
        return
    for name in ["mlp_k3.keras", "mlp_k2.h5", "cnn_k3.h5", "two_input_k3.keras"]:
        ref = np.load(os.path.join(FIXTURES, name.split(".")[0] + ".npz"))
        loaded = keras.models.load_model(os.path.join(FIXTURES, name), compile=False)
        inputs = ref["x"] if "x" in ref else [ref[f"x{i}"] for i in range(len(loaded.inputs))]
        gap = float(np.abs(loaded.predict(inputs, verbose=0) - ref["y"]).max())
        print(
            f"Keras-written {name}: {len(loaded.layers)} layers, predictions match Keras to "
            f"{gap:.1e}"
        )


if __name__ == "__main__":
    main()
