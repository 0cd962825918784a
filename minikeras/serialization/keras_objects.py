"""Objects <-> Keras config dicts, safe by construction.

`serialize_keras_object` writes the Keras 3 form `{"module", "class_name", "config",
"registered_name", ["build_config"]}`. `deserialize_keras_object` / `deserialize_layer` read
Keras 2 and 3 forms. Classes and functions are resolved by name through the closed registry
(`registry.py`); the `module` key of a file is never imported (it only breaks ties between
minikeras's own tables). Nothing is unpickled, unmarshalled or evaluated: a Lambda whose
function is stored as bytecode is refused unless the caller supplies the function.
"""

import inspect
import threading
import types

import numpy as np

from . import config_checks, registry

MAX_DEPTH = 200
_SPECIAL = ("__tuple__", "__numpy__", "__slice__", "__bytes__", "__ellipsis__", "__tensor__")


# ---- names and safety checks ---------------------------------------------------------------------


def check_name(name, where="a layer"):
    """Layer names from files must be non-empty strings without '/', NUL or '..' tricks."""
    if not isinstance(name, str) or not name or len(name) > 1024:
        raise ValueError(f"Invalid name for {where}: {name!r} (expected a non-empty string).")
    if "/" in name or "\\" in name or "\x00" in name or name in (".", ".."):
        raise ValueError(
            f"Invalid name for {where}: {name!r}. Names must not contain '/', '\\' or NUL and "
            "must not be '.' or '..'; refusing the file."
        )
    return name


def _is_bytecode_lambda(cfg):
    fn = cfg.get("function")
    return (
        cfg.get("function_type") == "lambda"
        or isinstance(fn, (list, tuple))
        or (isinstance(fn, dict) and fn.get("class_name") == "__lambda__")
    )


def _bytecode_error(name):
    return ValueError(
        f"Refusing to load Lambda layer '{name}': its function is stored as Python bytecode, and "
        "loading it would run code taken from the file. minikeras never unmarshals or evaluates "
        "code (there is no switch to allow it, safe_mode=False included). Define the function "
        "in your own code and pass it by the layer's name: load_model(path, custom_objects="
        f"{{'{name}': my_function}}); or save the model again with a named function registered "
        "via keras.saving.register_keras_serializable()."
    )


def check_config(tree, custom_objects=None, depth=0):
    """Walks a whole config before anything is built: refuses bytecode and bad layer names."""
    if depth > MAX_DEPTH:
        raise ValueError(f"The config is nested more than {MAX_DEPTH} levels deep; refused.")
    if isinstance(tree, list):
        for item in tree:
            check_config(item, custom_objects, depth + 1)
        return
    if not isinstance(tree, dict):
        return
    if tree.get("class_name") == "__lambda__":
        raise ValueError(
            "Refusing to load a function stored as Python bytecode ('__lambda__'): minikeras "
            "never unmarshals or evaluates code. Pass the function in `custom_objects`."
        )
    cfg = tree.get("config")
    skip = ()
    if isinstance(tree.get("class_name"), str) and isinstance(cfg, dict):
        if "name" in cfg and isinstance(cfg.get("name"), str) and "inbound_nodes" in tree:
            check_name(cfg["name"])
        if "name" in tree and isinstance(tree["name"], str):
            check_name(tree["name"])
        if tree["class_name"] == "Lambda":
            name = cfg.get("name", "<unnamed>")
            provided = registry.get_registered_object(str(name), custom_objects) is not None
            if _is_bytecode_lambda(cfg) and not provided:
                raise _bytecode_error(name)
            if provided:  # the caller's function replaces whatever the file holds
                cfg = {
                    k: v for k, v in cfg.items() if k not in ("function", "output_shape", "mask")
                }
            skip = ("config",)
            check_config(cfg, custom_objects, depth + 1)
    for key, value in tree.items():
        if key not in skip and isinstance(value, (dict, list)):
            check_config(value, custom_objects, depth + 1)


# ---- shared objects (Keras 3's `shared_object_id`) -----------------------------------------------

_sharing = threading.local()
SHARED_ID = "shared_object_id"


