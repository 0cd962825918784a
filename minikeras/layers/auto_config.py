"""Keras 3's automatic config: a layer subclass that does not define `get_config` saves the
arguments it was constructed with, when they are all plain values (str, int, float, bool, None,
nested in lists, tuples and dicts). `Layer.__new__` keeps them; `Layer.get_config` binds and
merges them, or raises Keras's NotImplementedError when they cannot be kept."""

import inspect
import textwrap

from .. import tree

_PLAIN = (str, int, float, bool, type(None))
_SIGNATURES = {}  # __init__ function -> (signature, argspec): inspect is slow, layers are many


def _signature(init):
    found = _SIGNATURES.get(init)
    if found is None:
        found = _SIGNATURES[init] = (inspect.signature(init), inspect.getfullargspec(init))
    return found


def capture(cls, args, kwargs):
    """`(config, error_args)` for `cls(*args, **kwargs)`, as Keras's `Operation.__new__`: the bound
    arguments with defaults applied, `**kwargs` expanded, `self` and `name` dropped, or None when
    they do not bind, are not all plain values, or include positional-only or `*args` ones
    (`error_args` then True, for the error message)."""
    signature, argspec = _signature(cls.__init__)
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None, False
    self_name = argspec.args[0] if argspec.args else None
    if any(
        p.kind == inspect.Parameter.POSITIONAL_ONLY
        for name, p in signature.parameters.items()
        if name != self_name
    ):
        return None, True  # cls(**config) could not pass them back
    bound.apply_defaults()
    config = dict(bound.arguments)
    config.update(config.pop(argspec.varkw, None) or {})
    config.pop(self_name, None)
    config.pop("name", None)
    if argspec.varargs is not None and len(config.pop(argspec.varargs)) > 0:
        return None, True
    try:
        if not all(isinstance(v, _PLAIN) for v in tree.flatten(config)):
            return None, False
    except TypeError:
        return None, False
    return config, False


def merge(layer, config):
    """`config` (the layer's name) updated with its captured arguments, for a class without its
    own `get_config`; Keras's NotImplementedError when there are none to use."""
    args, kwargs = getattr(layer, "_constructor_arguments", ((), {}))
    captured, error_args = capture(type(layer), args, kwargs)
    if captured is not None:
        config.update(captured)
        params = inspect.signature(layer.__init__).parameters
        takes_kwargs = "kwargs" in params and params["kwargs"].kind == inspect.Parameter.VAR_KEYWORD
        if "name" not in params and not takes_kwargs:
            config.pop("name", None)  # __init__ could not take it back
        return config
    name = type(layer).__name__
    if error_args:
        why = (
            "positional only or variadic positional arguments (e.g., `*args`) to `__init__()`, "
            "which is not supported by the automatic config generation. Please remove all "
            "positional only and variadic arguments from `__init__()` or override "
            "`get_config()` and `from_config()` to make the object serializable."
        )
    else:
        why = (
            "non-serializable argument values in `__init__()`, and therefore the object must "
            "override `get_config()` in order to be serializable. Please implement "
            "`get_config()`."
        )
    example = """
        class CustomLayer(keras.layers.Layer):
            def __init__(self, arg1, arg2, **kwargs):
                super().__init__(**kwargs)
                self.arg1 = arg1
                self.arg2 = arg2

            def get_config(self):
                config = super().get_config()
                config.update({"arg1": self.arg1, "arg2": self.arg2})
                return config
    """
    raise NotImplementedError(
        f"Object {name} was created by passing {why}\n\nExample:\n{textwrap.dedent(example)}"
    )
