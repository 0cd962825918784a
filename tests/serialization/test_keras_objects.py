"""`deserialize_keras_object` of function entries (minikeras/serialization/keras_objects.py).

Expected objects observed with Keras 3.15.1 (torch): `keras.saving.deserialize_keras_object(
{"module": "keras.metrics", "class_name": "function", "config": "binary_accuracy",
"registered_name": "function"})` is the function `keras.metrics.binary_accuracy`.
"""

import minikeras as keras


def _entry(module, name):
    return {
        "module": module,
        "class_name": "function",
        "config": name,
        "registered_name": "function",
    }


def test_metric_function_entry_gives_the_function_not_the_class():
    """The metrics table maps "binary_accuracy" to the class BinaryAccuracy (as Keras's
    `metrics.get` does); a function entry must give the function (minikeras gave the class)."""
    d = keras.saving.deserialize_keras_object
    assert d(_entry("keras.metrics", "binary_accuracy")) is keras.metrics.binary_accuracy
    assert d(_entry("keras.metrics", "categorical_accuracy")) is keras.metrics.categorical_accuracy
    assert d(_entry("keras.metrics", "mean_squared_error")) is keras.losses.mean_squared_error
    assert d(_entry("keras.losses", "mean_squared_error")) is keras.losses.mean_squared_error
    assert d(_entry("keras.activations", "relu")) is keras.activations.relu


def test_metric_wrapper_round_trips_through_keras_objects():
    """A MeanMetricWrapper's `fn` entry, as `keras.metrics.serialize` writes it, loads back."""
    m = keras.metrics.MeanMetricWrapper(keras.metrics.binary_accuracy, name="acc")
    back = keras.saving.deserialize_keras_object(keras.metrics.serialize(m))
    assert type(back) is keras.metrics.MeanMetricWrapper
    assert back._fn is keras.metrics.binary_accuracy and back.name == "acc"
