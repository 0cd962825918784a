"""A complex64 weight (`add_weight(dtype="complex64")`) is saved and loaded in every format, and
a `.keras` file that Keras 3.15.1 wrote with one loads with its values and prediction
(`make_complex_weight_fixture.py`); the loaders' safety checks refused complex datasets."""

import os

import numpy as np
import pytest

import complex_weight_layer as L
import minikeras as keras

HERE = os.path.dirname(os.path.abspath(__file__))
ComplexScale = L.define(keras)


def _model():
    x = keras.Input((3,), name="x")
    return keras.Model(x, ComplexScale(name="scale")(x))


@pytest.mark.parametrize("fname", ["m.keras", "m.h5", "m.weights.h5"])
def test_complex_weight_round_trips(fname, tmp_path):
    model = _model()
    model.layers[1].w.assign(np.array(L.WEIGHT, "complex64"))
    path = tmp_path / fname
    if fname.endswith(".weights.h5"):
        model.save_weights(path)
        loaded = _model()
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = keras.models.load_model(path)
    w = loaded.layers[1].w.numpy()
    assert w.dtype == np.complex64
    np.testing.assert_array_equal(w, np.array(L.WEIGHT, "complex64"))


def test_keras_file_with_a_complex_weight_loads():
    data = np.load(os.path.join(HERE, "complex_weight_k3.npz"))
    model = keras.models.load_model(os.path.join(HERE, "complex_weight_k3.keras"))
    np.testing.assert_array_equal(model.layers[1].w.numpy(), np.array(L.WEIGHT, "complex64"))
    np.testing.assert_allclose(model(data["x"]).numpy(), data["y"], rtol=1e-6, atol=1e-6)
