"""MultiOptimizer and OptimizerMap (minikeras/optimizers/multi_optimizer.py) against Keras 3.15.1
(jax; api16a_misc_k3.npz and multi_optimizer_k3.keras from make_api16a_misc_fixtures.py): three
fit epochs with Adam on one layer and SGD on the rest, the optimizer variables' order and values,
a Keras-written file's optimizer state; OptimizerMap's lookup rules (Keras's docstring example),
the learning_rate error, a callable map, config round trips."""

import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers

HERE = os.path.join(os.path.dirname(__file__), "..", "data", "keras")
DATA = np.load(os.path.join(HERE, "api16a_misc_k3.npz"))


def _model():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="enc"), keras.layers.Dense(1, name="dec")],
        name="sequential",
    )
    model.set_weights([DATA[f"multi_w0_{i}"] for i in range(4)])
    return model


def test_fit_matches_keras3(tmp_path):
    model = _model()
    opt_map = optimizers.OptimizerMap(
        optimizers.SGD(0.1), {"sequential/enc/.*": optimizers.Adam(0.01)}
    )
    model.compile(optimizers.MultiOptimizer(opt_map), "mse")
    model.fit(DATA["multi_x"], DATA["multi_y"], batch_size=8, epochs=3, shuffle=False, verbose=0)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, DATA[f"multi_w3_{i}"], rtol=1e-5, atol=1e-6)
    paths = [v.path for v in model.optimizer.variables]
    assert paths == json.loads(str(DATA["multi_opt_vars"]))
    for i, v in enumerate(model.optimizer.variables):
        np.testing.assert_allclose(v.numpy(), DATA[f"multi_opt_{i}"], rtol=1e-5, atol=1e-6)
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(model.optimizer.variables, again.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_loads_a_keras_written_file():
    model = keras.saving.load_model(os.path.join(HERE, "multi_optimizer_k3.keras"))
    assert isinstance(model.optimizer, optimizers.MultiOptimizer)
    for i, v in enumerate(model.optimizer.variables):
        np.testing.assert_array_equal(v.numpy(), DATA[f"multi_opt_{i}"])
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(w, DATA[f"multi_w3_{i}"])


def test_optimizer_map_rules_as_keras_docstring():
    opt_map = optimizers.OptimizerMap(default_optimizer=optimizers.RMSprop())
    opt_map["encoder/layer_0/dense"] = optimizers.Adam()
    opt_map["encoder/.*"] = optimizers.SGD()
    opt_map["decoder"] = optimizers.Adam()
    assert type(opt_map["decoder"]).__name__ == "Adam"
    assert type(opt_map["encoder/layer_0/dense"]).__name__ == "Adam"
    assert type(opt_map["encoder/layer_0/attention/query"]).__name__ == "SGD"
    assert type(opt_map["decoder/layer_0/dense"]).__name__ == "RMSprop"
    opt_map["enc.*"] = optimizers.SGD()
    with pytest.raises(ValueError, match="Multiple optimizers assigned to variable encoder/x"):
        opt_map["encoder/x"]
    with pytest.raises(ValueError, match="already exists in the OptimizerMap"):
        opt_map["decoder"] = optimizers.SGD()
    with pytest.raises(ValueError, match="optimizer cannot be LossScaleOptimizer"):
        opt_map["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(TypeError, match="default_optimizer must be a Keras Optimizer"):
        optimizers.OptimizerMap("sgd")


def test_learning_rate_callable_map_and_config():
    a, b = keras.Variable([1.0], name="a"), keras.Variable([1.0], name="b")
    fast, slow = optimizers.SGD(1.0), optimizers.SGD(0.1)
    multi = optimizers.MultiOptimizer(lambda v: fast if v.name == "a" else slow)
    multi.apply([np.array([1.0]), np.array([1.0])], [a, b])
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [0.0, 0.9], rtol=1e-6)
    assert multi.optimizers == [fast, slow] and int(multi.iterations.numpy()) == 1
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        multi.learning_rate  # noqa: B018
    opt = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(optimizers.SGD(0.5), {"x/.*": optimizers.Adam(0.1)}), name="mo"
    )
    config = optimizers.serialize(opt)
    assert config["class_name"] == "MultiOptimizer"
    assert config["config"]["optimizer_map"]["class_name"] == "OptimizerMap"
    again = optimizers.deserialize(config)
    assert again.name == "mo" and [type(o).__name__ for o in again.optimizers] == ["Adam", "SGD"]
