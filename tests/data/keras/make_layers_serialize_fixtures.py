"""Writes `layers_serialize_k3.json`: what Keras 3.15.1's `keras.layers.serialize(layer)` returns
for a Dense layer (unbuilt, and built: with its `build_config`) and for a nested
`Bidirectional(LSTM)`, for tests/layers/test_serialize.py. Run from outside the Keras source tree:

    KERAS_BACKEND=torch /work/anchors/bin/python tests/data/keras/make_layers_serialize_fixtures.py

JSON layout: a dict case name -> `{"serialized": keras.layers.serialize(layer), "built":
keras.layers.deserialize(serialized).built}`.
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers_serialize_k3.json")


def cases():
    built = keras.layers.Dense(3, name="d2")
    built.build((None, 5))
    return {
        "dense": keras.layers.Dense(3, activation="relu", name="d"),
        "dense_built": built,
        "bidirectional_lstm": keras.layers.Bidirectional(keras.layers.LSTM(4, name="l"), name="bi"),
    }


def main():
    out = {}
    for name, layer in cases().items():
        serialized = keras.layers.serialize(layer)
        again = keras.layers.deserialize(serialized)
        out[name] = {"serialized": serialized, "built": again.built}
    with open(OUT, "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": out}, f, indent=1, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
