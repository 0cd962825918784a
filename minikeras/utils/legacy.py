"""`keras.utils.legacy`: Keras 2's `serialize_keras_object` / `deserialize_keras_object`."""


def serialize_keras_object(instance):
    """The Keras 2 form of an object: `{"class_name", "config"}` (no `module`), or a name.

    Args:
        instance: a layer, initializer, ... (anything with `get_config`), a registered
            function (its name), or None.

    Returns:
        A dict, a string, or None.

    >>> import minikeras as keras
    >>> keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2))["class_name"]
    'Dense'
    """
    from ..serialization.keras_objects import serialize_keras_object as modern

    if instance is None:
        return None
    if not hasattr(instance, "get_config"):
        name = modern(instance)
        return name["config"] if isinstance(name, dict) else name
    return {"class_name": type(instance).__name__, "config": modern(instance)["config"]}


def deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """Builds an object from its Keras 2 form (a `{"class_name", "config"}` dict or a name).

    Args:
        identifier: the config dict or a name.
        module_objects: dict of name -> class/function to look names up in first.
        custom_objects: dict of user classes/functions.
        printable_module_name: what to call the object in error messages.

    Returns:
        The object (a class's `from_config(config)`; a function for a name).

    >>> import minikeras as keras
    >>> config = {"class_name": "Dense", "config": {"units": 2}}
    >>> keras.utils.legacy.deserialize_keras_object(config, {"Dense": keras.layers.Dense}).units
    2
    """
    from ..serialization.keras_objects import deserialize_keras_object as modern

    if identifier is None:
        return None
    objects = {**(module_objects or {}), **(custom_objects or {})}
    if isinstance(identifier, str):
        if identifier in objects:
            return objects[identifier]
        return modern(identifier, custom_objects=custom_objects)
    if not isinstance(identifier, dict) or "class_name" not in identifier:
        raise ValueError(
            f"Could not interpret serialized {printable_module_name}: {identifier!r} (expected a "
            "dict with 'class_name' and 'config', or a name)."
        )
    class_name = identifier["class_name"]
    cls = objects.get(class_name)
    if cls is None:
        try:
            return modern(identifier, custom_objects=custom_objects)
        except (ValueError, TypeError) as e:
            raise ValueError(
                f"Unknown {printable_module_name}: '{class_name}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the scope."
            ) from e
    return cls.from_config(identifier.get("config", {}))
