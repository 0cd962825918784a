"""`register_keras_serializable`, `custom_object_scope`, `get_custom_objects` and the public
(de)serialization functions, with user layers, functions and subclassed models."""

import h5py
import numpy as np
import pytest

import minikeras as keras
from minikeras.serialization import registry


@keras.saving.register_keras_serializable(package="reg_test")
class Scale(keras.layers.Layer):
    """A user layer with a weight and a sub-layer held in an attribute."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.inner = keras.layers.Dense(2, name="inner_dense")

    def build(self, input_shape):
        self.alpha = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="alpha")

    def call(self, x):
        return self.inner(x * self.alpha * self.factor)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="reg_test")
def swishy(x):
    return x * keras.ops.sigmoid(x)


@keras.saving.register_keras_serializable(package="reg_test")
class Tiny(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation=swishy, name="hidden")
        self.out = keras.layers.Dense(1, name="out")

    def call(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _model():
    x = keras.Input((3,), name="x")
    return keras.Model(x, Scale(3.0, name="scale")(x), name="m")


def test_registered_names():
    assert keras.saving.get_registered_name(Scale) == "reg_test>Scale"
    assert keras.saving.get_registered_object("reg_test>Scale") is Scale
    assert keras.saving.get_custom_objects()["reg_test>swishy"] is swishy
    assert keras.saving.get_registered_name(keras.layers.Dense) == "Dense"  # not registered
    with pytest.raises(ValueError, match="get_config"):
        keras.saving.register_keras_serializable()(type("NoConfig", (), {}))


@pytest.mark.parametrize("fname", ["m.keras", "m.h5"])
def test_registered_layer_round_trip(tmp_path, fname):
    model = _model()
    rng = np.random.default_rng(0)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in model.get_weights()])
    model.save(tmp_path / fname)
    loaded = keras.models.load_model(tmp_path / fname)
    layer = loaded.get_layer("scale")
    assert type(layer) is Scale and layer.factor == 3.0
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_sublayer_attribute_path_in_weights_file(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as f:
        assert f["layers/scale/vars/0"].shape == (3,)  # alpha, the layer's own weight
        assert f["layers/scale/inner/vars/0"].shape == (3, 2)  # attribute name, as Keras walks it


def test_custom_objects_and_scope(tmp_path):
    class Local(keras.layers.Dense):
        pass

    x = keras.Input((3,))
    model = keras.Model(x, Local(2, activation=swishy, name="local")(x))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="Unknown layer: 'Local'"):
        keras.models.load_model(tmp_path / "m.keras")
    assert (
        type(
            keras.models.load_model(
                tmp_path / "m.keras", custom_objects={"Local": Local}
            ).get_layer("local")
        )
        is Local
    )
    with keras.saving.custom_object_scope({"Local": Local}):
        loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("local").activation is swishy
    assert registry._scopes() == []  # the scope is gone again


def test_subclassed_model_keras_round_trip(tmp_path):
    model = Tiny(4)
    x = np.random.default_rng(0).standard_normal((2, 5)).astype("float32")
    model(x)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded) is Tiny and loaded.units == 4
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as f:
        assert "hidden/vars/0" in f and "out/vars/1" in f  # attributes of a subclassed model


def test_serialize_and_deserialize_objects():
    s = keras.saving.serialize_keras_object
    d = keras.saving.deserialize_keras_object
    opt = keras.optimizers.SGD(0.1, momentum=0.5)
    back = d(s(opt))
    assert type(back) is keras.optimizers.SGD and back.momentum == 0.5
    init = d(s(keras.initializers.RandomNormal(stddev=0.3)))
    assert type(init) is keras.initializers.RandomNormal and init.stddev == 0.3
    assert d(s(keras.activations.relu)) is keras.activations.relu
    assert d(s(swishy)) is swishy
    arr = d(s(np.arange(3, dtype="int32")))
    assert arr.dtype == np.int32 and arr.tolist() == [0, 1, 2]
    assert d({"class_name": "__tuple__", "config": {"value": [1, 2]}}) == (1, 2)
    layer = d(s(keras.layers.Dense(3, name="dd")))
    assert type(layer) is keras.layers.Dense and layer.units == 3 and layer.name == "dd"
    with pytest.raises(ValueError, match="lambda"):
        s(lambda x: x)
    with pytest.raises(ValueError, match="Unknown object"):
        d({"class_name": "NoSuchThing", "config": {}})
