"""The closed registry of classes and functions that loading may create.

Loading never imports a module named in a file. A `class_name` found in a config resolves, in
order, through the `custom_objects` passed to the loader, the active `custom_object_scope`s,
the objects registered with `register_keras_serializable`, and minikeras's own classes
(the tables their owners register here with `register_table`: layers, models, optimizers,
initializers, ...; this floor imports none of them).
"""

import contextlib
import inspect
import threading

GLOBAL_CUSTOM_OBJECTS = {}  # "Package>Name" -> object
GLOBAL_CUSTOM_NAMES = {}  # object -> "Package>Name"
_scope = threading.local()


def _scopes():
    if not hasattr(_scope, "stack"):
        _scope.stack = []
    return _scope.stack


def register_keras_serializable(package="Custom", name=None):
    """Decorator registering a class or function under `"<package>>< name>"` for saving.

    A registered layer, activation, loss, ... can be saved by name and loaded back without
    `custom_objects`. Only registered (or passed) objects are ever created when loading.

    Args:
        package: the namespace part of the registered name (default `"Custom"`).
        name: the name part (default: the class or function's `__name__`).

    Returns:
        The decorator; it returns the object unchanged.

    >>> import minikeras as keras
    >>> @keras.saving.register_keras_serializable(package="demo")
    ... def twice(x):
    ...     return x * 2
    >>> keras.saving.get_registered_name(twice)
    'demo>twice'
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"`package` must be a string without '>'. Received: package={package!r}")

    def decorator(obj):
        serialized = name if name is not None else getattr(obj, "__name__", None)
        if not isinstance(serialized, str) or not serialized:
            raise ValueError(
                f"Cannot register {obj!r}: it has no __name__; pass `name=` explicitly."
            )
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register class {obj.__name__}: it must implement `get_config()` so its "
                "configuration can be saved."
            )
        key = f"{package}>{serialized}"
        GLOBAL_CUSTOM_OBJECTS[key] = obj
        GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """Returns the name `obj` was registered under, or its `__name__` if it was not registered.

    Args:
        obj: a class or function.

    Returns:
        A string such as `"Custom>MyLayer"`.

    >>> import minikeras as keras
    >>> keras.saving.get_registered_name(keras.layers.Dense)
    'Dense'
    """
    try:
        if obj in GLOBAL_CUSTOM_NAMES:
            return GLOBAL_CUSTOM_NAMES[obj]
    except TypeError:  # unhashable
        pass
    return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Returns the object registered or passed under `name`, or None.

    Looks in `custom_objects`, the active `custom_object_scope`s, the global registry
    (`"Package>Name"` keys, also matched by their `Name` part), then `module_objects`.

    Args:
        name: the registered name.
        custom_objects: an optional dict to look in first.
        module_objects: an optional dict to look in last.

    Returns:
        The object, or `None`.

    >>> import minikeras as keras
    >>> @keras.saving.register_keras_serializable(package="docs")
    ... def halve(x):
    ...     return x / 2
    >>> keras.saving.get_registered_object("docs>halve") is halve
    True
    """
    if not isinstance(name, str):
        return None
    tables = [custom_objects or {}] + list(reversed(_scopes())) + [GLOBAL_CUSTOM_OBJECTS]
    for table in tables:
        if name in table:
            return table[name]
    short = name.split(">", 1)[1] if ">" in name else None
    for table in tables:
        if short is not None and short in table:
            return table[short]
    # a bare "Name" matches a registered "Package>Name" when there is exactly one such entry
    if ">" not in name:
        matches = [v for k, v in GLOBAL_CUSTOM_OBJECTS.items() if k.split(">", 1)[1] == name]
        if len(matches) == 1:
            return matches[0]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects():
    """Returns the global registry dict (`"Package>Name"` -> object); it may be edited directly.

    Returns:
        The dict that `register_keras_serializable` fills.

    >>> import minikeras as keras
    >>> @keras.saving.register_keras_serializable(package="docs")
    ... def triple(x):
    ...     return x * 3
    >>> keras.saving.get_custom_objects()["docs>triple"] is triple
    True
    """
    return GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """Context manager making `custom_objects` visible to every loader inside it.

    Also available as `keras.saving.custom_object_scope`.

    Args:
        custom_objects: a dict of name -> class/function.
        *more: further dicts, merged in order.

    >>> import minikeras as keras
    >>> def my_act(x):
    ...     return x
    >>> with keras.saving.custom_object_scope({"my_act": my_act}):
    ...     keras.activations.get("my_act") is my_act
    True
    """

    def __init__(self, custom_objects=None, *more):
        merged = {}
        for table in (custom_objects,) + more:
            if table:
                if not isinstance(table, dict):
                    raise TypeError(
                        f"custom_objects must be a dict of name -> object. Received: {table!r}"
                    )
                merged.update(table)
        self.custom_objects = merged

    def __enter__(self):
        _scopes().append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scopes().pop()


