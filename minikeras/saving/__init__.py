"""`keras.saving`: save and load models and weights in Keras's own file formats.

Formats (see `spec/keras-formats.md`): `.keras` archives, legacy full-model `.h5`, Keras 3
`.weights.h5` and Keras 2 weights-only `.h5`, read from files written by Keras 2, Keras 3 or
minikeras. Loading is safe by construction: classes are resolved by name through a closed
registry (never by importing a module named in a file), nothing is unpickled or evaluated, and
HDF5 files are checked before they are read. Saving is atomic.
"""

from ..serialization.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model from a `.keras` or `.h5` file written by minikeras, Keras 3 or Keras 2.

    Args:
        filepath: path to the file.
        custom_objects: dict of name -> class/function for user-defined objects.
        compile: whether to compile the model with its saved training configuration.
        safe_mode: accepted for compatibility; loading never executes code from a file.

    Returns:
        The model, with its weights (and optimizer state, when compiled) loaded.

    >>> import os, tempfile, numpy as np, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> keras.saving.save_model(model, path)
    >>> restored = keras.saving.load_model(path)
    >>> bool(np.allclose(restored.get_weights()[0], model.get_weights()[0]))
    True
    >>> os.remove(path)
    """
    from . import api

    return api.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
    )


def save_model(model, filepath, overwrite=True, **kwargs):
    """Saves a whole model (architecture, weights, compile settings) to `filepath`, atomically.

    Args:
        model: the model.
        filepath: a path ending in `.keras` (Keras 3 archive) or `.h5`/`.hdf5` (legacy HDF5).
        overwrite: if False and the file exists, raise `FileExistsError`.
        **kwargs: for legacy `.h5` files, `include_optimizer` and `for_tf_keras` (write graphs
            that tf.keras 2 and Keras 3 cannot both read in tf.keras 2's form; see README).

    Returns:
        None.

    >>> import os, tempfile, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.h5")
    >>> keras.saving.save_model(model, path)
    >>> keras.saving.load_model(path).output_shape
    (None, 2)
    >>> os.remove(path)
    """
    from . import api

    return api.save_model(model, filepath, overwrite=overwrite, **kwargs)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights into `model` from a `.weights.h5`, `.h5` or `.keras` file.

    Nothing is assigned unless the whole file matches the model.

    Args:
        model: a built model.
        filepath: the file (any Keras 2/3 layout; detected from the contents).
        skip_mismatch: skip layers whose weight counts or shapes differ (with a warning).
        **kwargs: e.g. `by_name=True` for legacy `.h5` files.

    Returns:
        None.

    >>> import os, tempfile, numpy as np, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    >>> keras.saving.save_weights(model, path)
    >>> twin = keras.models.clone_model(model)  # same architecture, new weights
    >>> keras.saving.load_weights(twin, path)
    >>> bool(np.allclose(twin.get_weights()[0], model.get_weights()[0]))
    True
    >>> os.remove(path)
    """
    from . import api

    return api.load_weights(model, filepath, skip_mismatch=skip_mismatch, **kwargs)


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights of `model`, atomically.

    Args:
        model: the model.
        filepath: a path ending in `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout).
        overwrite: if False and the file exists, raise `FileExistsError`.
        **kwargs: accepted for Keras compatibility.

    Returns:
        None.

    >>> import os, tempfile, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    >>> keras.saving.save_weights(model, path)
    >>> os.path.exists(path)
    True
    >>> os.remove(path)
    """
    from . import api

    return api.save_weights(model, filepath, overwrite=overwrite, **kwargs)


def serialize_keras_object(obj):
    """Returns the Keras 3 config dict of a layer, model, optimizer, function or plain value.

    Args:
        obj: the object.

    Returns:
        A dict `{"module", "class_name", "config", "registered_name"}` (plain values as is).

    >>> import minikeras as keras
    >>> config = keras.saving.serialize_keras_object(keras.layers.Dense(2))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 2)
    """
    from ..serialization import keras_objects as serialization

    return serialization.serialize_keras_object(obj)


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from its config, resolving classes through the closed registry.

    Args:
        config: a dict from `serialize_keras_object` (or a Keras 2/3 file).
        custom_objects: dict of name -> class/function for user-defined objects.
        safe_mode: accepted for compatibility; nothing from the config is executed.
        **kwargs: accepted for Keras compatibility.

    Returns:
        The rebuilt object.

    >>> import minikeras as keras
    >>> config = keras.saving.serialize_keras_object(keras.layers.Dense(2))
    >>> keras.saving.deserialize_keras_object(config).units
    2
    """
    from ..serialization import keras_objects as serialization

    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, safe_mode=safe_mode, **kwargs
    )


def __getattr__(name):
    if name == "KerasFileEditor":  # h5py loads on first use, not at `import minikeras`
        from .file_editor import KerasFileEditor

        return KerasFileEditor
    raise AttributeError(f"module 'minikeras.saving' has no attribute '{name}'")


__all__ = [
    "CustomObjectScope",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
