"""Keras 3's automatic config of a layer subclass without `get_config` (layers/auto_config.py).

The expected configs and errors are what Keras 3.15.1 (jax) gives for the same classes; keras.io's
vocal_track_separation saves such layers (`TimeFrequencyTransformBlock(channels, length, ...)`)
with ModelCheckpoint and loads them back.
"""

import numpy as np
import pytest

import minikeras as keras


class Block(keras.layers.Layer):
    def __init__(self, units, scale=(2, 2), act=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, *_):
        self.dense = keras.layers.Dense(self.units)

    def call(self, x):
        return self.dense(x)


class NoKwargs(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units


class OwnConfig(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)

    def get_config(self):
        return super().get_config()


class PositionalOnly(keras.layers.Layer):
    def __init__(self, units, /, **kwargs):
        super().__init__(**kwargs)


class VarArgs(keras.layers.Layer):
    def __init__(self, *units, **kwargs):
        super().__init__(**kwargs)


def test_arguments_with_defaults_in_the_config():
    config = Block(3, act="relu", name="blk", trainable=False).get_config()
    assert list(config)[:4] == ["name", "units", "scale", "act"]
    assert config["units"] == 3 and config["scale"] == (2, 2) and config["act"] == "relu"
    assert config["name"] == "blk" and config["trainable"] is False
    assert config["dtype"]["config"] == {"name": "float32"}
    again = Block.from_config(config)
    assert again.units == 3 and again.name == "blk"


def test_name_dropped_when_init_cannot_take_it():
    config = NoKwargs(2).get_config()
    assert "name" not in config and config["units"] == 2


def test_own_get_config_calling_super_gets_no_arguments():
    assert "units" not in OwnConfig(4).get_config()


@pytest.mark.parametrize("value", [keras.initializers.Zeros(), np.int64(3)])
def test_non_plain_argument_raises_not_implemented(value):
    with pytest.raises(NotImplementedError, match="Object Block was created by passing non-ser"):
        Block(value).get_config()


def test_positional_only_and_varargs_raise_not_implemented():
    for layer in (PositionalOnly(3), VarArgs(3)):
        with pytest.raises(NotImplementedError, match="positional only or variadic"):
            layer.get_config()
    assert "units" not in VarArgs().get_config()  # no varargs given: nothing to lose


def test_saved_and_loaded_in_a_functional_model(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, Block(3, name="blk")(inputs))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"Block": Block})
    assert loaded.get_layer("blk").units == 3
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_subclassed_model_keeps_only_default_arguments(tmp_path):
    # Keras's Model.__new__ passes no constructor arguments on: defaults, or no config at all
    class WithDefaults(keras.Model):
        def __init__(self, width=4, depth=2, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(width)

    config = WithDefaults(7, name="mm").get_config()
    assert config["width"] == 4 and config["depth"] == 2 and config["name"] == "mm"

    class Wraps(keras.Model):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def call(self, x):
            return self.inner(x)

    model = Wraps(keras.layers.Dense(2))
    model(np.ones((1, 2), "float32"))
    with pytest.raises(NotImplementedError, match="Object Wraps"):
        model.save(str(tmp_path / "wraps.keras"))


def test_merge_layers_keep_no_automatic_arguments():
    config = keras.layers.Add(dtype=keras.DTypePolicy("mixed_float16")).get_config()
    assert config["dtype"]["config"] == {"name": "mixed_float16"}
