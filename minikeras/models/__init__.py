"""`keras.models`: Model, Sequential, and loading helpers."""

from ..serialization import registry as _registry
from .functional import Functional as Functional
from .model import Model
from .sequential import Sequential as Sequential

# the serialization floor finds the models through these (it never imports upward)
_registry.register_table(
    "models", {"Functional": Functional, "Sequential": Sequential, "Model": Model}
)
_registry.register_base("model", Model)
_registry.register_base("functional", Functional)
_registry.register_base("sequential", Sequential)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by minikeras, Keras 3 or Keras 2 (`.keras` or `.h5`).

    Args:
        filepath: path to the file.
        custom_objects: dict of name -> class/function for user-defined objects.
        compile: whether to compile the model with its saved training configuration.
        safe_mode: accepted for compatibility; loading never executes code from a file.

    Returns:
        The model, with its weights (and optimizer state, when compiled) loaded.

    >>> import os, tempfile, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> keras.models.load_model(path).output_shape
    (None, 2)
    >>> os.remove(path)
    """
    from ..saving import api

    return api.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
    )


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a whole model to `.keras` or `.h5` (Keras 3's `keras.models.save_model`).

    The same function as `keras.saving.save_model`, under its `keras.models` name.

    Args:
        model: the model.
        filepath: a path ending in `.keras`, `.h5` or `.hdf5`.
        overwrite: if False and the file exists, raise `FileExistsError`.
        zipped: Keras's flag for unzipped `.keras` directories; only zipped files are written.
        **kwargs: as `keras.saving.save_model` (`include_optimizer` for `.h5`).

    Returns:
        None.

    >>> import os, tempfile, minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> keras.models.save_model(model, path)
    >>> os.path.exists(path)
    True
    >>> os.remove(path)
    """
    from ..saving import api

    return api.save_model(model, filepath, overwrite=overwrite, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (with untrained weights) from `model.to_json()` output (Keras 2 or 3 JSON).

    Args:
        json_string: the JSON text.
        custom_objects: dict of name -> class/function for user-defined objects.

    Returns:
        The model.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> keras.models.model_from_json(model.to_json()).output_shape
    (None, 2)
    """
    from ..saving import api

    return api.model_from_json(json_string, custom_objects=custom_objects)


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """Returns a new model with the same architecture and freshly initialised weights.

    Args:
        model: a Functional or Sequential model (subclassed models are rebuilt from config).
        input_tensors: `keras.Input` tensors to build the clone on, instead of new ones.
        clone_function: `layer -> new layer` (default: rebuild each layer from its config); not
            applied to InputLayers.
        call_function: not supported (NotImplementedError unless None).
        recursive: with a `clone_function`, Keras applies it inside nested models too; that is
            not supported when the model has nested models (NotImplementedError). Without a
            `clone_function`, nested models are rebuilt from their configs either way.
        **kwargs: Keras's internal `cache` only; anything else raises ValueError, as in Keras.

    Returns:
        The new model, with its own freshly initialised weights.

    >>> import minikeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> clone = keras.models.clone_model(model)
    >>> clone.output_shape, clone is model
    ((None, 2), False)
    """
    from ..saving import api

    kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"clone_model: unexpected keyword argument(s): {tuple(kwargs)}")
    nested = [layer.name for layer in getattr(model, "layers", []) if isinstance(layer, Model)]
    if call_function is not None or (recursive and clone_function is not None and nested):
        raise NotImplementedError(
            f"clone_model: `call_function`, and `recursive=True` with a `clone_function` on a "
            f"model with nested models ({nested}), are not supported. Received: "
            f"call_function={call_function!r}, recursive={recursive!r}."
        )
    return api.clone_model(model, input_tensors=input_tensors, clone_function=clone_function)
