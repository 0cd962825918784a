"""`keras.models`: Model, Sequential, and loading helpers."""

from .functional import Functional
from .model import Model
from .sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by minikeras, Keras 3 or Keras 2 (`.keras` or `.h5`)."""
    from ..saving import api

    return api.load_model(filepath, custom_objects=custom_objects, compile=compile,
                          safe_mode=safe_mode)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (untrained weights) from `model.to_json()` output."""
    from ..saving import api

    return api.model_from_json(json_string, custom_objects=custom_objects)


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """A new model with the same architecture and freshly initialised weights."""
    from ..saving import api

    return api.clone_model(model, input_tensors=input_tensors, clone_function=clone_function)
