import numpy as np

import minikeras as keras


def test_keras_utils_exposes_the_serialization_helpers():
    @keras.utils.register_keras_serializable(package="AliasTest")
    class Twice(keras.layers.Layer):
        def call(self, x):
            return x * 2

    assert keras.utils.get_custom_objects()["AliasTest>Twice"] is Twice
    config = keras.utils.serialize_keras_object(Twice(name="twice"))
    layer = keras.utils.deserialize_keras_object(config)
    assert isinstance(layer, Twice) and layer.name == "twice"
    np.testing.assert_array_equal(np.asarray(layer(np.ones((1, 2), "float32"))), [[2.0, 2.0]])


def test_custom_object_scope_resolves_unregistered_classes():
    class Thrice(keras.layers.Layer):
        def call(self, x):
            return x * 3

    config = {"class_name": "Thrice", "config": {"name": "thrice"}}
    with keras.utils.custom_object_scope({"Thrice": Thrice}):
        layer = keras.utils.deserialize_keras_object(config)
    assert isinstance(layer, Thrice)