class ObjectSharingScope:
    """Keeps one object referenced from several places of a config one object across a file.

    Keras 3 opens this scope around `.keras` saving and loading (only there). While saving,
    every occurrence of an object serialized more than once (a layer inside two wrappers or
    sub-models, an initializer instance given to two layers) carries its full config plus a
    common `shared_object_id`; `finish(config)` drops the ids of objects met only once. While
    loading, the first entry with a given id is built and every later one returns that object,
    so shared layers keep one set of variables.

    >>> import minikeras as keras
    >>> from minikeras.serialization.keras_objects import ObjectSharingScope, serialize_keras_object
    >>> dense = keras.layers.Dense(2)
    >>> with ObjectSharingScope() as scope:
    ...     config = scope.finish(serialize_keras_object([dense, dense, keras.layers.Dense(2)]))
    >>> [SHARED_ID in entry for entry in config]
    [True, True, False]
    """

    def __enter__(self):
        self._outer = getattr(_sharing, "state", None)
        _sharing.state = {"saved": {}, "loaded": {}}
        return self

    def __exit__(self, *exc):
        _sharing.state = self._outer

    def finish(self, config):
        """Removes the `shared_object_id` of every object that occurs once in `config`."""
        saved = _sharing.state["saved"]
        counts, entries = {}, []

        def walk(tree):
            if isinstance(tree, list):
                for item in tree:
                    walk(item)
            elif isinstance(tree, dict):
                if "class_name" in tree and tree.get(SHARED_ID) in saved:
                    counts[tree[SHARED_ID]] = counts.get(tree[SHARED_ID], 0) + 1
                    entries.append(tree)
                for value in tree.values():
                    walk(value)

        walk(config)
        for entry in entries:
            if counts[entry[SHARED_ID]] < 2:
                del entry[SHARED_ID]
        return config


def mark_shared(obj, config):
    """Tags `config` (the serialized `obj`) with the object's id inside an ObjectSharingScope."""
    state = getattr(_sharing, "state", None)
    if state is not None and isinstance(config, dict):
        state["saved"][id(obj)] = obj  # holds obj, so its id cannot be reused during this save
        config[SHARED_ID] = id(obj)
    return config


def shared_object(config):
    """The object already loaded for `config`'s `shared_object_id` in this scope, or None."""
    state = getattr(_sharing, "state", None)
    if state is None or not isinstance(config, dict) or config.get(SHARED_ID) is None:
        return None
    return state["loaded"].get(_id_key(config[SHARED_ID]))


def record_loaded(config, obj):
    """Remembers `obj` as the object of `config`'s `shared_object_id` (inside a scope)."""
    state = getattr(_sharing, "state", None)
    if state is not None and isinstance(config, dict) and config.get(SHARED_ID) is not None:
        state["loaded"].setdefault(_id_key(config[SHARED_ID]), obj)
    return obj


def _id_key(value):
    return str(value) if isinstance(value, (int, str)) else repr(value)


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


