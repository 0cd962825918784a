"""Custom layer and subclassed model: add_weight, get_config, registration, saving and loading.

A custom `Layer` (radial-basis features: weights from `add_weight` in `build`, math in
`keras.ops`, config from `get_config`) and a subclassed `Model` using it, both registered with
`keras.saving.register_keras_serializable`, so `keras.models.load_model` rebuilds them from
`.keras` with no `custom_objects`; then the layer in a functional model saved as `.h5`. On
generated data (three rings in 2-D): a few seconds on 2 CPU cores, less with `--smoke`.

    python examples/custom_layer_and_model.py [--epochs 20] [--smoke]
"""

import argparse
import os
import tempfile

import numpy as np

import minikeras as keras
from minikeras import layers, ops


@keras.saving.register_keras_serializable(package="examples")
class RBFFeatures(layers.Layer):
    """`exp(-width_k * |x - centre_k|^2)` for `units` learned centres, shape (batch, units)."""

    def __init__(self, units, initial_width=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.initial_width = units, initial_width

    def build(self, input_shape):
        init = keras.initializers.RandomNormal(stddev=2.0)
        self.centres = self.add_weight((input_shape[-1], self.units), init, name="centres")
        log_width = keras.initializers.Constant(np.log(self.initial_width))
        self.log_width = self.add_weight((self.units,), log_width, name="log_width")

    def call(self, x):
        c = self.centres  # |x-c|^2 = |x|^2 - 2 x.c + |c|^2
        sq = ops.sum(x * x, -1, keepdims=True) - 2 * ops.matmul(x, c) + ops.sum(c * c, 0)
        return ops.exp(-ops.exp(self.log_width) * sq)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "initial_width": self.initial_width}


@keras.saving.register_keras_serializable(package="examples")
class RBFClassifier(keras.Model):
    """A subclassed model: RBF features, dropout and a softmax classifier."""

    def __init__(self, num_classes, units=24, **kwargs):
        super().__init__(**kwargs)
        self.num_classes, self.units = num_classes, units
        self.features, self.dropout = RBFFeatures(units), layers.Dropout(0.1)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        return self.classifier(self.dropout(self.features(inputs), training=training))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "units": self.units}


def make_data(n, seed):  # three noisy rings
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    angle, radius = rng.uniform(0, 2 * np.pi, n), 1.0 + y + rng.normal(0, 0.15, n)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1).astype("float32"), y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    (x, y), (x_test, y_test) = make_data(200 if args.smoke else 2000, 0), make_data(200, 1)
    model = RBFClassifier(num_classes=3)
    loss = "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss=loss, metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=1 if args.smoke else args.epochs, verbose=2)
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    name = keras.saving.get_registered_name(RBFFeatures)
    print(f"test accuracy: {accuracy:.3f}; layer registered as {name!r}")

    with tempfile.TemporaryDirectory() as tmp:
        model.save(os.path.join(tmp, "rbf.keras"))  # no custom_objects needed: registered classes
        restored = keras.models.load_model(os.path.join(tmp, "rbf.keras"))
        same = np.allclose(model.predict(x_test, verbose=0), restored.predict(x_test, verbose=0))
        print(f"{type(restored).__name__} reloaded from .keras, same predictions: {same}")

        inputs = keras.Input(shape=(2,))  # the custom layer in a functional model, legacy .h5
        functional = keras.Model(inputs, layers.Dense(3)(RBFFeatures(8, name="rbf")(inputs)))
        functional.save(os.path.join(tmp, "functional.h5"))
        reloaded = keras.models.load_model(os.path.join(tmp, "functional.h5"))
        same = np.allclose(functional.predict(x_test, verbose=0), reloaded(x_test).numpy())
        print(f"functional model with RBFFeatures reloaded from .h5, same predictions: {same}")


if __name__ == "__main__":
    main()