custom_object_scope = CustomObjectScope


@contextlib.contextmanager
def loading_scope(custom_objects):
    """Pushes `custom_objects` (if any) for the duration of one load."""
    if custom_objects:
        with CustomObjectScope(custom_objects):
            yield
    else:
        yield


# ---- the closed tables of built-in classes ------------------------------------------------------
# Filled by their owners at import (layers register their classes, models Functional/Sequential,
# optimizers/initializers/... their name tables), so this floor never imports upward.

_TABLES = {}  # kind ("layers", "models", "initializers", ...) -> {name: class or function}
_BASES = {}  # role ("layer", "model", "functional", "sequential", "optimizer") -> class


def register_table(kind, table):
    """Makes `table` (name -> class or function) minikeras's own `kind` objects for loading.

    The dict is kept, not copied: entries its owner adds later are seen too.
    """
    _TABLES[kind] = table
    return table


_LOADERS = {}  # kind -> function importing its (lazily loaded) owner, which registers the table


def register_loader(kind, load):
    """For owners imported on first use (`minikeras.losses`, `.metrics`, `.optimizers`): `load()`
    imports the owner, which then calls `register_table(kind, ...)`. Set by the package's
    `__init__`, the floor above them all."""
    _LOADERS[kind] = load


def table(kind):
    """The table registered for `kind`, loading its owner first if it is loaded lazily (an
    empty dict if nothing provides it)."""
    if kind not in _TABLES and kind in _LOADERS:
        _LOADERS.pop(kind)()
    return _TABLES.get(kind, {})


def register_base(role, cls):
    """Names the base class of a role (`"layer"` -> Layer, ...) for type checks on this floor."""
    _BASES[role] = cls
    return cls


def base(role):
    """The class registered for `role`, or None."""
    return _BASES.get(role)


def is_a(obj, role):
    """True when `obj` is an instance of the class registered for `role`."""
    cls = _BASES.get(role)
    return cls is not None and isinstance(obj, cls)


def is_subclass(cls, role):
    """True when `cls` is a subclass of the class registered for `role`."""
    parent = _BASES.get(role)
    return parent is not None and inspect.isclass(cls) and issubclass(cls, parent)


def builtin_layer_classes():
    """Every built-in layer and model class by name (read fresh, so new layers are included),
    with the layers that Keras's applications define in their own modules (`LayerScale`, ...)."""
    out = {**table("layers"), **table("applications"), **table("models")}
    out.update((k, v) for k, v in table("feature_space").items() if k not in ("Feature", "Cross"))
    out.pop("OpLayer", None)  # created only from operation nodes, never by class name
    return out


def resolve_layer_class(class_name, registered_name=None, custom_objects=None):
    """The Layer subclass for a config entry, looked up by name only (never by module).

    Raises:
        ValueError: naming the class when nothing registered or passed matches it.
    """
    if not isinstance(class_name, str) or not class_name:
        raise ValueError(f"A layer config needs a string 'class_name'. Received: {class_name!r}")
    found = None
    for name in (registered_name, class_name):
        if isinstance(name, str) and name:
            found = get_registered_object(name, custom_objects)
            if found is not None:
                break
    if found is None:
        found = builtin_layer_classes().get(class_name)
    if found is None:
        raise ValueError(
            f"Unknown layer: '{class_name}'. Only minikeras's own layers and classes registered "
            "with `keras.saving.register_keras_serializable()` or passed in "
            "`custom_objects={'" + class_name + "': cls}` can be loaded; modules named in a "
            "file are never imported."
        )
    if not is_subclass(found, "layer"):
        raise ValueError(
            f"'{class_name}' resolves to {found!r}, which is not a keras Layer class, so it "
            "cannot be built from a layer config."
        )
    return found
