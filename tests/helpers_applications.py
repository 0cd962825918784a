"""Checks shared by the `keras.applications` tests: a model against the layer list real Keras 3
wrote for it (`tests/data/keras/applications_k3.json`, from `make_application_configs.py`)."""

import json
import os

import numpy as np

import minikeras as keras

_PATH = os.path.join(os.path.dirname(__file__), "data", "keras", "applications_k3.json")
_CACHE = {}


def keras_entry(model_name):
    """Keras's record for `model_name`: kwargs, name, layers, params, params_notop, params_full."""
    if not _CACHE:
        with open(_PATH) as f:
            _CACHE.update(json.load(f)["models"])
    return _CACHE[model_name]


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return value.get("config", value)
    return value


def _describe(layer):
    config = layer.get_config()
    inbound = [t._keras_history[0].name for t in layer._inbound_nodes[0].input_tensors]
    return layer.name, type(layer).__name__, config, inbound


def build_like_keras(builder, model_name):
    """Builds `builder(**kwargs)` with the arguments Keras's model was built with, in a fresh
    session (Keras's auto-numbered names assume one)."""
    entry = keras_entry(model_name)
    kwargs = dict(entry["kwargs"])
    kwargs["input_shape"] = tuple(kwargs["input_shape"])
    keras.backend.clear_session()
    return builder(**kwargs)


def assert_matches_keras(model, model_name):
    """Same model name, parameter count, weight shapes in Keras's order, and per layer: name,
    class, inbound layers and every argument Keras recorded (filters, strides, padding, ...)."""
    entry = keras_entry(model_name)
    assert model.name == entry["name"]
    ours = [_describe(layer) for layer in model.layers]
    assert [o[0] for o in ours] == [s[0] for s in entry["layers"]]
    assert [o[1] for o in ours] == [s[1] for s in entry["layers"]]
    for (name, _, config, inbound), (_, _, saved, saved_inbound) in zip(ours, entry["layers"]):
        assert inbound == saved_inbound, name
        for key, value in saved.items():
            assert key in config, (name, key)
            assert _plain(config[key]) == value, (name, key, config[key], value)
    assert model.count_params() == entry["params"]
    # the order a weights file is read by position
    assert [list(w.shape) for w in model.weights] == entry["weight_shapes"]


def assert_forward_pass(model, preprocess, batch=2, seed=0):
    """A batch of random [0, 255] images through `preprocess` and the model: finite outputs of
    the model's output shape."""
    shape = (batch,) + tuple(model.input_shape[1:])
    x = np.random.default_rng(seed).uniform(0, 255, shape).astype("float32")
    y = model.predict(preprocess(x), verbose=0)
    assert y.shape == (batch,) + tuple(model.output_shape[1:])
    assert np.isfinite(y).all()
    return y
