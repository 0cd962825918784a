"""`keras.saving`: save and load models and weights in Keras's own file formats.

Formats (see `spec/keras-formats.md`): `.keras` archives, legacy full-model `.h5`, Keras 3
`.weights.h5` and Keras 2 weights-only `.h5`, read from files written by Keras 2, Keras 3 or
minikeras. Loading is safe by construction: classes are resolved by name through a closed
registry (never by importing a module named in a file), nothing is unpickled or evaluated, and
HDF5 files are checked before they are read. Saving is atomic.
"""

from .registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model from a `.keras` or `.h5` file (minikeras, Keras 3 or Keras 2).

    Args:
        filepath: path to the file.
        custom_objects: dict of name -> class/function for user-defined objects.
        compile: whether to compile the model with its saved training configuration.
        safe_mode: accepted for compatibility; loading never executes code from a file.
    """
    from . import api

    return api.load_model(filepath, custom_objects=custom_objects, compile=compile,
                          safe_mode=safe_mode)  # fmt: skip


def save_model(model, filepath, overwrite=True, **kwargs):
    """Saves `model` to `filepath` (`.keras` or `.h5`), atomically."""
    from . import api

    return api.save_model(model, filepath, overwrite=overwrite, **kwargs)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights into `model` (`.weights.h5`, `.h5` or `.keras`)."""
    from . import api

    return api.load_weights(model, filepath, skip_mismatch=skip_mismatch, **kwargs)


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights of `model` (`.weights.h5`: Keras 3 layout; `.h5`: Keras 2 layout)."""
    from . import api

    return api.save_weights(model, filepath, overwrite=overwrite, **kwargs)


def serialize_keras_object(obj):
    """The Keras 3 config dict of a layer, model, optimizer, function or plain value."""
    from . import serialization

    return serialization.serialize_keras_object(obj)


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from its config, resolving classes through the closed registry."""
    from . import serialization

    return serialization.deserialize_keras_object(config, custom_objects=custom_objects,
                                                  safe_mode=safe_mode, **kwargs)  # fmt: skip


__all__ = [
    "CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "load_model", "load_weights",
    "register_keras_serializable", "save_model", "save_weights", "serialize_keras_object",
]  # fmt: skip
