"""`keras.dtype_policies`: the dtype policies of layers (mixed precision, quantized layers).

>>> import minikeras as keras
>>> keras.dtype_policies.get("mixed_float16")
<DTypePolicy "mixed_float16">
>>> keras.dtype_policies.serialize(keras.dtype_policies.get("int8_from_float32"))["config"]
{'mode': 'int8', 'source_name': 'float32'}
"""

from ..core import dtypes as _dtypes
from .dtype_policy import (
    QUANTIZATION_MODES,
    AWQDTypePolicy,
    DTypePolicy,
    FloatDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    dtype_policy,
    quantized_policy_from_name,
    set_dtype_policy as set_dtype_policy,
)
from .dtype_policy_map import DTypePolicyMap

ALL_OBJECTS = (
    AWQDTypePolicy,
    DTypePolicy,
    FloatDTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    DTypePolicyMap,
    GPTQDTypePolicy,
    Int4DTypePolicy,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
# Keras 2 (tf-keras) saves a layer's policy as {"module": "keras.mixed_precision",
# "class_name": "Policy", ...}; Keras 3 exports the same class as keras.mixed_precision.Policy
ALL_OBJECTS_DICT["Policy"] = DTypePolicy
# Keras 3 exports these two as `keras.DTypePolicy` / `keras.FloatDTypePolicy`, so its configs
# name their module "keras"; the others live in "keras.dtype_policies"
_TOP_LEVEL = (DTypePolicy, FloatDTypePolicy)

# registered-object lookups, installed by the serialization floor's owner (the package's
# __init__), which this floor cannot import: (name, custom_objects) -> object, obj -> name
_registry = {"lookup": None, "name_of": None}


def set_registry(lookup, name_of):
    """Lets `deserialize` find policy classes registered with
    `keras.saving.register_keras_serializable` (set once by `minikeras/__init__.py`)."""
    _registry["lookup"], _registry["name_of"] = lookup, name_of


def serialize(dtype_policy):
    """Returns the Keras 3 config dict of a dtype policy.

    Args:
        dtype_policy: a `DTypePolicy` (or subclass) instance.

    Returns:
        `{"module", "class_name", "config", "registered_name"}`.

    >>> import minikeras as keras
    >>> keras.dtype_policies.serialize(keras.dtype_policies.DTypePolicy("bfloat16"))
    {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'bfloat16'}, \
'registered_name': None}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(
            "keras.dtype_policies.serialize expects a DTypePolicy. "
            f"Received: {dtype_policy!r} (of type {type(dtype_policy).__name__})"
        )
    cls = type(dtype_policy)
    builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
    if builtin:
        module = "keras" if cls in _TOP_LEVEL else "keras.dtype_policies"
        registered = None
    else:
        module = cls.__module__
        name_of = _registry["name_of"]
        registered = name_of(cls) if name_of else cls.__name__
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": dtype_policy.get_config(),
        "registered_name": registered,
    }


def deserialize(config, custom_objects=None):
    """Builds a dtype policy from its Keras 2 or 3 config dict.

    Args:
        config: a dict with `class_name` and `config` (`module` and `registered_name` are
            optional), or a policy name.
        custom_objects: optional dict of extra classes, looked up first.

    Returns:
        A `DTypePolicy` instance.

    >>> import minikeras as keras
    >>> keras.dtype_policies.deserialize(
    ...     {"class_name": "QuantizedDTypePolicy",
    ...      "config": {"mode": "int8", "source_name": "float32"}})
    <QuantizedDTypePolicy "int8_from_float32">
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Expected a dtype policy config dict with a 'class_name' key. "
            f"Received: config={config!r}"
        )
    names = [n for n in (config.get("registered_name"), config["class_name"]) if n]
    cls = None
    for name in names:
        cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
        if cls is None and _registry["lookup"] is not None:
            cls = _registry["lookup"](name, custom_objects)
        if cls is not None:
            break
    if cls is None:
        raise ValueError(
            f"Unknown dtype policy: {config['class_name']!r}. Valid names: "
            f"{', '.join(sorted(ALL_OBJECTS_DICT))}. Custom policies must be registered with "
            "`keras.saving.register_keras_serializable()` or passed in `custom_objects`."
        )
    inner = dict(config.get("config") or {})
    if cls is DTypePolicyMap:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def get(identifier):
    """Returns a dtype policy from a name, config dict, policy or dtype.

    Args:
        identifier: `None` (the global policy), a `DTypePolicy` (returned as is), a config
            dict, a policy name (`"mixed_float16"`, `"int8_from_float32"`, ...) or a dtype.

    Returns:
        A `DTypePolicy`.

    Raises:
        ValueError: for anything that names no policy.

    >>> import minikeras as keras
    >>> keras.dtype_policies.get("mixed_bfloat16").compute_dtype
    'bfloat16'
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(_dtypes.standardize_dtype(identifier))
    except Exception:
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier}"
        ) from None


__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]
