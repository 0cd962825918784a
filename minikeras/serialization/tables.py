"""`get` / `serialize` / `deserialize` of one kind of object (initializers, activations, ...).

Each public module (`keras.initializers`, `keras.constraints`, `keras.regularizers`,
`keras.activations`, `keras.losses`, `keras.metrics`, `keras.optimizers`) makes one
`ObjectKind` over its table of built-in names and binds its three functions to it, so the lookup
order (`custom_objects`, the built-ins, then `register_keras_serializable`'s registry), the
accepted config forms (a name, Keras 2's `{"class_name", "config"}`, Keras 3's form with `module`
and `registered_name`) and the error messages are the same everywhere. What differs between
kinds is a keyword hook of `ObjectKind` (optimizers' case-insensitive names, the losses' Keras 2
`reduction="auto"`, the metric functions that metric names do not give).

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


def lookup(names, table, kind, custom_objects=None, normalize=None):
    """The first of `names` found in custom_objects, `table`, the registry, then (when given)
    `table` under `normalize(name)`.

    Raises:
        ValueError: naming the kind, the name and the valid names.
    """
    for name in names:
        if not isinstance(name, str):
            continue
        found = (
            (custom_objects or {}).get(name)
            or table.get(name)
            or registry.get_registered_object(name, custom_objects)
            or (table.get(normalize(name)) if normalize else None)
        )
        if found is not None:
            return found
    shown = names[-1] if names else names
    raise ValueError(
        f"Unknown {kind}: {shown!r}. Valid names: {', '.join(sorted(table))}. Custom objects "
        "must be registered with `keras.saving.register_keras_serializable()` or passed in "
        "`custom_objects`."
    )


def _build(cls, config, custom_objects):
    """`cls.from_config(config)` (with `custom_objects` when it takes them) inside a loading
    scope, so that the objects nested in the config find the caller's custom objects too."""
    with registry.loading_scope(custom_objects):
        if not hasattr(cls, "from_config"):
            return cls(**config)
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(config, custom_objects=custom_objects)
        return cls.from_config(config)


def _is_plain_function(obj):
    """A function saved by name: a Python function, or a named callable without a config."""
    return isinstance(obj, types.FunctionType) or (
        callable(obj)
        and not isinstance(obj, type)
        and not hasattr(obj, "get_config")
        and isinstance(getattr(obj, "__name__", None), str)
    )


