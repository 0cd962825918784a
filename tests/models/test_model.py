"""`Model` itself (minikeras/models/model.py): Keras 3.15.1 behaviour observed on torch."""

import numpy as np
import pytest

import minikeras as keras


def _functional():
    a = keras.Input((3,), name="a")
    return keras.Model(a, keras.layers.Dense(2, name="d")(a), name="fm")


def test_model_from_config_revives_a_functional_config():
    """Keras 3: `keras.Model.from_config(functional.get_config())` returns a Functional with the
    same name and layers; `model_from_json(model.to_json())` round-trips both model kinds."""
    model = _functional()
    revived = keras.Model.from_config(model.get_config())
    assert type(revived).__name__ == "Functional"
    assert revived.name == "fm" and [l.name for l in revived.layers] == ["a", "d"]
    revived.set_weights(model.get_weights())
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(revived(x), model(x))
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)], name="sq")
    assert type(keras.Sequential.from_config(seq.get_config())).__name__ == "Sequential"
    for m in (model, seq):
        back = keras.models.model_from_json(m.to_json())
        assert (type(back), back.name) == (type(m), m.name)


def test_model_from_config_subclass():
    """Keras 3: a subclass whose __init__ takes (*args, **kwargs) is revived from a graph config
    as that subclass; a config that is not a graph goes to cls(**config), and a TypeError there
    says the model could not be revived."""

    class Wrapped(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    revived = Wrapped.from_config(_functional().get_config())
    assert isinstance(revived, Wrapped) and revived.name == "fm"

    class Custom(keras.Model):
        def __init__(self, units):
            super().__init__()
            self.units = units

    with pytest.raises(TypeError, match="Unable to revive model Custom"):
        Custom.from_config({"name": "c", "trainable": True})
