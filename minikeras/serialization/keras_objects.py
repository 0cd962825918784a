"""Objects <-> Keras config dicts, safe by construction.

`serialize_keras_object` writes the Keras 3 form `{"module", "class_name", "config",
"registered_name", ["build_config"]}`. `deserialize_keras_object` / `deserialize_layer` read
Keras 2 and 3 forms. Classes and functions are resolved by name through the closed registry
(`registry.py`); the `module` key of a file is never imported (it only breaks ties between
minikeras's own tables). Nothing is unpickled, unmarshalled or evaluated: a Lambda whose
function is stored as bytecode is refused unless the caller supplies the function.
"""

import inspect
import types

import numpy as np

from ..core.autodiff import no_grad
from ..core.tensor import Tensor
from ..core.variable import Variable
from . import config_checks, registry
from .config_checks import MAX_DEPTH, _bytecode_error, _is_bytecode_lambda, check_config, check_name
from .sharing import SHARED_ID, ObjectSharingScope, mark_shared, record_loaded, shared_object

__all__ = [
    "MAX_DEPTH",
    "SHARED_ID",
    "ObjectSharingScope",
    "check_config",
    "check_name",
    "deserialize_keras_object",
    "deserialize_layer",
    "deserialize_value",
    "load_layer",
    "lookup_function",
    "mark_shared",
    "record_loaded",
    "serialize_keras_object",
    "serialize_layer",
    "shared_object",
]
_SPECIAL = ("__tuple__", "__numpy__", "__slice__", "__bytes__", "__ellipsis__", "__tensor__")


# ---- serialization -------------------------------------------------------------------------------


def _public_module(cls):
    module = cls.__module__
    if not module.startswith("minikeras."):
        return module
    parts = module.split(".")
    if parts[1] == "models":
        return "keras.src.models.functional" if cls.__name__ == "Functional" else "keras"
    return "keras." + parts[1]


def _builtin_name(obj):
    """True when `obj` (a class or function) is minikeras's own, not a user's."""
    return getattr(obj, "__module__", "").startswith("minikeras.")


# Keras 3 writes a built-in class under the name it exports it as, where that differs from the
# class's own name: `keras.layers.GroupQueryAttention` is the class `GroupedQueryAttention`.
_EXPORTED_AS = {"GroupedQueryAttention": "GroupQueryAttention"}


def serialize_layer(layer):
    """`{"module", "class_name", "config", "registered_name", ["build_config"]}` of a layer."""
    cls = type(layer)
    class_name = cls.__name__
    if cls is registry.base("functional"):
        module, registered = "keras.src.models.functional", "Functional"
    elif cls is registry.base("sequential"):
        module, registered = "keras", None
    elif registry.builtin_layer_classes().get(cls.__name__) is cls:
        module, registered = "keras.layers", None
        class_name = _EXPORTED_AS.get(class_name, class_name)
    else:
        module, registered = cls.__module__, registry.get_registered_name(cls)
    out = {
        "module": module,
        "class_name": class_name,
        "config": serialize_keras_object(layer.get_config()),
        "registered_name": registered,
    }
    build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
    if build is not None:
        out["build_config"] = serialize_keras_object(build)
    return mark_shared(layer, out)


