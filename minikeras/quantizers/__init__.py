"""`keras.quantizers`: quantizers, quantization configs and Keras 3's quantization helpers.

>>> import minikeras as keras
>>> keras.quantizers.get("abs_max_quantizer")
<minikeras.quantizers.quantizers.AbsMaxQuantizer object at ...>
>>> keras.quantizers.serialize(keras.quantizers.AbsMaxQuantizer())["config"]
{'value_range': (-127, 127), 'epsilon': 1e-07, 'output_dtype': 'int8'}
"""

import inspect

from ..utils.naming import to_snake_case
from .int4_packing import pack_int4, unpack_int4
from .quantization_config import (
    Float8QuantizationConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
    validate_and_resolve_config as validate_and_resolve_config,
)
from .quantizers import (
    AbsMaxQuantizer,
    Quantizer,
    abs_max_quantize,
    abs_max_quantize_grouped_with_zero_point,
    compute_float8_amax_history,
    compute_float8_scale,
    fake_quant_with_min_max_vars,
    quantize_and_dequantize,
)

ALL_OBJECTS = (
    Quantizer,
    AbsMaxQuantizer,
    QuantizationConfig,
    Int8QuantizationConfig,
    Int4QuantizationConfig,
    Float8QuantizationConfig,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})

# registered-object lookups, handed over by the package's __init__ (this floor cannot import
# the serialization registry): (name, custom_objects) -> object, obj -> registered name
_registry = {"lookup": None, "name_of": None}


def set_registry(lookup, name_of):
    """Lets `deserialize` find quantizers registered with `register_keras_serializable`."""
    _registry["lookup"], _registry["name_of"] = lookup, name_of


def serialize(quantizer):
    """Returns the Keras 3 config dict of a quantizer or quantization config (None -> None).

    Args:
        quantizer: a `Quantizer` or `QuantizationConfig` (or a subclass instance).

    Returns:
        `{"module", "class_name", "config", "registered_name"}`, module `"keras.quantizers"`
        for minikeras's own classes.
    """
    if quantizer is None:
        return None
    cls = type(quantizer)
    if ALL_OBJECTS_DICT.get(cls.__name__) is cls:
        module, registered = "keras.quantizers", None
    else:
        name_of = _registry["name_of"]
        module, registered = cls.__module__, name_of(cls) if name_of else cls.__name__
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": quantizer.get_config(),
        "registered_name": registered,
    }


def deserialize(config, custom_objects=None):
    """Builds a quantizer or quantization config from its config dict.

    Args:
        config: a dict with `class_name` and `config`.
        custom_objects: optional dict of extra classes, looked up first.

    Returns:
        The object.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Expected a quantizer config dict with a 'class_name' key. Received: config={config!r}"
        )
    cls = None
    for name in (config.get("registered_name"), config["class_name"]):
        if not name:
            continue
        cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
        if cls is None and _registry["lookup"] is not None:
            cls = _registry["lookup"](name, custom_objects)
        if cls is not None:
            break
    if cls is None:
        raise ValueError(
            f"Unknown quantizer: {config['class_name']!r}. Valid names: "
            f"{', '.join(sorted(k for k in ALL_OBJECTS_DICT if k[0].isupper()))}. Custom "
            "quantizers must be registered with `keras.saving.register_keras_serializable()` or "
            "passed in `custom_objects`."
        )
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier, **kwargs):
    """Returns a quantizer from a name, config dict, class or instance (None gives None).

    A class (or a name, which resolves to one) is instantiated with `**kwargs`.

    Raises:
        ValueError: when `identifier` names no quantizer.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = [
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]
