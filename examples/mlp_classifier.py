"""MLP classifier: a Keras-style training script on a generated 3-class task.

Shows `Sequential`, `compile`/`fit` with a validation split, `EarlyStopping` with
`restore_best_weights`, the tqdm progress bar, `evaluate` and `predict`. Runs in a few seconds on
generated data; `--mnist` trains on MNIST instead (downloads it once).

    python examples/mlp_classifier.py [--epochs 30] [--mnist]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers


def make_data(n=3000, seed=0):
    """Three noisy concentric rings in 2-D, lifted to 20 features with random projections."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1.0 + labels + rng.normal(0, 0.15, n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    projection = np.random.default_rng(123).normal(size=(2, 18))  # the same for every split
    features = np.concatenate([points, np.tanh(points @ projection)], axis=1)
    return features.astype("float32"), labels.astype("int32")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--mnist", action="store_true", help="train on MNIST (downloads it)")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    if args.mnist:
        (x, y), (x_test, y_test) = keras.datasets.mnist.load_data()
        x = x.reshape(len(x), -1).astype("float32") / 255
        x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255
        classes = 10
    else:
        x, y = make_data()
        x_test, y_test = make_data(1000, seed=1)
        classes = 3

    model = keras.Sequential(
        [
            keras.Input((x.shape[1],)),
            layers.Dense(64, activation="relu"),
            layers.Dropout(0.1),
            layers.Dense(64, activation="relu"),
            layers.Dense(classes, activation="softmax"),
        ]
    )
    model.summary()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    stop = keras.callbacks.EarlyStopping(
        monitor="val_accuracy", patience=5, restore_best_weights=True
    )
    model.fit(x, y, batch_size=64, epochs=args.epochs, validation_split=0.2, callbacks=[stop])
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {acc:.3f} (loss {loss:.3f})")
    probs = model.predict(x_test[:5], verbose=0)
    print("first predictions:", probs.argmax(axis=1), "true:", y_test[:5])


if __name__ == "__main__":
    main()