def serialize_keras_object(obj):
    """The JSON-friendly Keras 3 config of `obj` (layers, models, optimizers, functions, ...).

    Plain values pass through (tuples become lists); numpy arrays become `__numpy__` entries.

    >>> import minikeras as keras
    >>> keras.saving.serialize_keras_object(keras.activations.relu)["config"]
    'relu'
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {
            "class_name": "__numpy__",
            "config": {"value": obj.tolist(), "dtype": obj.dtype.name},
        }
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, Tensor) and not isinstance(obj, Variable):  # a constant in an op node
        return {
            "class_name": "__tensor__",
            "config": {"value": obj.data.tolist(), "dtype": obj.data.dtype.name},
        }
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {"start": obj.start, "stop": obj.stop, "step": obj.step},
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if registry.is_a(obj, "layer"):
        return serialize_layer(obj)
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) or (
        callable(obj) and not hasattr(obj, "get_config") and hasattr(obj, "__name__")
    ):
        raw = getattr(obj, "_raw", obj)
        name = registry.GLOBAL_CUSTOM_NAMES.get(obj) or _function_name(raw)
        if name == "<lambda>":
            raise ValueError(
                "Cannot save a lambda function: minikeras saves functions by name only. Use a "
                "named function registered with keras.saving.register_keras_serializable()."
            )
        module = _public_module(raw) if _builtin_name(raw) else getattr(raw, "__module__", None)
        return {"module": module, "class_name": "function", "config": name, "registered_name": name}
    if hasattr(obj, "get_config"):
        cls = type(obj)
        builtin = _builtin_name(cls)
        out = {
            "module": _public_module(cls) if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": serialize_keras_object(obj.get_config()),
            "registered_name": None if builtin else registry.get_registered_name(cls),
        }
        return mark_shared(obj, out)
    raise TypeError(
        f"Cannot serialize {obj!r} of type {type(obj).__name__}: it has no get_config()."
    )


def _function_name(fn):
    try:
        return registry.table("function_names")[fn]
    except (KeyError, TypeError):
        return getattr(fn, "__name__", None)


# ---- resolution through minikeras's own tables -----------------------------------------------


def _tables(module_hint=""):
    """`(kind, table)` pairs of minikeras's classes/functions; the hint only reorders them."""
    tables = [("layer", registry.builtin_layer_classes())]
    for kind in ("optimizers", "initializers", "regularizers", "constraints", "losses", "metrics"):
        tables.append((kind, registry.table(kind)))
    for kind in ("dtype_policies", "quantizers", "feature_space"):
        tables.append((kind, registry.table(kind)))
    hint = module_hint or ""
    tables.sort(key=lambda kt: 0 if kt[0][:5] in hint else 1)
    return tables


def _lookup_class(class_name, registered_name, custom_objects, module_hint):
    for name in (registered_name, class_name):
        found = registry.get_registered_object(name, custom_objects)
        if found is not None:
            return found
    name = class_name.split(">", 1)[1] if class_name.startswith("Custom>") else class_name
    for _, table in _tables(module_hint):
        for key in (name, name.lower()):
            found = table.get(key)
            if inspect.isclass(found):
                return found
    raise ValueError(
        f"Unknown object: '{class_name}'. Only minikeras's own classes and objects registered "
        "with keras.saving.register_keras_serializable() or passed in `custom_objects` can be "
        "loaded; modules named in a file are never imported."
    )


def lookup_function(name, custom_objects=None, module_hint=""):
    """A function saved by name: custom_objects, the registry, then minikeras's own."""
    activations = registry.table("activations")
    found = registry.get_registered_object(name, custom_objects)
    if found is not None:
        return found
    if name in activations and "loss" not in module_hint and "metric" not in module_hint:
        return activations[name]
    registry.table("metrics")  # loads keras.metrics, which registers "metric_functions"
    functions = [
        ("losses", registry.table("losses")),
        ("metric", registry.table("metric_functions")),
    ]
    functions.sort(key=lambda kt: 0 if kt[0][:5] in (module_hint or "") else 1)
    for _, table in functions:  # (the metrics table gives classes for "binary_accuracy")
        found = table.get(name)
        if callable(found) and not inspect.isclass(found):
            return found
    if name in activations:
        return activations[name]
    raise ValueError(
        f"Unknown function: '{name}'. Register it with keras.saving.register_keras_serializable() "
        f"or pass it in `custom_objects={{'{name}': fn}}`."
    )


def _call_from_config(cls, config, custom_objects):
    params = inspect.signature(cls.from_config).parameters
    if "custom_objects" in params:
        return cls.from_config(config, custom_objects=custom_objects)
    return cls.from_config(config)


