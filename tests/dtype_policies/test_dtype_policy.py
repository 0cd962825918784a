"""Tests for minikeras/dtype_policies/dtype_policy.py and the package's get/serialize/deserialize.

Expected names, dtypes, reprs, configs and error messages are those printed by Keras 3.15.1
(torch backend) for the same calls.
"""

import numpy as np
import pytest

import minikeras as keras
from minikeras import dtype_policies as dp


@pytest.fixture(autouse=True)
def _restore_global_policy():
    yield
    keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize(
    "name, compute, variable",
    [
        ("float32", "float32", "float32"),
        ("float64", "float64", "float64"),
        ("float16", "float16", "float16"),
        ("bfloat16", "bfloat16", "bfloat16"),
        ("mixed_float16", "float16", "float32"),
        ("mixed_bfloat16", "bfloat16", "float32"),
        ("int32", "int32", "int32"),
    ],
)
def test_policy_dtypes(name, compute, variable):
    """Keras 3.15.1: compute/variable dtypes of each policy name; repr `<DTypePolicy "name">`."""
    policy = dp.get(name)
    assert type(policy) is dp.DTypePolicy
    assert (policy.compute_dtype, policy.variable_dtype) == (compute, variable)
    assert policy.quantization_mode is None
    assert repr(policy) == f'<DTypePolicy "{name}">'


def test_quantized_policies_from_names():
    """Keras 3.15.1's classes, names, dtypes and configs for quantized policy names."""
    p = dp.get("int8_from_mixed_bfloat16")
    assert (
        type(p) is dp.QuantizedDTypePolicy
        and repr(p) == '<QuantizedDTypePolicy "int8_from_mixed_bfloat16">'
    )
    assert (p.compute_dtype, p.variable_dtype, p.quantization_mode) == (
        "bfloat16",
        "float32",
        "int8",
    )
    assert repr(dp.get("int4_from_float32")) == '<QuantizedDTypePolicy "int4_from_float32">'
    p = dp.get("int4/-1_from_float32")
    assert repr(p) == '<Int4DTypePolicy "int4/-1_from_float32">' and p.block_size == -1
    assert p.quantization_mode == "int4"
    assert dp.get("int4/None_from_float32").name == "int4/-1_from_float32"  # older checkpoints
    assert repr(dp.get("gptq/4/128_from_float32")) == '<GPTQDTypePolicy "gptq/4/128_from_float32">'
    assert repr(dp.get("awq/4/-1_from_float32")) == '<AWQDTypePolicy "awq/4/-1_from_float32">'
    f8 = dp.QuantizedFloat8DTypePolicy("float8", "float32", 16)
    assert f8.get_config() == {
        "mode": "float8",
        "source_name": "float32",
        "amax_history_length": 16,
    }
    assert dp.get("float8_from_float32").amax_history_length == 1024


def test_serialize_matches_keras():
    """The dicts keras.dtype_policies.serialize returns in Keras 3.15.1 (module "keras" for the
    top-level DTypePolicy/FloatDTypePolicy, "keras.dtype_policies" for the others)."""
    assert dp.serialize(dp.DTypePolicy("mixed_float16")) == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert dp.serialize(dp.FloatDTypePolicy("float16"))["class_name"] == "FloatDTypePolicy"
    assert dp.serialize(dp.get("int8_from_mixed_bfloat16")) == {
        "module": "keras.dtype_policies",
        "class_name": "QuantizedDTypePolicy",
        "config": {"mode": "int8", "source_name": "mixed_bfloat16"},
        "registered_name": None,
    }
    assert dp.serialize(dp.get("float8_from_float32"))["config"] == {
        "mode": "float8",
        "source_name": "float32",
        "amax_history_length": 1024,
    }
    assert dp.serialize(dp.get("int4/64_from_float32"))["config"] == {
        "mode": "int4/64",
        "source_name": "float32",
    }


@pytest.mark.parametrize(
    "name",
    [
        "mixed_float16",
        "int8_from_float32",
        "int4/128_from_float32",
        "float8_from_float32",
        "gptq/4/128_from_float32",
        "awq/4/-1_from_float32",
        "float64",
    ],
)
def test_round_trip(name):
    """serialize -> deserialize gives an equal policy (Keras's __eq__: same class and name)."""
    policy = dp.get(name)
    assert dp.deserialize(dp.serialize(policy)) == policy
    assert dp.get(dp.serialize(policy)) == policy


def test_equality_as_keras():
    """Keras 3.15.1: DTypePolicy == FloatDTypePolicy of one name; never equal to a string or to
    a quantized policy; policies are unhashable (Keras defines __eq__ only)."""
    assert dp.DTypePolicy("float32") == dp.FloatDTypePolicy("float32")
    assert dp.DTypePolicy("float32") != "float32"
    assert dp.get("int8_from_float32") != dp.DTypePolicy("float32")
    assert dp.get("int4/64_from_float32") != dp.get("int4/128_from_float32")
    with pytest.raises(TypeError):
        hash(dp.DTypePolicy("float32"))


