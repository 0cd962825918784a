"""Convnet: a small image classifier with Conv2D, MaxPooling2D, Dropout and Dense.

Shows a Keras-style convnet (`Conv2D` -> `MaxPooling2D` -> `Conv2D` -> `MaxPooling2D` ->
`Flatten` -> `Dropout` -> `Dense`) trained with `fit`, then `evaluate` and `predict`. The data is
generated: 20x20 grey images of six digit-like strokes (bar, dash, cross, ring, slash, corner)
at random positions and sizes, with noise. About 20-40 s on 2 CPU cores; `--mnist` trains on
MNIST instead (downloads it once), `--smoke` runs a tiny version in a few seconds.

    python examples/convnet.py [--epochs 6] [--mnist] [--smoke]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers

CLASSES = ["bar", "dash", "cross", "ring", "slash", "corner"]


def draw(kind, rng, size=20):
    """One grey image of stroke `kind` (an index into CLASSES), at a random place and size."""
    img = np.zeros((size, size), "float32")
    r = rng.integers(4, 8)  # half-length of the stroke
    cy, cx = rng.integers(r + 1, size - r - 1, 2)
    yy, xx = np.mgrid[0:size, 0:size]
    dy, dx = yy - cy, xx - cx
    on_v = (dx == 0) & (np.abs(dy) <= r)  # a vertical stroke through the centre
    on_h = (dy == 0) & (np.abs(dx) <= r)
    if kind == 0:
        img[on_v] = 1
    elif kind == 1:
        img[on_h] = 1
    elif kind == 2:
        img[on_v | on_h] = 1
    elif kind == 3:
        img[np.abs(np.sqrt(dy**2 + dx**2) - r) < 0.7] = 1
    elif kind == 4:
        img[(dy == -dx) & (np.abs(dx) <= r)] = 1
    else:
        img[((dx == -r) & (dy >= -r) & (dy <= r)) | ((dy == r) & (dx >= -r) & (dx <= r))] = 1
    return img + rng.normal(0, 0.15, img.shape).astype("float32")


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(CLASSES), n).astype("int32")
    x = np.stack([draw(k, rng) for k in y])[..., None]  # (n, 20, 20, 1), channels last
    return x, y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--mnist", action="store_true", help="train on MNIST (downloads it)")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    if args.mnist:
        (x, y), (x_test, y_test) = keras.datasets.mnist.load_data()
        x = x[..., None].astype("float32") / 255
        x_test = x_test[..., None].astype("float32") / 255
        names = [str(i) for i in range(10)]
    else:
        n = 128 if args.smoke else 3000
        (x, y), (x_test, y_test) = make_data(n, seed=0), make_data(n // 4, seed=1)
        names = CLASSES
    epochs = 1 if args.smoke else args.epochs

    model = keras.Sequential(
        [
            keras.Input(shape=x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(len(names), activation="softmax"),
        ]
    )
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=epochs, validation_split=0.1)

    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {acc:.3f} (loss {loss:.3f})")
    pred = model.predict(x_test[:8], verbose=0).argmax(axis=1)
    print("predicted:", [names[i] for i in pred])
    print("true:     ", [names[i] for i in y_test[:8]])


if __name__ == "__main__":
    main()