# ---- deserialization -----------------------------------------------------------------------------


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from `serialize_keras_object` output (or a Keras 2/3 config).

    Args:
        config: the config (dict, list or plain value).
        custom_objects: name -> class/function for user objects.
        safe_mode: accepted for Keras compatibility; loading is always safe (bytecode is
            always refused).

    >>> import minikeras as keras
    >>> keras.saving.deserialize_keras_object({"class_name": "Dense", "config": {"units": 2}}).units
    2
    """
    check_config(config, custom_objects)
    with registry.loading_scope(custom_objects):
        return _deserialize(config, custom_objects, 0, build=True)


def deserialize_value(config, custom_objects=None):
    """Rebuilds one value of a config already checked by `check_config` (a function entry, a
    `__numpy__` array, an object, ...), inside the caller's loading scope."""
    return _deserialize(config, custom_objects, 0)


def _deserialize(config, custom_objects, depth, build=False):
    if depth > MAX_DEPTH:
        raise ValueError(f"The config is nested more than {MAX_DEPTH} levels deep; refused.")
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(x, custom_objects, depth + 1) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {config!r} of type {type(config).__name__}.")
    class_name = config.get("class_name")
    if not isinstance(class_name, str):
        return config
    inner = config.get("config")
    if class_name in _SPECIAL:
        return _special(class_name, inner or {})
    if class_name == "__lambda__":
        raise _bytecode_error(config.get("name", "<unknown>"))
    if class_name == "__keras_tensor__":
        raise ValueError("A symbolic tensor can only appear inside a functional model's graph.")
    hint = config.get("module") or ""
    if class_name == "function":
        registered = config.get("registered_name")
        name = registered if registered not in (None, "", "function") else inner
        if not isinstance(name, str):
            raise ValueError(f"A function entry needs a name. Received: {config!r}")
        return lookup_function(name, custom_objects, str(hint))
    cls = _lookup_class(class_name, config.get("registered_name"), custom_objects, str(hint))
    if registry.is_subclass(cls, "layer"):
        return deserialize_layer(config, custom_objects, build=build)
    if not inspect.isclass(cls):
        return cls  # a registered function given by class_name
    shared = shared_object(config)
    if shared is not None:
        return shared
    inner = dict(inner or {})
    try:
        return record_loaded(config, _call_from_config(cls, inner, custom_objects))
    except TypeError as e:
        raise ValueError(f"Cannot build '{class_name}' from its config {inner}: {e}") from None


def _special(class_name, cfg):
    if class_name == "__tuple__":
        return tuple(cfg.get("value", []))
    if class_name in ("__numpy__", "__tensor__"):
        dtype = np.dtype(cfg.get("dtype", "float32"))
        if dtype.kind not in "biuf":
            raise ValueError(f"Refusing a {class_name} value of dtype {dtype}.")
        value = np.asarray(cfg.get("value"), dtype=dtype)
        if class_name == "__tensor__":  # Keras 3 writes constant tensors of op nodes so
            return Tensor(value)
        return value
    if class_name == "__slice__":
        return slice(cfg.get("start"), cfg.get("stop"), cfg.get("step"))
    if class_name == "__bytes__":
        value = cfg.get("value", "")
        return value.encode("latin-1") if isinstance(value, str) else bytes(value)
    return Ellipsis


