"""Tests for minikeras/quantizers/quantization_config.py and the package's get/serialize/
deserialize: the configs Keras 3.15.1 writes into a quantized layer's config (read from the
Keras-written fixtures in tests/quantization/fixtures) load, and serialize back to the same dicts.
"""

import json
import os
import zipfile

import pytest

import minikeras as keras
from minikeras import quantizers as Q

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "quantization", "fixtures")


def _layer_config(stem, layer_name):
    with zipfile.ZipFile(os.path.join(FIXTURES, stem + ".keras")) as z:
        config = json.loads(z.read("config.json"))
    (layer,) = [la for la in config["config"]["layers"] if la["config"]["name"] == layer_name]
    return layer["config"]


@pytest.mark.parametrize(
    "stem, cls, mode",
    [
        ("dense_int8", Q.Int8QuantizationConfig, "int8"),
        ("dense_int4", Q.Int4QuantizationConfig, "int4"),
        ("dense_int4_per_channel", Q.Int4QuantizationConfig, "int4"),
        ("dense_float8", Q.Float8QuantizationConfig, "float8"),
    ],
)
def test_keras_written_quantization_configs_round_trip(stem, cls, mode):
    """The `quantization_config` of a Dense quantized and saved by Keras 3.15.1 loads as the
    right class and serializes back to the dict Keras wrote (JSON lists read as tuples aside)."""
    written = _layer_config(stem, "dense_a")["quantization_config"]
    config = Q.deserialize(written)
    assert type(config) is cls and config.mode == mode
    again = json.loads(json.dumps(Q.serialize(config)))
    assert again == written


def test_keras_written_dtype_policies_load():
    """The layer `dtype` dicts of the Keras fixtures load as Keras's policy classes."""
    cases = {
        "dense_int8": '<QuantizedDTypePolicy "int8_from_float32">',
        "dense_int4": '<Int4DTypePolicy "int4/128_from_float32">',
        "dense_int4_per_channel": '<Int4DTypePolicy "int4/-1_from_float32">',
        "dense_float8": '<QuantizedFloat8DTypePolicy "float8_from_float32">',
        "dense_mixed_bfloat16": '<DTypePolicy "mixed_bfloat16">',
    }
    for stem, expected in cases.items():
        written = _layer_config(stem, "dense_a")["dtype"]
        policy = keras.dtype_policies.deserialize(written)
        assert repr(policy) == expected
        assert keras.dtype_policies.serialize(policy) == written


def test_defaults_and_validation():
    """Keras 3.15.1: int8 quantizes inputs with AbsMaxQuantizer by default, int4 is weight-only
    with blocks of 128; invalid combinations raise its errors."""
    int8 = Q.Int8QuantizationConfig()
    assert isinstance(int8.activation_quantizer, Q.AbsMaxQuantizer)
    assert Q.Int8QuantizationConfig(activation_quantizer=None).activation_quantizer is None
    int4 = Q.Int4QuantizationConfig()
    assert (int4.activation_quantizer, int4.block_size) == (None, 128)
    with pytest.raises(ValueError, match="block_size must be None, -1, or a positive integer"):
        Q.Int4QuantizationConfig(block_size=0)
    with pytest.raises(ValueError, match="does not support custom quantizers"):
        Q.Int4QuantizationConfig(weight_quantizer=Q.AbsMaxQuantizer(value_range=(-8, 7)))
    with pytest.raises(ValueError, match=r"value_range=\(-8, 7\)"):
        Q.Int4QuantizationConfig(weight_quantizer=Q.AbsMaxQuantizer(), block_size=-1)
    with pytest.raises(ValueError, match="output_dtype='int8'"):
        Q.Int8QuantizationConfig(weight_quantizer=Q.AbsMaxQuantizer(output_dtype="int16"))
    with pytest.raises(ValueError, match=r"requires value_range to be within the interval"):
        Q.AbsMaxQuantizer(value_range=(-200, 127))
    resolve = Q.validate_and_resolve_config
    assert type(resolve("int8", None)) is Q.Int8QuantizationConfig
    assert type(resolve(None, "int4")) is Q.Int4QuantizationConfig
    with pytest.raises(ValueError, match="Contradictory arguments: mode='int8'"):
        resolve("int8", Q.Int4QuantizationConfig())


def test_get():
    """get: None -> None, a snake-case or class name -> a new instance, an instance as is."""
    assert Q.get(None) is None
    assert type(Q.get("abs_max_quantizer")) is Q.AbsMaxQuantizer
    assert Q.get("AbsMaxQuantizer", value_range=(-8, 7)).value_range == (-8, 7)
    q = Q.AbsMaxQuantizer()
    assert Q.get(q) is q
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier: nope"):
        Q.get("nope")
    assert keras.quantizers is Q
