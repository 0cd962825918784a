"""Quantized Dense / EinsumDense / Embedding (layers/core_layers/quantized*.py) against Keras
3.15.1: the models it quantized and saved (tests/quantization/fixtures, made by
make_keras_fixtures.py) load and predict its numbers (int8 Dense/EinsumDense bit for bit; int4
and Embedding within 1e-6 relative: Keras divides in another order), quantize() gives Keras's
variables, policies, configs and file layout (layout.json), and training follows Keras."""

import json
import pathlib
import warnings

import h5py
import numpy as np
import pytest

import minikeras as keras

F = pathlib.Path(__file__).parents[2] / "quantization" / "fixtures"
LAYOUT = json.loads((F / "layout.json").read_text())
MODES = ["int8", "int4", "int4_per_channel", "float8"]
EXACT = {("dense", "int8"), ("einsum", "int8"), ("conv", "int8")}


def _fixture_model(stem):
    """The float model make_keras_fixtures.py builds, with minikeras layer names."""
    layers = keras.layers
    if stem == "dense":
        x = keras.Input((16,))
        y = layers.Dense(10, name="dense_b")(layers.Dense(32, "relu", name="dense_a")(x))
    elif stem == "einsum":
        x = keras.Input((5, 8))
        h = layers.EinsumDense("abc,cd->abd", (5, 12), bias_axes="d", name="einsum")(x)
        y = layers.Dense(4, name="head")(layers.Flatten()(h))
    elif stem == "embedding":
        x = keras.Input((6,), dtype="int32")
        h = layers.GlobalAveragePooling1D()(layers.Embedding(50, 8, name="embed")(x))
        y = layers.Dense(4, name="head")(h)
    else:
        x = keras.Input((8, 8, 3))
        h = layers.Flatten()(layers.Conv2D(4, 3, activation="relu", name="conv")(x))
        y = layers.Dense(5, name="head")(h)
    return keras.Model(x, y)


def _config(mode):
    if mode == "int4_per_channel":
        return "int4", keras.quantizers.Int4QuantizationConfig(block_size=-1)
    return mode, None