def deserialize_layer(config, custom_objects=None, build=False):
    """A layer (or model) from `{"class_name", "config", ...}`; for wrapper layers' `from_config`.

    Args:
        config: the serialized layer (Keras 2 or 3 form); a Layer instance is returned as is.
        custom_objects: name -> class for user layers (also looked up in active scopes).
        build: call `build_from_config` with the entry's `build_config` (top-level objects).
    """
    if registry.is_a(config, "layer"):
        return config
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A layer config needs 'class_name' and 'config'. Received: {config!r}")
    shared = shared_object(config)  # a layer met earlier in this file: the same object again
    if shared is not None:
        return shared
    class_name = config["class_name"]
    cls = registry.resolve_layer_class(class_name, config.get("registered_name"), custom_objects)
    inner = config.get("config")
    sequential, functional = registry.base("sequential"), registry.base("functional")
    if isinstance(inner, list) and registry.is_subclass(
        cls, "sequential"
    ):  # Keras <= 2.1: a bare list
        inner = {"layers": inner}
    if not isinstance(inner, dict):
        raise ValueError(f"The config of layer class '{class_name}' should be a dict.")
    inner = dict(inner)
    if "name" in inner and inner["name"] is not None:
        check_name(inner["name"], f"a '{class_name}' layer")
    if isinstance(inner.get("dtype"), dict) and "name" in (inner["dtype"].get("config") or {}):
        # a float policy by its name; quantized policies and maps keep their dict (the layer
        # reads it)
        inner["dtype"] = inner["dtype"]["config"]["name"]
    with registry.loading_scope(custom_objects):
        # the graph models rebuild their graph themselves (models/*_config.py)
        if registry.is_subclass(cls, "sequential"):
            layer = sequential.from_config(inner, custom_objects)
        elif cls is functional or (cls is registry.base("model") and "layers" in inner):
            layer = functional.from_config(inner, custom_objects)
        else:
            if class_name == "Lambda":
                inner = _lambda_config(inner, custom_objects)
            else:
                config_checks.check_layer_config(cls, inner, class_name)
            try:
                layer = _call_from_config(cls, inner, custom_objects)
            except TypeError as e:  # TypeError, as Keras 3 ("could not be deserialized")
                raise TypeError(
                    f"Cannot build layer '{inner.get('name')}' of class '{class_name}' from its "
                    f"config: {e}"
                ) from None
        if build and config.get("build_config") and not layer.built:
            _build(layer, config["build_config"])
    return record_loaded(config, layer)


def load_layer(config, custom_objects=None):
    """`keras.layers.deserialize`: a layer from its serialized dict, checked as a file's config
    is, and built from its `build_config` as Keras 3 builds it.

    Raises:
        ValueError: when the config does not describe a layer (or is refused by the checks).
    """
    check_config(config, custom_objects)
    with registry.loading_scope(custom_objects):
        return deserialize_layer(config, custom_objects, build=True)


def _build(layer, build_config):
    graph_model = registry.is_a(layer, "functional") or registry.is_a(layer, "sequential")
    if registry.is_a(layer, "model") and not graph_model:
        shape = build_config.get("input_shape")
        if shape is None:
            return

        def zeros(s):
            return np.zeros(tuple(1 if d is None else int(d) for d in s), "float32")

        is_leaf = lambda s: all(d is None or isinstance(d, int) for d in s)
        data = zeros(shape) if is_leaf(shape) else [zeros(s) for s in shape]
        with no_grad():
            layer(data)  # a subclassed model creates its weights on its first call
        return
    layer.build_from_config(build_config)


def _lambda_config(inner, custom_objects):
    """Replaces a Lambda's saved function by the caller's (by layer name) or a registered one."""
    name = inner.get("name")
    fn = inner.get("function")
    provided = registry.get_registered_object(str(name), custom_objects)
    if _is_bytecode_lambda(inner):
        if provided is None:
            raise _bytecode_error(name)
        fn = provided
    elif provided is not None:
        fn = provided  # else a saved name: Lambda.from_config resolves it (closed tables only)
    out = {
        k: v
        for k, v in inner.items()
        if k
        not in (
            "function_type",
            "module",
            "output_shape_type",
            "output_shape_module",
            "mask_type",
            "mask_module",
        )
    }
    out["function"] = fn
    for key in ("output_shape", "mask"):
        value = inner.get(key)
        if inner.get(f"{key}_type") == "lambda" or (
            isinstance(value, dict) and value.get("class_name") == "__lambda__"
        ):
            out.pop(key, None)  # bytecode: drop it (shapes are traced, masks propagate)
    return out
