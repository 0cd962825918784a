"""The shapes `Layer.build` receives, read from its signature as Keras 3 does.

- `build(self, input_shape)` (one argument, any name): the shape of call's first input;
- `build(self)`: nothing;
- `build(self, x_shape, y_shape)`: each `<arg>_shape` gets the shape of call's argument `<arg>`
  (None when that argument is not given); every name must end in `_shape` and name an argument
  of `call`.
"""

import inspect

import numpy as np

from ..core.tensor import Tensor
from .node import KerasTensor, flatten, map_structure

_NAMED = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)


def build_parameter_names(layer):
    """The names of `build`'s own arguments (without `self`)."""
    build = type(layer).build
    fn = getattr(build, "__wrapped__", build)
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [p.name for p in params if p.kind in _NAMED]


def _is_tensor(x):
    return isinstance(x, (KerasTensor, Tensor, np.ndarray))


def _shape(x):
    if isinstance(x, KerasTensor):
        return x.shape
    return tuple(x.shape) if _is_tensor(x) else None


def _shapes_by_call_argument(layer, args, kwargs, names):
    call_params = inspect.signature(layer.call).parameters
    try:
        bound = inspect.signature(layer.call).bind_partial(*args, **kwargs).arguments
    except TypeError:
        bound = {}
    out = {}
    for name in names:
        arg = name[: -len("_shape")] if name.endswith("_shape") else None
        if arg is None or arg not in call_params:
            raise ValueError(
                f"Layer '{type(layer).__name__}': a `build()` with more than one argument takes "
                "one `<arg>_shape` per argument of `call()` (e.g. `build(self, a_shape, "
                f"b_shape)` for `call(self, a, b)`). Received `build()` argument `{name}`; "
                f"`call()` takes {[n for n in call_params if n not in ('args', 'kwargs')]}."
            )
        value = bound.get(arg)
        if arg != "mask" and value is not None and any(_is_tensor(t) for t in flatten(value)):
            out[name] = map_structure(_shape, value)
    return out


def call_build(layer, first_shapes, args=(), kwargs=None):
    """Calls `layer.build` with what its signature asks for (see the module docstring)."""
    names = build_parameter_names(layer)
    if len(names) == 1:
        layer.build(first_shapes)
    elif not names:
        layer.build()
    else:
        layer.build(**_shapes_by_call_argument(layer, args, kwargs or {}, names))
