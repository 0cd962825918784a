import json

import numpy as np
import pytest

import minikeras as keras
from helpers import randn, run_layer_test


def test_lambda_with_named_function_round_trips_by_name():
    layer, out = run_layer_test(
        keras.layers.Lambda,
        {"function": keras.ops.square},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )
    assert layer.get_config()["function"] == "square"
    x = randn(2, 3, dtype="float32")
    np.testing.assert_allclose(np.asarray(layer(x)), x**2, rtol=1e-6)


def test_lambda_arguments_and_gradient():
    def scale(x, factor):
        return x * factor

    layer = keras.layers.Lambda(scale, arguments={"factor": 3.0})
    x = keras.Variable(np.ones((1, 2), "float32"))
    with keras.GradientTape() as tape:
        y = keras.ops.sum(layer(x))
    np.testing.assert_allclose(np.asarray(tape.gradient(y, x)), [[3.0, 3.0]])
    assert layer.get_config()["arguments"] == {"factor": 3.0}


def test_lambda_anonymous_function_in_memory_and_config_is_json():
    layer = keras.layers.Lambda(lambda x: x[:, :2] * 2)
    inp = keras.Input(shape=(5,))
    out = layer(inp)
    assert out.shape == (None, 2)
    model = keras.Model(inp, out)
    np.testing.assert_allclose(np.asarray(model(np.ones((3, 5), "float32"))), np.full((3, 2), 2.0))
    config = layer.get_config()
    json.dumps(config)
    assert config["function"] == "<lambda>"
    with pytest.raises(ValueError, match="<lambda>"):
        keras.layers.Lambda.from_config(config)


def test_lambda_never_loads_bytecode():
    config = {"function": {"class_name": "__lambda__", "config": {"code": "AAAA"}}}
    with pytest.raises(ValueError, match="bytecode"):
        keras.layers.Lambda.from_config(config)


def test_lambda_from_config_custom_objects():
    def double(x):
        return x * 2

    config = keras.layers.Lambda(double).get_config()
    clone = keras.layers.Lambda.from_config(config, custom_objects={"double": double})
    np.testing.assert_allclose(np.asarray(clone(np.ones((1, 1), "float32"))), [[2.0]])


def test_lambda_mask_argument_and_mask_function():
    seen = {}

    def fn(x, mask=None):
        seen["mask"] = mask
        return x * 1.0

    x = keras.ops.ones((2, 3, 1))
    x._keras_mask = keras.ops.convert_to_tensor(np.array([[1, 1, 0], [1, 0, 0]], bool))
    y = keras.layers.Lambda(fn)(x)
    np.testing.assert_array_equal(np.asarray(seen["mask"]), np.asarray(x._keras_mask))
    assert y._keras_mask is None  # no `mask` argument: the mask is dropped, as Keras
    y = keras.layers.Lambda(fn, mask=lambda inputs, mask: mask)(x)
    np.testing.assert_array_equal(np.asarray(y._keras_mask), np.asarray(x._keras_mask))


def test_lambda_output_shape_and_training_argument():
    def fn(x, training=None):
        return x * (2.0 if training else 1.0)

    layer = keras.layers.Lambda(fn, output_shape=(3,))
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 3), "float32"), training=True)), 2.0)
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 3), "float32"))), 1.0)


def test_lambda_rejects_non_callable():
    with pytest.raises(TypeError, match="callable"):
        keras.layers.Lambda(3)


def test_lambda_from_keras3_function_entry_named_in_config():
    """Keras 3.15 writes a named function as {"class_name": "function", "config": NAME,
    "registered_name": "function"} (observed in its `.h5` and `.keras` files): the name is the
    config, not the registered_name."""

    def triple(t):
        return t * 3.0

    config = {
        "name": "lam",
        "function": {
            "module": "builtins",
            "class_name": "function",
            "config": "triple",
            "registered_name": "function",
        },
    }
    layer = keras.layers.Lambda.from_config(config, custom_objects={"triple": triple})
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 2), "float32"))), 3.0)
