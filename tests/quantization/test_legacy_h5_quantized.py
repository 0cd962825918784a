"""Quantized models in legacy `.h5` files: Keras 3.15.1 writes a quantized layer's `dtype` as
its `QuantizedDTypePolicy` dict (not a name), and loads it back quantized. minikeras reads
Keras's file (`fixtures/dense_int8_legacy.h5`, `make_conv_int8_fixtures.py`) and writes the same
dict (it once wrote `"dtype": null`, and the quantized weights then did not fit)."""

import json
import os

import h5py
import numpy as np

import minikeras as keras

HERE = os.path.join(os.path.dirname(__file__), "fixtures")


def test_keras_int8_h5_loads_and_predicts_the_same():
    model = keras.models.load_model(os.path.join(HERE, "dense_int8_legacy.h5"))
    data = np.load(os.path.join(HERE, "dense_int8_legacy.npz"))
    assert model.get_layer("dense_a").dtype_policy.name == "int8_from_float32"
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], rtol=1e-6, atol=1e-6)


def test_minikeras_writes_the_quantized_policy_as_keras(tmp_path):
    inputs = keras.Input((12,))
    model = keras.Model(inputs, keras.layers.Dense(3, name="d")(inputs))
    model.quantize("int8")
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path) as f:
        layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    dtype = [entry for entry in layers if entry["config"]["name"] == "d"][0]["config"]["dtype"]
    assert dtype["class_name"] == "QuantizedDTypePolicy"
    assert dtype["config"] == {"mode": "int8", "source_name": "float32"}
    x = np.random.default_rng(0).normal(size=(4, 12)).astype("float32")
    back = keras.models.load_model(path)
    np.testing.assert_array_equal(back.predict(x, verbose=0), model.predict(x, verbose=0))
