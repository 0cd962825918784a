"""`keras.layers.serialize` / `keras.layers.deserialize` (minikeras/layers/__init__.py), compared
with what Keras 3.15.1 (torch) returns for the same layers: tests/data/keras/
layers_serialize_k3.json, written by make_layers_serialize_fixtures.py."""

import json
import os

import numpy as np
import pytest

import minikeras as keras

DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "keras")


def _keras3():
    with open(os.path.join(DATA, "layers_serialize_k3.json")) as f:
        return json.load(f)["cases"]


def _layers():
    built = keras.layers.Dense(3, name="d2")
    built.build((None, 5))
    return {
        "dense": keras.layers.Dense(3, activation="relu", name="d"),
        "dense_built": built,
        "bidirectional_lstm": keras.layers.Bidirectional(keras.layers.LSTM(4, name="l"), name="bi"),
    }


@pytest.mark.parametrize("case", ["dense", "dense_built", "bidirectional_lstm"])
def test_serialize_gives_keras3_dict(case):
    """The dict equals Keras 3.15.1's, nested layers and build_config included."""
    assert keras.layers.serialize(_layers()[case]) == _keras3()[case]["serialized"]


@pytest.mark.parametrize("case", ["dense", "dense_built", "bidirectional_lstm"])
def test_deserialize_reads_keras3_dict(case):
    """Keras 3's dict builds the layer back (built only when it has a build_config, as in
    Keras 3.15.1), and it serializes to the same dict again."""
    expected = _keras3()[case]
    layer = keras.layers.deserialize(expected["serialized"])
    assert layer.built == expected["built"]
    assert keras.layers.serialize(layer) == expected["serialized"]


def test_deserialize_with_custom_objects_and_refusals():
    class Twice(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    config = keras.layers.serialize(Twice(name="t"))
    layer = keras.layers.deserialize(config, custom_objects={"Twice": Twice})
    assert isinstance(layer, Twice) and layer.name == "t"
    np.testing.assert_allclose(layer(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])
    with pytest.raises(ValueError, match="Twice"):
        keras.layers.deserialize(config)
    with pytest.raises(ValueError, match="Unknown layer: .Adam."):
        keras.layers.deserialize({"class_name": "Adam", "config": {}})
