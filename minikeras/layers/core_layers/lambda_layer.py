"""`Lambda`: wraps a Python function of tensors as a layer (in-memory use)."""

import inspect

import numpy as np

from ... import activations
from ...core.tensor import Tensor
from ...serialization.registry import get_registered_name, get_registered_object
from ..layer import Layer


def _function_name(fn):
    """The name a function is saved under: its registered name if any, else `__name__`."""
    try:
        return get_registered_name(fn)
    except (AttributeError, TypeError):
        pass
    raw = getattr(fn, "_raw", fn)
    return getattr(raw, "__name__", type(fn).__name__)


def _resolve_function(spec, custom_objects=None, what="function"):
    """A callable from a saved name (or Keras's `{"class_name": "function", ...}` dict)."""
    if callable(spec):
        return spec
    if isinstance(spec, dict):
        if spec.get("class_name") == "__lambda__":
            raise ValueError(
                f"Lambda: the saved `{what}` is Python bytecode of an anonymous lambda. "
                "minikeras never loads bytecode; rebuild the layer in code, or use a named "
                "function registered with `keras.saving.register_keras_serializable()`."
            )
        name = spec.get("registered_name")  # Keras 3 writes "function" here, the name in config
        spec = name if name and name != "function" else spec.get("config")
    if not isinstance(spec, str):
        raise ValueError(f"Lambda: cannot interpret the saved `{what}`: {spec!r}")
    found = (custom_objects or {}).get(spec)
    if found is None:
        found = get_registered_object(spec)
    if found is None:
        found = activations.ALL_OBJECTS_DICT.get(spec)
    if found is None:
        from ...core import ops

        found = getattr(ops, spec, None) if not spec.startswith("_") else None
    if found is None:
        raise ValueError(
            f"Lambda: unknown {what} {spec!r}. Register it with "
            "`@keras.saving.register_keras_serializable()` or pass it in `custom_objects`; "
            "anonymous lambdas cannot be rebuilt from a config."
        )
    return found


def _wants(fn, name):
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False


class Lambda(Layer):
    """Wraps `function(inputs, **arguments)` as a layer.

    Args:
        function: a callable taking the input tensor(s) first; if it declares `mask` or
            `training` parameters, it receives them.
        output_shape: optional shape without the batch axis (or a function of the input
            shape); when omitted it is inferred by tracing the function.
        mask: None (no output mask), a function `(inputs, mask) -> mask`, or a fixed mask.
        arguments: optional keyword arguments passed to `function`.

    Saving: `get_config()` stores the function by name (its registered name, see
    `keras.saving.register_keras_serializable`, else `__name__`); `from_config` looks the name
    up in `custom_objects`, the saving registry, `keras.activations` and `keras.ops`. Python
    bytecode is never written nor read (no marshal/pickle), so anonymous lambdas work in memory
    only. Saving whole models with Lambda layers is the saving module's concern.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Lambda(lambda x: x * 2)(np.ones((1, 2), "float32")).numpy().tolist()
    [[2.0, 2.0]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda expects a callable `function`. Received: {function!r}")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        if isinstance(output_shape, list):
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        self._fn_expects_mask = _wants(function, "mask")
        self._fn_expects_training = _wants(function, "training")

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask:
            kwargs["mask"] = mask
        if self._fn_expects_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        if self.mask is None or isinstance(self.mask, Tensor):
            return self.mask
        return Tensor(np.asarray(self.mask, dtype=bool))

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = input_shape[0][0] if isinstance(input_shape[0], (tuple, list)) else input_shape[0]
        return (batch,) + tuple(self._output_shape)

    def get_config(self):
        config = {**super().get_config(), "function": _function_name(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (
                _function_name(self._output_shape)
                if callable(self._output_shape)
                else list(self._output_shape)
            )
        if self.mask is not None:
            config["mask"] = (
                _function_name(self.mask) if callable(self.mask) else np.asarray(self.mask).tolist()
            )
        config["arguments"] = {
            k: (np.asarray(v).tolist() if isinstance(v, (np.ndarray, Tensor)) else v)
            for k, v in self.arguments.items()
        }
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["function"] = _resolve_function(config["function"], custom_objects)
        shape = config.get("output_shape")
        if isinstance(shape, (str, dict)):
            config["output_shape"] = _resolve_function(shape, custom_objects, "output_shape")
        mask = config.get("mask")
        if isinstance(mask, (str, dict)):
            config["mask"] = _resolve_function(mask, custom_objects, "mask")
        return cls(**config)
