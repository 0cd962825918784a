"""`keras.optimizers.get` / `serialize` / `deserialize` (minikeras/optimizers/__init__.py),
bound to the serialization floor's ObjectKind.

Expected forms observed with Keras 3.15.1 (torch): a subclass registered with
`register_keras_serializable("ser2")` serializes with `registered_name: "ser2>MyOpt"` and loads
back through `keras.optimizers.deserialize` / `get` without `custom_objects`;
`keras.optimizers.get(keras.optimizers.SGD)` (a class) raises "Could not interpret".
"""

import pytest

import minikeras as keras


@keras.saving.register_keras_serializable("ser2")
class MyOpt(keras.optimizers.SGD):
    pass


def test_registered_optimizer_round_trips_without_custom_objects():
    data = keras.optimizers.serialize(MyOpt(0.5))
    assert data["class_name"] == "MyOpt" and data["registered_name"] == "ser2>MyOpt"
    back = keras.optimizers.deserialize(data)
    assert type(back) is MyOpt and float(back.learning_rate) == 0.5
    assert type(keras.optimizers.get({"class_name": "ser2>MyOpt", "config": {}})) is MyOpt


def test_names_in_any_capitalisation_and_tf_keras_prefix():
    for name in ("adam", "Adam", "ADAM", "Custom>Adam"):
        assert type(keras.optimizers.deserialize(name)) is keras.optimizers.Adam


def test_classes_and_other_objects_are_refused():
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        keras.optimizers.get(keras.optimizers.SGD)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        keras.optimizers.get(lambda: None)
    with pytest.raises(TypeError, match="Optimizer"):
        keras.optimizers.serialize("adam")


def test_loss_scale_optimizer_nests_its_inner_optimizer():
    """Keras 3.15.1 writes the inner optimizer as its own serialized dict."""
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.25))
    data = keras.optimizers.serialize(opt)
    inner = data["config"]["inner_optimizer"]
    assert inner["class_name"] == "SGD" and inner["module"] == "keras.optimizers"
    back = keras.optimizers.deserialize(data)
    assert type(back.inner_optimizer) is keras.optimizers.SGD
    assert float(back.inner_optimizer.learning_rate) == 0.25
