"""Writes tests/data/keras/feature_space_k3.keras with Keras 3 (its Hashing layers need the
TensorFlow backend): `KERAS_BACKEND=tensorflow /work/tfenv/bin/python <this file>`. The expected
values in test_feature_space.py were printed by the same run (`expected` below)."""

import os

import numpy as np

import keras

FS = keras.utils.FeatureSpace
DATA = {
    "f": np.array([1.0, 2.0, 3.0, 4.0], "float32"),
    "fn": np.array([1.0, 3.0, 5.0, 7.0], "float32"),
    "fr": np.array([2.0, 4.0, 6.0, 8.0], "float32"),
    "fd": np.array([0.0, 1.0, 2.0, 3.0], "float32"),
    "ic": np.array([3, 1, 3, 2], "int32"),
    "sc": np.array(["a", "b", "a", "c"]),
    "sh": np.array(["x", "y", "z", "x"]),
    "ih": np.array([10, 20, 30, 10], "int32"),
}

if __name__ == "__main__":
    fs = FS(
        {
            "f": "float",
            "fn": "float_normalized",
            "fr": FS.float_rescaled(scale=0.5, offset=1.0),
            "fd": FS.float_discretized(num_bins=3),
            "ic": "integer_categorical",
            "sc": "string_categorical",
            "sh": FS.string_hashed(num_bins=4),
            "ih": FS.integer_hashed(num_bins=4),
        },
        crosses=[FS.cross(("ic", "sc"), crossing_dim=4)],
    )
    fs.adapt(DATA)
    print("expected", np.asarray(fs({k: v[:3] for k, v in DATA.items()})).tolist())
    here = os.path.dirname(os.path.abspath(__file__))
    fs.save(os.path.join(here, "..", "data", "keras", "feature_space_k3.keras"))
