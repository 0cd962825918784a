"""Transfer learning: pre-train a backbone on task A, freeze it, train a new head, fine-tune.

The Keras recipe: `backbone.trainable = False`, calling it with `training=False` (BatchNormalization
stays in inference mode), a new head, then `backbone.trainable = True` and a re-compile with a low
learning rate. Data: generated 24x24 images of shapes; task A (4 shapes, many images) teaches the
backbone, task B (3 new shapes, a few hundred) reuses it. 10-40 s on 2 CPU cores; `--mobilenet`: a
MobileNetV2(alpha=0.35) backbone (2-4 min); `--smoke`: a few seconds.

    python examples/transfer_learning.py [--epochs 4] [--mobilenet] [--smoke]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers

TASK_A, TASK_B = ["square", "disc", "cross", "bar"], ["triangle", "ring", "diamond"]


def make_images(shapes, n, size, seed):  # RGB images of a shape at a random colour/place/size
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(shapes), n).astype("int32")
    x = rng.normal(0.1, 0.05, (n, size, size, 3)).astype("float32")
    yy, xx = np.mgrid[0:size, 0:size]
    for i, label in enumerate(y):
        r = rng.integers(size // 6, size // 3)
        cy, cx = rng.integers(r, size - r, 2)
        dy, dx, dist = abs(yy - cy), abs(xx - cx), np.hypot(yy - cy, xx - cx)
        box = (dy <= r) & (dx <= r)
        mask = dict(
            square=box,
            disc=dist <= r,
            cross=((dy <= 1) | (dx <= 1)) & box,
            bar=(dy <= 1) & (dx <= r),
            ring=abs(dist - r) < 1.2,
            diamond=dy + dx <= r,
            triangle=(dy <= r) & (dx <= (yy - cy + r) / 2),
        )[shapes[label]]
        x[i][mask] = rng.uniform(0.4, 1.0, 3)
    return x, y


def small_cnn(input_shape):
    block = lambda n: [layers.Conv2D(n, 3, activation="relu"), layers.BatchNormalization()]
    stack = [*block(16), layers.MaxPooling2D(), *block(32), layers.MaxPooling2D()]
    top = [layers.Conv2D(64, 3, activation="relu"), layers.GlobalAveragePooling2D()]
    return keras.Sequential([keras.Input(shape=input_shape), *stack, *top], name="backbone")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--mobilenet", action="store_true", help="MobileNetV2 backbone")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch per stage")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    epochs, size = (1 if args.smoke else args.epochs), (32 if args.mobilenet else 24)
    n_a, n_b = (64, 48) if args.smoke else (3000, 300)
    backbone = small_cnn((size, size, 3))
    if args.mobilenet:
        kw = dict(alpha=0.35, include_top=False, weights=None, pooling="avg")
        backbone = keras.applications.MobileNetV2((size, size, 3), **kw)
    for bn in [x for x in backbone.layers if isinstance(x, layers.BatchNormalization)]:
        bn.momentum = 0.9  # moving statistics that settle within the few hundred steps run here

    print("--- task A: pre-train the backbone on", TASK_A)
    x_a, y_a = make_images(TASK_A, n_a, size, seed=0)
    model_a = keras.Sequential([backbone, layers.Dense(len(TASK_A), activation="softmax")])
    loss = "sparse_categorical_crossentropy"
    model_a.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    epochs_a = 2 * epochs if args.mobilenet else epochs  # a bigger network learns slower
    model_a.fit(x_a, y_a, batch_size=32, epochs=epochs_a, validation_split=0.1, verbose=2)

    print("--- task B: freeze the backbone, train a new head on", TASK_B)
    (x_b, y_b), (x_test, y_test) = (make_images(TASK_B, n_b, size, seed) for seed in (1, 2))
    backbone.trainable = False
    inputs = keras.Input(shape=(size, size, 3))  # BatchNormalization stays in inference mode:
    features = layers.Dropout(0.2)(backbone(inputs, training=False))
    outputs = layers.Dense(len(TASK_B), activation="softmax")(features)
    model_b = keras.Model(inputs, outputs)
    model_b.compile(optimizer=keras.optimizers.Adam(3e-3), loss=loss, metrics=["accuracy"])
    frozen = [w.copy() for w in backbone.get_weights()]
    model_b.fit(x_b, y_b, batch_size=32, epochs=2 * epochs, verbose=2)
    unchanged = all(np.array_equal(a, b) for a, b in zip(frozen, backbone.get_weights()))
    acc_frozen = model_b.evaluate(x_test, y_test, verbose=0)[1]
    print(f"backbone unchanged while frozen: {unchanged}; test accuracy {acc_frozen:.3f}")

    print("--- fine-tune: unfreeze the backbone, re-compile with a low learning rate")
    backbone.trainable = True  # re-compiling makes the trainable change take effect
    model_b.compile(optimizer=keras.optimizers.Adam(1e-4), loss=loss, metrics=["accuracy"])
    model_b.fit(x_b, y_b, batch_size=32, epochs=epochs, verbose=2)
    acc_tuned = model_b.evaluate(x_test, y_test, verbose=0)[1]
    print(f"test accuracy: frozen backbone {acc_frozen:.3f}, fine-tuned {acc_tuned:.3f}")


if __name__ == "__main__":
    main()