class ObjectKind:
    """`get`, `serialize` and `deserialize` for the objects of one table.

    Every kind follows Keras 3's rules: a name gives the function it names, or an instance of
    the class it names; a config dict gives an instance (`from_config`); a built-in object
    serializes with the public `module` and `registered_name: None`, a user's with its own module
    and registered name. The keyword hooks hold what differs between kinds.

    Args:
        kind: the word errors use (`"initializer"`).
        module: the public module written in configs (`"keras.initializers"`).
        table: name -> class (or function) of the built-in objects; registered with the
            registry under `plural` so that `deserialize_keras_object` finds them too. The dict
            is kept, not copied: its owner may fill it after creating the kind.
        factories: name -> function called with no arguments, for names that stand for an
            object made with other defaults than its class's (`"l1_l2"`: `L1L2(0.01, 0.01)`).
        plural: the registry's name of the table (default: `kind + "s"`).
        functions: name -> built-in function, for kinds whose functions are saved by name
            (losses, metrics). A `{"class_name": "function"}` entry is looked up there, and a
            built-in function serializes as Keras 3 writes it (`registered_name: "function"`).
            Registered as `kind + "_functions"`. Default: `table`.
        normalize: name -> the key of `table` it stands for, tried after the exact name
            (optimizers: any capitalisation, and tf.keras's `"Custom>Adam"`).
        upgrade: config dict -> config dict, applied before `from_config` (losses: Keras 2's
            `reduction="auto"`).
        base: when given, `get` returns and `serialize` accepts only instances of this class
            (optimizers); otherwise plain functions are objects of the kind too.
    """

    def __init__(
        self,
        kind,
        module,
        table,
        factories=None,
        *,
        plural=None,
        functions=None,
        normalize=None,
        upgrade=None,
        base=None,
    ):
        self.kind, self.module, self.table = kind, module, table
        self.factories = factories or {}
        self.functions = table if functions is None else functions
        self.normalize, self.upgrade, self.base = normalize, upgrade, base
        registry.register_table(plural or kind + "s", table)
        if functions is not None:
            registry.register_table(kind + "_functions", functions)

    def _lookup(self, names, custom_objects=None):
        return lookup(names, self.table, self.kind, custom_objects, self.normalize)

    def is_builtin(self, obj):
        """True when `obj` is one of the table's own classes or functions."""
        if _is_plain_function(obj):
            target, table = obj, self.functions
        else:
            target, table = (obj if inspect.isclass(obj) else type(obj)), self.table
        name = target.__name__
        keys = [name, self.normalize(name)] if self.normalize else [name]
        return any(table.get(key) is target for key in keys)

    # ---- object -> config ------------------------------------------------------------------

    def serialize(self, obj):
        """The Keras 3 dict form of `obj`: `{"module", "class_name", "config", "registered_name"}`.

        None gives None; a function gives Keras's `{"class_name": "function", ...}` form, which
        loads back when the function is built-in, registered or passed in `custom_objects`.
        """
        if obj is None:
            return None
        if self.base is not None and not isinstance(obj, self.base):
            raise TypeError(
                f"`serialize` expects a keras {self.kind} ({self.base.__name__}). Received: {obj!r}"
            )
        builtin = self.is_builtin(obj)
        if _is_plain_function(obj):
            if builtin:
                return {
                    "module": self.module,
                    "class_name": "function",
                    "config": obj.__name__,
                    "registered_name": "function",
                }
            name = registered_name(obj) or obj.__name__
            return {
                "module": getattr(obj, "__module__", None),
                "class_name": "function",
                "config": name,
                "registered_name": name,
            }
        if not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot serialize {self.kind} {obj!r}: it has no get_config(). Use a "
                f"keras.{self.kind}s class, or a registered subclass of its base class."
            )
        cls = type(obj)
        out = {
            "module": self.module if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": obj.get_config(),
            "registered_name": None if builtin else (registered_name(cls) or cls.__name__),
        }
        return sharing.mark_shared(obj, out)

    # ---- config -> object ------------------------------------------------------------------

    def deserialize(self, config, custom_objects=None):
        """An object from a name (a function, or an instance of the class named) or from a
        Keras 2 / Keras 3 `{"class_name", "config"}` dict (`module` is never imported)."""
        if isinstance(config, str) and config in self.factories:
            return self.factories[config]()
        if isinstance(config, str):
            config = {"class_name": config, "config": {}}
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(
                f"Expected a {self.kind} name or a config dict with a 'class_name' key. "
                f"Received: {config!r}"
            )
        if config["class_name"] == "function":  # a function saved by name, as Keras 3 writes it
            return self.function(config, custom_objects)
        shared = sharing.shared_object(config)
        if shared is not None:  # one object referenced from several places of a .keras file
            return shared
        names = [config.get("registered_name"), config["class_name"]]
        found = self._lookup([n for n in names if n], custom_objects)
        if not inspect.isclass(found):
            return found  # a function given by its name
        inner = dict(config.get("config") or {})
        if self.upgrade is not None:
            inner = self.upgrade(inner)
        try:
            obj = _build(found, inner, custom_objects)
        except TypeError as e:  # an argument this version does not know
            name = config["class_name"]
            raise ValueError(f"Cannot build {self.kind} {name!r} from {inner}: {e}") from None
        return sharing.record_loaded(config, obj)

    def function(self, config, custom_objects=None):
        """The function named by a string or by a `{"class_name": "function", ...}` entry; a
        callable is returned as is.

        Raises:
            ValueError: when the name is unknown or names a class.
        """
        if callable(config):
            return config
        if isinstance(config, dict):
            names = [config.get("registered_name"), config.get("config")]
        else:
            names = [config]
        names = [n for n in names if isinstance(n, str) and n and n != "function"]
        found = lookup(names, self.functions, f"{self.kind} function", custom_objects)
        if inspect.isclass(found):
            raise ValueError(
                f"Unknown {self.kind} function: {names[-1]!r} names a class, not a function. "
                f"Known functions: {', '.join(sorted(self.functions))}."
            )
        return found

    def get(self, identifier):
        """None gives None, a name or dict is deserialized, a class is instantiated with its
        defaults, an instance (or, without `base`, any callable) is returned as is."""
        if identifier is None:
            return None
        if isinstance(identifier, (str, dict)):
            found = self.deserialize(identifier)
            return found() if inspect.isclass(found) else found
        if self.base is not None:
            if isinstance(identifier, self.base):
                return identifier
        elif isinstance(identifier, type):
            return identifier()
        elif callable(identifier):
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
        self.factories, self.functions = {}, table
        self.normalize = self.upgrade = self.base = None
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
            return ObjectKind.serialize(self, fn)
        raise ValueError(
            f"Cannot serialize {self.kind} {fn!r}: it is not a keras.{self.kind}s function. "
            "Register it with `@keras.saving.register_keras_serializable()` to save it by name."
        )
