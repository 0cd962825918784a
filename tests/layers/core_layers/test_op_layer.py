"""OpLayer: a `keras.ops` call on symbolic tensors, split as Keras 3's `Operation` classes split
it (constructor arguments -> config, tensors -> call), named as Keras names it; and the
`op_names` table it uses (generated from Keras 3.15.1's ops)."""

import inspect

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops
from minikeras.layers.core_layers import op_names
from minikeras.layers.core_layers.op_layer import OpLayer, _op_function


def _layer(t):
    return t._keras_history[0]


def _node(t):
    layer = _layer(t)
    return layer._inbound_nodes[-1]


def test_table_matches_the_minikeras_functions():
    """Every op in the table exists, and its constructor and call argument names are arguments
    of the minikeras function (or Keras-only ones with a default): a renamed argument would
    silently drop out of saved configs."""
    for op, (module, cls, init, call) in op_names.OPS.items():
        params = inspect.signature(_op_function(op)).parameters
        keras_only = op_names.KERAS_ONLY_ARGS.get(op, {})
        for name in init + tuple(c.strip("*=") for c in call):
            assert name in params or name in keras_only, (op, name)
        assert module in ("numpy", "nn", "math", "image", "linalg", "core"), op
        assert cls[:1].isupper(), op


def test_keras_spellings():
    """Keras 3's class names (`keras/src/ops/*.py`), not CamelCase of the function name."""
    expected = {
        "fft2": "FFT2",
        "rfft": "RFFT",
        "irfft": "IRFFT",
        "stft": "STFT",
        "istft": "ISTFT",
        "image.resize": "Resize",
        "image.extract_patches": "ExtractPatches",
        "image.rgb_to_grayscale": "RGBToGrayscale",
        "getitem": "GetItem",
        "matmul": "Matmul",
        "batch_normalization": "BatchNorm",
        "abs": "Absolute",
        "swish": "Silu",
        "hard_swish": "HardSilu",
        "log_softmax": "LogSoftmax",
    }
    assert {op: op_names.OPS[op][1] for op in expected} == expected
    assert op_names.op_for_class("GetItem") == "getitem"
    assert op_names.op_for_class("Absolute") == "absolute"
    assert op_names.op_for_class("ExtractPatches") == "image.extract_patches"
    assert op_names.op_for_class("Rot90") is None


def test_symbolic_call_splits_like_keras():
    """`ops.image.resize(x, (4, 4))`: Keras 3 builds `Resize(size, interpolation=..., ...)` and
    calls it on the image alone; defaults are part of the config (Keras's auto-config)."""
    x = keras.Input((6, 6, 3))
    y = ops.image.resize(x, (4, 4), interpolation="nearest")
    layer = _layer(y)
    assert layer.name.startswith("resize")
    assert layer.op_kwargs["size"] == (4, 4) and layer.op_kwargs["interpolation"] == "nearest"
    assert layer.op_kwargs["antialias"] is False and "data_format" in layer.op_kwargs
    node = _node(y)
    assert list(node.args) == [x] and node.kwargs == {}
    m = keras.Model(x, y)
    data = np.random.default_rng(0).uniform(size=(2, 6, 6, 3)).astype("float32")
    expected = ops.image.resize(data, (4, 4), interpolation="nearest")
    np.testing.assert_array_equal(m.predict(data, verbose=0), np.asarray(expected))


def test_call_order_differs_from_function_order():
    """Keras's `BatchNorm(axis, epsilon)` is called as `(x, mean, variance, offset, scale)`:
    the function's `axis` sits between `variance` and `offset`; `Einsum(subscripts)` takes the
    operands as `*operands`; `Full(shape, dtype)` is called on `fill_value`."""
    x = keras.Input((3, 4))
    bn = ops.batch_normalization(x, 0.5, 2.0, -1, None, 3.0, epsilon=0.01)
    assert _layer(bn).op_kwargs == {"axis": -1, "epsilon": 0.01}
    assert list(_node(bn).args) == [x, 0.5, 2.0, None, 3.0]
    assert _layer(bn).name.startswith("batch_norm")
    es = ops.einsum("bij,bkj->bik", x, x)
    assert _layer(es).op_kwargs == {"subscripts": "bij,bkj->bik"}
    assert list(_node(es).args) == [x, x]
    model = keras.Model(x, [bn, es])
    data = np.random.default_rng(1).standard_normal((2, 3, 4)).astype("float32")
    got = model.predict(data, verbose=0)
    want_bn = (data - 0.5) / np.sqrt(2.0 + 0.01) * 3.0
    np.testing.assert_allclose(got[0], want_bn, rtol=1e-5)
    np.testing.assert_allclose(got[1], np.einsum("bij,bkj->bik", data, data), rtol=1e-5)


def test_tensor_in_a_constructor_place_stays_in_the_node(tmp_path):
    """`ops.clip(x, lo, 1.0)` with a symbolic `lo`: Keras would put it in the constructor (and
    could not save it); minikeras keeps it in the node's kwargs, so the graph runs and saves."""
    x, lo = keras.Input((3,)), keras.Input((3,))
    y = ops.clip(x, lo, 1.0)
    assert _layer(y).op_kwargs == {"x_max": 1.0}
    assert _node(y).kwargs["x_min"] is lo
    model = keras.Model([x, lo], y)
    a = np.array([[-2.0, 0.5, 3.0]], "float32")
    b = np.array([[-1.0, 0.7, 0.0]], "float32")
    np.testing.assert_array_equal(model.predict([a, b], verbose=0), np.float32([[-1.0, 0.7, 1.0]]))
    model.save(tmp_path / "clip.keras")
    loaded = keras.models.load_model(tmp_path / "clip.keras")
    np.testing.assert_array_equal(loaded.predict([a, b], verbose=0), np.float32([[-1.0, 0.7, 1.0]]))


def test_keras_names_for_op_nodes():
    """Keras names an op node after its class: `x[0]` -> "get_item", `abs` -> "absolute"."""
    x = keras.Input((3,))
    assert _layer(x[:, 0]).name.startswith("get_item")
    assert _layer(ops.abs(x)).name.startswith("absolute")
    assert _layer(ops.swish(x)).name.startswith("silu")
    assert _layer(ops.fft2((x, x))[0]).name.startswith("fft2")


def test_keras_form_layer_and_keras_only_arguments():
    """A layer rebuilt from a Keras config takes the call arguments only; a Keras-only
    constructor argument at Keras's default is accepted (`OneHot(sparse=False)`), another value
    is refused naming it."""
    resize = OpLayer("image.resize", kwargs={"size": [2, 2]}, keras_call=True)
    assert resize(np.ones((1, 4, 4, 1), "float32")).shape == (1, 2, 2, 1)
    one_hot = OpLayer("one_hot", kwargs={"num_classes": 3, "sparse": False}, keras_call=True)
    np.testing.assert_array_equal(one_hot(np.array([2])), [[0.0, 0.0, 1.0]])
    sparse = OpLayer("one_hot", kwargs={"num_classes": 3, "sparse": True}, keras_call=True)
    with pytest.raises(ValueError, match="one_hot.*sparse=False"):
        sparse(np.array([2]))


def test_function_form_layer():
    """`OpLayer(name)` called directly takes the function's arguments, as before."""
    out = OpLayer("mean")(np.arange(6, dtype="float32").reshape(2, 3), 1)
    np.testing.assert_array_equal(np.asarray(out), [1.0, 4.0])
