"""Tests for minikeras/dtype_policies/dtype_policy_map.py against Keras 3.15.1's DTypePolicyMap
(lookups, errors and the serialized dicts printed by Keras 3.15.1, torch backend)."""

import pytest

import minikeras as keras
from minikeras import dtype_policies as dp


def test_lookup_exact_regex_and_default():
    """An exact key first, then one `re.fullmatch`ing pattern, else the default policy; a path
    matching two patterns is a ValueError naming both (Keras 3.15.1)."""
    m = dp.DTypePolicyMap("float32")
    m["a"] = "float16"
    m["b/.*"] = "bfloat16"
    m["b/c.*"] = "float16"
    assert m["a"].name == "float16"
    assert m["b/x"].name == "bfloat16"
    assert m["a/child"].name == "float32"  # no prefix matching
    with pytest.raises(
        ValueError, match=r"Path 'b/cd' matches multiple dtype policy .*'b/\.\*', 'b/c\.\*'"
    ):
        m["b/cd"]
    assert (len(m), list(m), "a" in m, m.compute_dtype, m.quantization_mode) == (
        3,
        ["a", "b/.*", "b/c.*"],
        True,
        "float32",
        None,
    )
    assert m.name == "map_float32"
    del m["a"]
    assert list(m) == ["b/.*", "b/c.*"]


def test_errors():
    """Keras 3.15.1's errors: duplicate keys, a non-dict policy_map, a map as default."""
    m = dp.DTypePolicyMap("float32")
    m["a"] = "float16"
    with pytest.raises(ValueError, match="a already exist in the DTypePolicyMap"):
        m["a"] = "float16"
    with pytest.raises(ValueError, match="Cannot interpret the assigned value"):
        m["b"] = 1.5
    with pytest.raises(TypeError, match="`policy_map` must be a dict"):
        dp.DTypePolicyMap(policy_map=[1])
    with pytest.raises(ValueError, match="cannot be a `DTypePolicyMap`"):
        dp.DTypePolicyMap(m)


def test_serialize_without_default_as_keras():
    """With no default policy Keras 3.15.1 writes the entries' names / sources as None, so that
    they follow the global policy where the map is loaded."""
    m = dp.DTypePolicyMap()
    m["a/b"] = "int8_from_float32"
    m["c"] = "bfloat16"
    assert dp.serialize(m) == {
        "module": "keras.dtype_policies",
        "class_name": "DTypePolicyMap",
        "config": {
            "default_policy": None,
            "policy_map": {
                "a/b": {
                    "module": "keras.dtype_policies",
                    "class_name": "QuantizedDTypePolicy",
                    "config": {"mode": "int8", "source_name": None},
                    "registered_name": None,
                },
                "c": {
                    "module": "keras",
                    "class_name": "DTypePolicy",
                    "config": {"name": None},
                    "registered_name": None,
                },
            },
        },
        "registered_name": None,
    }
    assert m["c"].name == "bfloat16"  # the map's own policies keep their names
    try:
        keras.config.set_dtype_policy("mixed_bfloat16")
        loaded = dp.deserialize(dp.serialize(m))
        assert loaded["a/b"].name == "int8_from_mixed_bfloat16"
        assert loaded["c"].name == "mixed_bfloat16"
    finally:
        keras.config.set_dtype_policy("float32")


def test_round_trip_with_default():
    """Keras 3.15.1: a map with default 'float16' keeps its entries' sources and loads back with
    the same name, keys and lookups."""
    m = dp.DTypePolicyMap("float16")
    m["a/.*"] = "int8_from_float32"
    config = dp.serialize(m)
    assert config["config"]["default_policy"] == "float16"
    assert config["config"]["policy_map"]["a/.*"]["config"]["source_name"] == "float32"
    loaded = dp.get(config)
    assert type(loaded) is dp.DTypePolicyMap and loaded.name == "map_float16"
    assert repr(loaded["a/x"]) == '<QuantizedDTypePolicy "int8_from_float32">'
    assert repr(loaded["q"]) == '<DTypePolicy "float16">'
    assert repr(loaded).startswith("<DTypePolicyMap at 0x")