def test_get_other_identifiers():
    """None is the global policy; a numpy dtype or a Keras 2 {'class_name','config'} dict works."""
    assert dp.get(None) is keras.config.dtype_policy()
    assert dp.get(np.float16) == dp.DTypePolicy("float16")
    assert dp.get({"class_name": "DTypePolicy", "config": {"name": "bfloat16"}}).name == "bfloat16"
    policy = dp.DTypePolicy("float64")
    assert dp.get(policy) is policy


@pytest.mark.parametrize(
    "identifier, error, message",
    [
        ("foo", ValueError, "Cannot convert 'foo' to a mixed precision DTypePolicy"),
        ("mixed_foo", ValueError, "Cannot convert 'mixed_foo'"),
        ("int8_from_float16", ValueError, "doesn't work well with compute_dtype='float16'"),
        ("int3_from_float32", ValueError, "Cannot convert 'int3_from_float32'"),
        ("int8", ValueError, "Cannot convert `policy` into a valid pair"),
        (1.5, ValueError, "Cannot interpret `dtype` argument"),
        ("int4/0_from_float32", ValueError, "Invalid block_size in mode"),
        ("gptq/5/1_from_float32", ValueError, "Invalid weight_bits in mode"),
        ("awq/8/1_from_float32", ValueError, "Invalid weight_bits in mode"),
    ],
)
def test_get_errors(identifier, error, message):
    """The errors (types and message starts) Keras 3.15.1 raises for these identifiers."""
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        dp.get(identifier)


def test_constructor_errors():
    """Keras 3.15.1: a non-string name is a TypeError; an unknown mode lists the valid ones."""
    with pytest.raises(TypeError, match="'name' must be a string"):
        dp.DTypePolicy(3)
    with pytest.raises(
        ValueError, match=r"Expected one of \('int8', 'float8', 'int4', 'gptq', 'awq'\)"
    ):
        dp.QuantizedDTypePolicy("int2", "float32")
    with pytest.raises(TypeError, match="amax_history_length"):
        dp.QuantizedFloat8DTypePolicy("float8", "float32", 2.5)


def test_global_policy():
    """keras.config.set_dtype_policy / keras.mixed_precision.set_global_policy set the policy that
    DTypePolicy() and QuantizedDTypePolicy(mode) default to (Keras 3.15.1 prints
    'mixed_float16' and 'float8_from_mixed_float16')."""
    assert keras.config.dtype_policy() == dp.DTypePolicy("float32")
    keras.mixed_precision.set_global_policy("mixed_float16")
    assert repr(keras.mixed_precision.global_policy()) == '<DTypePolicy "mixed_float16">'
    assert keras.config.dtype_policy() is keras.mixed_precision.dtype_policy()
    assert dp.DTypePolicy().name == "mixed_float16"
    assert dp.QuantizedDTypePolicy("float8").name == "float8_from_mixed_float16"
    keras.config.set_dtype_policy("int8_from_float32")
    assert repr(keras.config.dtype_policy()) == '<QuantizedDTypePolicy "int8_from_float32">'
    with pytest.raises(ValueError, match="Invalid `policy` argument"):
        keras.config.set_dtype_policy(3)


def test_mixed_precision_names():
    """keras.mixed_precision exposes Keras 3's legacy aliases."""
    mp = keras.mixed_precision
    assert mp.Policy is mp.DTypePolicy is keras.DTypePolicy
    assert mp.set_global_policy is mp.set_dtype_policy is keras.config.set_dtype_policy
    assert mp.LossScaleOptimizer is keras.optimizers.LossScaleOptimizer


def test_convert_input():
    """Keras 3.15.1 (mixed_float16, autocast): float32 arrays become float16 tensors, int32
    stays int32, float64 stays float64 without autocast, lists pass through unchanged."""
    p = dp.DTypePolicy("mixed_float16")
    x = p.convert_input(np.ones(2, "float32"), True, p.compute_dtype)
    assert isinstance(x, keras.Tensor) and x.dtype == np.float16
    assert p.convert_input(np.ones(2, "int32"), True, p.compute_dtype).dtype == np.int32
    assert p.convert_input(np.ones(2, "float64"), False, p.compute_dtype).dtype == np.float64
    assert p.convert_input([1.0, 2.0], True, p.compute_dtype) == [1.0, 2.0]
    t = keras.ops.convert_to_tensor(np.ones(3, "float32"))
    assert p.convert_input(t, True, "float16").dtype == np.float16


def test_registered_custom_policy_round_trips():
    """A policy subclass registered with register_keras_serializable saves under its registered
    name and loads back without custom_objects (Keras's serialization_lib behaviour)."""

    @keras.saving.register_keras_serializable(package="dtype_policy_test")
    class HalfPolicy(dp.DTypePolicy):
        pass

    config = dp.serialize(HalfPolicy("float16"))
    assert config["registered_name"] == "dtype_policy_test>HalfPolicy"
    restored = dp.deserialize(config)
    assert type(restored) is HalfPolicy and restored.name == "float16"
    with pytest.raises(ValueError, match="Unknown dtype policy: 'Nope'"):
        dp.deserialize({"class_name": "Nope", "config": {}})