@pytest.mark.parametrize("stem", ["dense", "einsum", "embedding", "conv"])
@pytest.mark.parametrize("mode", MODES)
def test_keras_quantized_files_load_and_predict_the_same(stem, mode):
    data = np.load(F / f"{stem}.npz")
    expected = data[f"y_{mode}"]
    model = keras.saving.load_model(F / f"{stem}_{mode}.keras")
    got = model.predict(data["x"], verbose=0)
    if (stem, mode) in EXACT:
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6 * np.abs(expected).max())
    # the same weights through .weights.h5 into a model quantized by minikeras
    other = _fixture_model(stem)
    m, config = _config(mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # conv / flatten / float8 embedding are skipped
        other.quantize(m, config=config)
    other.load_weights(F / f"{stem}_{mode}.weights.h5")
    got = other.predict(data["x"], verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize("stem", ["dense", "einsum", "embedding", "conv"])
@pytest.mark.parametrize("mode", MODES)
def test_quantize_writes_keras_layout(stem, mode, tmp_path):
    """Dataset paths, shapes and dtypes of the .weights.h5 equal those Keras wrote
    (layout.json), and each layer's dtype policy and quantization_config entry too."""
    model = _fixture_model(stem)
    m, config = _config(mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize(m, config=config)
    path = tmp_path / "q.weights.h5"
    model.save_weights(path)
    found = []
    with h5py.File(path) as f:
        f.visititems(
            lambda n, o: (
                found.append([n, list(o.shape), str(o.dtype)])
                if isinstance(o, h5py.Dataset)
                else None
            )
        )
    assert sorted(found) == sorted(LAYOUT["weights"][f"{stem}_{mode}"])
    keras_policies = LAYOUT["dtype"][f"{stem}_{mode}"]
    for layer in model.layers[1:]:
        match = [v for k, v in keras_policies.items() if k.split("_")[0] == layer.name[:4]]
        if match and layer.name != "flatten":
            assert keras.dtype_policies.serialize(layer.dtype_policy) == match[0]


def test_dense_int8_quantize_values_and_float64_reference():
    """Keras's int8 scheme: kernel_scale = 127 / (max|w| over inputs + 1e-7), q = round(w *
    scale); the output is within the quantization error of the float64 product."""
    rng = np.random.default_rng(0)
    layer = keras.layers.Dense(7)
    x = rng.standard_normal((9, 20)).astype("float32")
    layer.build((None, 20))
    w = layer.kernel.numpy().astype(np.float64)
    layer.quantize("int8")
    assert layer.dtype_policy.name == "int8_from_float32"
    assert layer.get_config()["quantization_config"]["class_name"] == "Int8QuantizationConfig"
    scale = 127 / (np.abs(w).max(axis=0) + 1e-7)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), scale, rtol=1e-6)
    np.testing.assert_array_equal(layer._kernel.numpy(), np.round(w * scale).astype(np.int8))
    y = layer(x).numpy()
    exact = x.astype(np.float64) @ w
    # |error| <= half a step of the inputs and of the kernel, summed over the 20 terms
    bound = 20 * (np.abs(x).max() / 127 * np.abs(w).max() + np.abs(w).max() / 127 * 3)
    assert np.abs(y - exact).max() < bound
    assert np.abs(y - exact).max() / np.abs(exact).max() < 0.02


def test_quantized_dtype_policy_builds_quantized_layer_and_accepts_config():
    layer = keras.layers.Dense(
        4, dtype="int8_from_float32", quantization_config=keras.quantizers.Int8QuantizationConfig()
    )
    layer.build((None, 3))
    assert [(v.name, v.dtype.name) for v in layer.weights][-2:] == [
        ("kernel", "int8"),
        ("kernel_scale", "float32"),
    ]
    clone = keras.layers.Dense.from_config(layer.get_config())
    assert clone.dtype_policy.name == "int8_from_float32"
    assert isinstance(clone.quantization_config, keras.quantizers.Int8QuantizationConfig)


def test_quantize_errors_as_keras():
    layer = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.quantize("int8")
    layer.build((None, 2))
    layer.quantize("int8")
    with pytest.raises(ValueError, match="already quantized"):
        layer.quantize("int8")

    class MyDense(keras.layers.Dense):
        pass

    sub = MyDense(2)
    sub.build((None, 2))
    with pytest.raises(NotImplementedError, match="`quantize` method"):
        sub.quantize("int8")
    emb = keras.layers.Embedding(5, 3)
    emb.build(None)
    with pytest.raises(NotImplementedError, match=r"Expected one of \('int8', 'int4'\)"):
        emb.quantize("float8")


def test_model_quantize_warns_for_layers_it_skips():
    model = _fixture_model("conv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.quantize("int8")
    assert [str(w.message) for w in caught] == [
        f"Layer {c} does not have a `quantize` method implemented."
        for c in ("InputLayer", "Conv2D", "Flatten")
    ]
    assert model.get_layer("conv").dtype_policy.name == "float32"
    assert model.get_layer("head").dtype_policy.name == "int8_from_float32"


@pytest.mark.parametrize("cls", ["dense", "einsum", "embedding"])
def test_training_after_int8_quantization(cls):
    """Keras: the int8 weights are frozen, gradients reach the inputs through the dequantized
    kernel (float64 reference), and enable_lora trains the factors."""
    rng = np.random.default_rng(1)
    if cls == "dense":
        layer, x = keras.layers.Dense(6), rng.standard_normal((4, 5)).astype("float32")
    elif cls == "einsum":
        layer = keras.layers.EinsumDense("abc,cd->abd", (3, 6), bias_axes="d")
        x = rng.standard_normal((4, 3, 5)).astype("float32")
    else:
        layer, x = keras.layers.Embedding(10, 6), rng.integers(0, 10, (4, 3))
    layer.build(x.shape)
    layer.quantize("int8")
    assert all(v.dtype.name != "int8" for v in layer.trainable_weights)
    if cls != "embedding":
        xv = keras.Variable(x)
        with keras.GradientTape() as tape:
            loss = keras.ops.sum(layer(xv) * np.arange(6, dtype="float32"))
        dx = tape.gradient(loss, xv).numpy()
        w = layer._dequantized().astype(np.float64)
        eq = "...o,io->...i" if cls == "dense" else "abd,cd->abc"
        dout = np.broadcast_to(np.arange(6.0), layer(x).shape)
        np.testing.assert_allclose(dx, np.einsum(eq, dout, w), rtol=1e-5, atol=1e-5)
    layer.enable_lora(2)
    assert [v.name for v in layer.trainable_weights][-2:] == [
        f"lora_{layer._lora_weight}_a",
        f"lora_{layer._lora_weight}_b",
    ]
    model = keras.Sequential([layer])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = layer.get_weights()
    target = np.ones(layer(x).shape, "float32")
    model.fit(x, target, epochs=2, verbose=0)
    after = layer.get_weights()
    for v, a, b in zip(layer.weights, before, after):
        if v.dtype.name == "int8" or "scale" in v.name:
            np.testing.assert_array_equal(a, b)  # frozen
    assert not np.array_equal(before[-1], after[-1])  # lora B moved