def serialize_layer(layer):
    """`{"module", "class_name", "config", "registered_name", ["build_config"]}` of a layer."""
    from ..models import Functional, Sequential

    cls = type(layer)
    if cls is Functional:
        module, registered = "keras.src.models.functional", "Functional"
    elif cls is Sequential:
        module, registered = "keras", None
    elif registry.builtin_layer_classes().get(cls.__name__) is cls:
        module, registered = "keras.layers", None
    else:
        module, registered = cls.__module__, registry.get_registered_name(cls)
    out = {
        "module": module,
        "class_name": cls.__name__,
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
    from ..layers.layer import Layer

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
    from ..core.tensor import Tensor
    from ..core.variable import Variable

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
    if isinstance(obj, Layer):
        return serialize_layer(obj)
    from ..optimizers import Optimizer
    from ..optimizers import serialize as serialize_optimizer

    if isinstance(obj, Optimizer):
        return serialize_optimizer(obj)
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
    from .. import activations

    try:
        return activations._NAMES[fn]
    except (KeyError, TypeError):
        return getattr(fn, "__name__", None)


# ---- resolution through minikeras's own tables -----------------------------------------------


def _tables(module_hint=""):
    """`(kind, table)` pairs of minikeras's classes/functions; the hint only reorders them."""
    import importlib

    from .. import constraints, initializers, optimizers, regularizers

    tables = [
        ("layer", registry.builtin_layer_classes()),
        (
            "optimizer",
            {**{c.__name__: c for c in optimizers.ALL_OBJECTS}, **optimizers.ALL_OBJECTS_DICT},
        ),
        ("initializer", initializers.ALL_OBJECTS_DICT),
        ("regularizer", regularizers.ALL_OBJECTS_DICT),
        ("constraint", constraints.ALL_OBJECTS_DICT),
    ]
    for kind in ("losses", "metrics"):
        try:
            module = importlib.import_module(f"..{kind}", __package__)
        except ImportError:
            continue
        tables.append((kind, getattr(module, "ALL_OBJECTS_DICT", {})))
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
    from .. import activations

    found = registry.get_registered_object(name, custom_objects)
    if found is not None:
        return found
    if (
        name in activations.ALL_OBJECTS_DICT
        and "loss" not in module_hint
        and "metric" not in module_hint
    ):
        return activations.ALL_OBJECTS_DICT[name]
    for kind, table in _tables(module_hint):
        if kind in ("losses", "metrics") and callable(table.get(name)):
            return table[name]
    if name in activations.ALL_OBJECTS_DICT:
        return activations.ALL_OBJECTS_DICT[name]
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
        name = config.get("registered_name") or inner
        if not isinstance(name, str):
            raise ValueError(f"A function entry needs a name. Received: {config!r}")
        return lookup_function(name, custom_objects, str(hint))
    cls = _lookup_class(class_name, config.get("registered_name"), custom_objects, str(hint))
    from ..layers.layer import Layer

    if inspect.isclass(cls) and issubclass(cls, Layer):
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
            from ..core.tensor import Tensor

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
    from ..layers.layer import Layer
    from ..models import Functional, Model, Sequential
    from ..saving import model_config

    if isinstance(config, Layer):
        return config
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A layer config needs 'class_name' and 'config'. Received: {config!r}")
    shared = shared_object(config)  # a layer met earlier in this file: the same object again
    if shared is not None:
        return shared
    class_name = config["class_name"]
    cls = registry.resolve_layer_class(class_name, config.get("registered_name"), custom_objects)
    inner = config.get("config")
    if isinstance(inner, list) and issubclass(cls, Sequential):  # Keras <= 2.1: a bare list
        inner = {"layers": inner}
    if not isinstance(inner, dict):
        raise ValueError(f"The config of layer class '{class_name}' should be a dict.")
    inner = dict(inner)
    if "name" in inner and inner["name"] is not None:
        check_name(inner["name"], f"a '{class_name}' layer")
    if isinstance(inner.get("dtype"), dict):
        inner["dtype"] = (inner["dtype"].get("config") or {}).get("name")
    with registry.loading_scope(custom_objects):
        if issubclass(cls, Sequential):
            layer = model_config.sequential_from_config(inner, custom_objects)
        elif cls is Functional or (cls is Model and "layers" in inner):
            layer = model_config.functional_from_config(inner, custom_objects)
        else:
            if class_name == "Lambda":
                inner = _lambda_config(inner, custom_objects)
            else:
                config_checks.check_layer_config(cls, inner, class_name)
            try:
                layer = _call_from_config(cls, inner, custom_objects)
            except TypeError as e:
                raise ValueError(
                    f"Cannot build layer '{inner.get('name')}' of class '{class_name}' from its "
                    f"config: {e}"
                ) from None
        if build and config.get("build_config") and not layer.built:
            _build(layer, config["build_config"])
    return record_loaded(config, layer)


def _build(layer, build_config):
    from ..models import Functional, Model, Sequential

    if isinstance(layer, Model) and not isinstance(layer, (Functional, Sequential)):
        shape = build_config.get("input_shape")
        if shape is None:
            return
        from ..core.autodiff import no_grad

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


# ---- model configs (implemented in model_config.py) --------------------------------------------


def functional_config(model):
    """`Functional.get_config()`: Keras 3 form with `layers`, `input_layers`, `output_layers`."""
    from ..saving import model_config

    return model_config.functional_config(model)


def functional_from_config(config, custom_objects=None):
    """`Functional.from_config()`: rebuilds the graph from a Keras 2 or 3 config."""
    from ..saving import model_config

    with registry.loading_scope(custom_objects):
        return model_config.functional_from_config(config, custom_objects)


def sequential_config(model):
    """`Sequential.get_config()`: Keras 3 form (`layers` starts with the InputLayer)."""
    from ..saving import model_config

    return model_config.sequential_config(model)


def sequential_from_config(config, custom_objects=None):
    """`Sequential.from_config()`: Keras 2 or 3 config."""
    from ..saving import model_config

    with registry.loading_scope(custom_objects):
        return model_config.sequential_from_config(config, custom_objects)
