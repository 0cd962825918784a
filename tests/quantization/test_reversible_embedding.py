"""`ReversibleEmbedding.quantize` against models quantized and saved by Keras 3.15.1
(`make_reversible_fixtures.py`): loading Keras's files, predicting Keras's numbers, writing the
same weights layout, and the quantized reverse call against a float64 numpy reference."""

import json
import os

import h5py
import numpy as np
import pytest

import minikeras as keras
from reversible_models import build

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "reversible")
MODES = ("int8", "int4", "int4_per_channel")
with open(os.path.join(HERE, "layout.json")) as f:
    LAYOUT = json.load(f)["files"]


def _model(tie):
    return build(keras, tie)


def _quantize(model, mode):
    if mode == "int4_per_channel":
        model.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=-1))
    else:
        model.quantize(mode)


def _datasets(path):
    out = []
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                out.append([name, list(obj.shape), str(obj.dtype)])
                if isinstance(obj, h5py.Dataset)
                else None
            )
        )
    return out


@pytest.mark.parametrize("tag", ["tied", "untied"])
@pytest.mark.parametrize("mode", MODES)
def test_keras_quantized_files_load_and_predict_the_same(tag, mode):
    data = np.load(os.path.join(HERE, f"{tag}.npz"))
    model = keras.saving.load_model(os.path.join(HERE, f"{tag}_{mode}.keras"))
    emb = model.get_layer("embed")
    assert emb.quantization_mode == ("int8" if mode == "int8" else "int4")
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data[f"y_{mode}"], atol=2e-5)
    # the weights file into a model quantized here
    fresh = _model(tag == "tied")
    _quantize(fresh, mode)
    fresh.load_weights(os.path.join(HERE, f"{tag}_{mode}.weights.h5"))
    np.testing.assert_allclose(fresh.predict(data["x"], verbose=0), data[f"y_{mode}"], atol=2e-5)


@pytest.mark.parametrize("tag", ["tied", "untied"])
@pytest.mark.parametrize("mode", MODES)
def test_weights_file_layout_is_keras(tag, mode, tmp_path):
    model = _model(tag == "tied")
    _quantize(model, mode)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    assert _datasets(path) == LAYOUT[f"{tag}_{mode}.weights.h5"]


@pytest.mark.parametrize("tag", ["tied", "untied"])
@pytest.mark.parametrize("mode", MODES)
def test_quantizing_keras_float_weights_gives_keras_numbers(tag, mode, tmp_path):
    # the float model's weights taken from Keras's file: quantizing them here must land on the
    # same int weights and outputs as Keras's own quantize
    data = np.load(os.path.join(HERE, f"{tag}.npz"))
    keras_model = keras.saving.load_model(os.path.join(HERE, f"{tag}_{mode}.keras"))
    model = _model(tag == "tied")
    emb = keras_model.get_layer("embed")
    model.set_weights(_float_weights(keras_model, emb, tag, mode))
    _quantize(model, mode)
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data[f"y_{mode}"], atol=2e-5)


def _float_weights(keras_model, emb, tag, mode):
    """Float weights that quantize back to exactly the stored integers: the dequantized ones."""
    table = emb._dequantized()
    mix = keras_model.get_layer("mix")
    out = [table.astype(np.float32)]
    if tag == "untied":
        if emb.quantization_mode == "int8":
            q, s = emb._reverse_int8()
            out.append((q / s).astype(np.float32))
        else:
            from minikeras.layers.core_layers.quantized import grouped_dequantize

            q, s, z = emb._reverse_int4()
            r = q / s if z is None else grouped_dequantize(q, s, z, emb.g_idx.numpy(), 0)
            out.append(np.asarray(r, np.float32))
    out += [np.asarray(mix._dequantized(), np.float32), mix.bias.numpy()]
    return out


@pytest.mark.parametrize("tie", [True, False])
def test_int8_reverse_call_against_float64_reference(tie):
    rng = np.random.default_rng(3)
    layer = keras.layers.ReversibleEmbedding(30, 8, tie_weights=tie, logit_soft_cap=5.0)
    layer.build()
    layer.quantize("int8")
    h = rng.normal(size=(2, 4, 8)).astype(np.float32)
    if tie:
        q = layer._embeddings.numpy().T.astype(np.float64)
        s = layer.embeddings_scale.numpy().astype(np.float64)
    else:
        q = layer.reverse_embeddings.numpy().astype(np.float64)
        s = layer.reverse_embeddings_scale.numpy().astype(np.float64)
    # Keras: inputs quantized per row by abs-max to [-127, 127], integer product, both scales
    in_scale = 127.0 / np.maximum(np.abs(h).max(-1, keepdims=True), 1e-7)
    qh = np.clip(np.round(h.astype(np.float64) * in_scale), -127, 127)
    expected = 5.0 * np.tanh((qh @ q) / (in_scale * s) / 5.0)
    np.testing.assert_allclose(layer(h, reverse=True).numpy(), expected, rtol=1e-5, atol=1e-5)
    assert q.min() >= -127 and q.max() <= 127


def test_float8_is_refused_as_keras():
    layer = keras.layers.ReversibleEmbedding(10, 4)
    layer.build()
    with pytest.raises(NotImplementedError, match="quantization mode"):
        layer.quantize("float8")
