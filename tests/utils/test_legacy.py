"""keras.utils.legacy (Keras 2 style serialization), as Keras 3.15.1 answers."""

import pytest

import minikeras as keras


def test_legacy_serialize_has_no_module_and_round_trips():
    """Keras: {'class_name': 'Dense', 'config': {...}} without 'module'; a function gives its
    name ('relu'); deserialize with module_objects rebuilds the layer; an unknown class raises
    ValueError "Unknown object: 'Foo'"."""
    legacy = keras.utils.legacy
    config = legacy.serialize_keras_object(keras.layers.Dense(2, name="d"))
    assert set(config) == {"class_name", "config"} and config["class_name"] == "Dense"
    assert config["config"]["units"] == 2 and config["config"]["name"] == "d"
    assert legacy.serialize_keras_object(keras.activations.relu) == "relu"
    layer = legacy.deserialize_keras_object(config, module_objects={"Dense": keras.layers.Dense})
    assert type(layer).__name__ == "Dense" and layer.units == 2
    with pytest.raises(ValueError, match="Unknown object: 'Foo'"):
        legacy.deserialize_keras_object({"class_name": "Foo", "config": {}}, module_objects={})
