"""`keras.metrics.get` / `serialize` / `deserialize` (minikeras/metrics/__init__.py), bound to
the serialization floor's ObjectKind.

Keras 3.15.1 (torch) observed: `keras.metrics.get("binary_accuracy")` is a `BinaryAccuracy`
instance, `keras.metrics.serialize(keras.metrics.binary_accuracy)` has
`registered_name: "function"`, and a MeanMetricWrapper writes its function as a
`{"class_name": "function"}` entry.
"""

import pytest

from minikeras import losses, metrics


def test_function_names_give_instances_and_function_entries_functions():
    assert type(metrics.get("binary_accuracy")) is metrics.BinaryAccuracy
    entry = metrics.serialize(metrics.binary_accuracy)
    assert entry["class_name"] == "function" and entry["registered_name"] == "function"
    assert metrics.deserialize(entry) is metrics.binary_accuracy
    assert metrics.deserialize_function("mean_squared_error") is losses.mean_squared_error


def test_wrapper_of_a_custom_function_loads_with_custom_objects():
    def hits(y_true, y_pred):
        return y_pred

    data = metrics.serialize(metrics.MeanMetricWrapper(hits, name="hits"))
    assert data["config"]["fn"]["config"] == "hits"
    back = metrics.deserialize(data, custom_objects={"hits": hits})
    assert back._fn is hits and back.name == "hits"
    with pytest.raises(ValueError, match="hits"):
        metrics.deserialize(data)


def test_a_function_entry_naming_a_class_is_refused():
    """Only the metric and loss functions are looked up for a function entry."""
    with pytest.raises(ValueError, match="Unknown metric function: 'AUC'"):
        metrics.deserialize({"class_name": "function", "config": "AUC"})
