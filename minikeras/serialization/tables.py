"""`get` / `serialize` / `deserialize` of one kind of object (initializers, activations, ...).

Each public module (`keras.initializers`, `keras.constraints`, `keras.regularizers`,
`keras.activations`, `keras.optimizers`) makes one `ObjectKind` over its table of built-in names
and binds its three functions to it, so the lookup order (`custom_objects`, the built-ins, then
`register_keras_serializable`'s registry), the accepted config forms (a name, Keras 2's
`{"class_name", "config"}`, Keras 3's form with `module` and `registered_name`) and the error
messages are the same everywhere.

>>> from minikeras.serialization.tables import ObjectKind
>>> class Twice:
...     def __call__(self, x):
...         return 2 * x
...     def get_config(self):
...         return {}
>>> kind = ObjectKind("doubler", "demo.doublers", {"Twice": Twice, "twice": Twice})
>>> type(kind.get("twice")).__name__
'Twice'
>>> kind.serialize(Twice())["class_name"]
'Twice'
"""

import inspect
import types

from . import registry, sharing


def registered_name(obj):
    """The name `obj` was registered under with `register_keras_serializable`, else None."""
    try:
        name = registry.get_registered_name(obj)
    except (AttributeError, TypeError):  # an instance without __name__, never registered
        return None
    return name if registry.get_registered_object(name) is obj else None


def lookup(names, table, kind, custom_objects=None):
    """The first of `names` found in custom_objects, `table`, then the registry.

    Raises:
        ValueError: naming the kind, the name and the valid names.
    """
    for name in names:
        if not isinstance(name, str):
            continue
        found = (
            (custom_objects or {}).get(name)
            or table.get(name)
            or registry.get_registered_object(name)
        )
        if found is not None:
            return found
    shown = names[-1] if names else names
    raise ValueError(
        f"Unknown {kind}: {shown!r}. Valid names: {', '.join(sorted(table))}. Custom objects "
        "must be registered with `keras.saving.register_keras_serializable()` or passed in "
        "`custom_objects`."
    )


def object_from_config(config, table, kind, custom_objects=None):
    """Builds an object from a Keras 2 or 3 `{"class_name", "config"}` dict (`module` ignored)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Expected a {kind} name or a config dict with a 'class_name' key. Received: {config!r}"
        )
    if config["class_name"] == "function":  # a plain (registered) function, as Keras 3 writes it
        names = [config.get("registered_name"), config.get("config")]
        return lookup([n for n in names if n], table, kind, custom_objects)
    shared = sharing.shared_object(config)
    if shared is not None:  # one object referenced from several places of a .keras file
        return shared
    names = [config.get("registered_name"), config["class_name"]]
    cls = lookup([n for n in names if n], table, kind, custom_objects)
    inner = dict(config.get("config") or {})
    try:
        obj = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
    except TypeError as e:  # an argument this version does not know
        name = config["class_name"]
        raise ValueError(f"Cannot build {kind} {name!r} from {inner}: {e}") from None
    return sharing.record_loaded(config, obj)


def object_to_config(obj, module, table, kind):
    """The Keras 3 dict form of `obj`: `{"module", "class_name", "config", "registered_name"}`.

    None gives None; a plain function gives Keras's `{"class_name": "function", ...}` form, which
    loads back only if the function is registered or passed in `custom_objects`.
    """
    if obj is None:
        return None
    if isinstance(obj, types.FunctionType):
        name = registered_name(obj) or obj.__name__
        return {
            "module": obj.__module__,
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }
    if not hasattr(obj, "get_config"):
        raise ValueError(
            f"Cannot serialize {kind} {obj!r}: it has no get_config(). Use a keras.{kind}s class, "
            "or a registered subclass of its base class."
        )
    cls = type(obj)
    builtin = table.get(cls.__name__) is cls
    out = {
        "module": module if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": None if builtin else (registered_name(cls) or cls.__name__),
    }
    return sharing.mark_shared(obj, out)


class ObjectKind:
    """`get`, `serialize` and `deserialize` for the objects of one table.

    Args:
        kind: the word errors use (`"initializer"`).
        module: the public module written in configs (`"keras.initializers"`).
        table: name -> class (or function) of the built-in objects; registered with the
            registry under `kind + "s"` so that `deserialize_keras_object` finds them too.
        factories: name -> function called with no arguments, for names that stand for an
            object made with other defaults than its class's (`"l1_l2"`: `L1L2(0.01, 0.01)`).
    """

    def __init__(self, kind, module, table, factories=None):
        self.kind, self.module, self.table = kind, module, table
        self.factories = factories or {}
        registry.register_table(kind + "s", table)

    def serialize(self, obj):
        return object_to_config(obj, self.module, self.table, self.kind)

    def deserialize(self, config, custom_objects=None):
        if isinstance(config, str) and config in self.factories:
            return self.factories[config]()
        if isinstance(config, str):
            config = {"class_name": config, "config": {}}
        return object_from_config(config, self.table, self.kind, custom_objects)

    def get(self, identifier):
        """None gives None, a name or dict is deserialized, a class is instantiated with its
        defaults, an instance or callable is returned as is."""
        if identifier is None:
            return None
        if isinstance(identifier, (str, dict)):
            return self.deserialize(identifier)
        if isinstance(identifier, type):
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {self.kind} identifier: {identifier!r}")


class FunctionKind(ObjectKind):
    """The activations' variant: functions saved by name, `get(None)` gives `default`.

    Args:
        names: function -> the name it is saved under (aliases map to one name).
        default: what `get(None)` returns.
    """

    def __init__(self, kind, table, names, default):
        self.kind, self.module, self.table = kind, None, table
        self.names, self.default = names, default
        registry.register_table(kind + "s", table)
        registry.register_table("function_names", names)

    def deserialize(self, config, custom_objects=None):
        if isinstance(config, dict):
            if config.get("class_name") == "function" or "class_name" not in config:
                name = config.get("registered_name") or config.get("config")
                return self.deserialize(name, custom_objects)
            names = [n for n in (config.get("registered_name"), config["class_name"]) if n]
            found = lookup(names, self.table, self.kind, custom_objects)
            if inspect.isclass(found):
                return found.from_config(config.get("config") or {})
            return found
        if not isinstance(config, str):
            raise ValueError(f"Expected an {self.kind} name or config dict. Received: {config!r}")
        return lookup([config], self.table, f"{self.kind} function", custom_objects)

    def get(self, identifier):
        if identifier is None:
            return self.default
        if isinstance(identifier, (str, dict)):
            return self.deserialize(identifier)
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {self.kind} function identifier: {identifier!r}")

    def serialize(self, fn):
        """The built-in name of `fn`, its registered name, or (for a callable object with
        `get_config`) its Keras 3 config dict."""
        if fn is None:
            return None
        try:
            return self.names[fn]
        except (KeyError, TypeError):  # TypeError: an unhashable callable object
            pass
        registered = registered_name(fn)
        if registered is not None:
            return registered
        raw = getattr(fn, "_raw", fn)  # keras.ops functions are dispatch wrappers
        name = getattr(raw, "__name__", None)
        if name in self.table and getattr(raw, "__module__", "").startswith("minikeras."):
            return name
        if not isinstance(fn, types.FunctionType) and hasattr(fn, "get_config"):
            return object_to_config(fn, None, {}, self.kind)
        raise ValueError(
            f"Cannot serialize {self.kind} {fn!r}: it is not a keras.{self.kind}s function. "
            "Register it with `@keras.saving.register_keras_serializable()` to save it by name."
        )
