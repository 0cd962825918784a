"""Operation nodes: `keras.ops` functions applied to KerasTensors inside a functional model."""

import inspect

from ...core import ops as ops_module
from ...utils import naming
from ..layer import Layer
from . import op_names

_MISSING = object()


def _op_function(op_name):
    """The raw (non-dispatching) `keras.ops` function called `op_name` ("image.resize" ok)."""
    fn = ops_module
    for part in op_name.split("."):
        fn = getattr(fn, part, None)
        if fn is None:
            raise ValueError(f"OpLayer: unknown keras.ops function '{op_name}'.")
    return getattr(fn, "_raw", fn)


def _has_symbolic(value):
    if hasattr(value, "_keras_history"):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_has_symbolic(v) for v in value.values())
    return False


def _same(a, b):
    try:
        return a is b or (type(a) is type(b) and bool(a == b))
    except Exception:  # noqa: BLE001 - arrays and other values without a plain truth value
        return False


class OpLayer(Layer):
    """Wraps one `keras.ops` call on symbolic tensors so the functional graph can replay it.

    Calling a `keras.ops` function on KerasTensors creates one. It is not listed in
    `model.layers`, like Keras 3's operation nodes (`NotEqual`, `Add`, ...). As Keras 3's
    `Operation`s do, it splits the function's arguments: those Keras 3 gives the op's constructor
    (`size` of `image.resize`, `axis` of `mean`, ...) become its config (`op_kwargs`), the others
    (the tensors) are the arguments of its call, in the order of the Keras op's `call`
    (`op_names.OPS`); configs are saved under Keras's class names (`Resize`, `FFT2`, ...).

    Args:
        op_name: the name of the `keras.ops` function (`"mean"`, `"image.resize"`).
        kwargs: the op's constructor arguments, saved in the config.
        name: the layer's name (default: Keras's name for the op, e.g. "get_item", made unique).
        keras_call: True when calls pass the Keras op's call arguments (as the graph records
            them); False (default) when they pass the function's arguments, all positional ones
            included (`OpLayer("mean")(x, 1)`).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.OpLayer("add")(np.ones(2, "float32"), np.ones(2, "float32")).numpy().tolist()
    [2.0, 2.0]
    >>> x = keras.Input((3,))
    >>> [type(layer).__name__ for layer in keras.Model(x, keras.ops.relu(x)).layers]
    ['InputLayer']
    >>> layer = keras.ops.mean(x, axis=-1)._keras_history[0]
    >>> layer.name.startswith("mean"), layer.op_kwargs
    (True, {'axis': -1, 'keepdims': False})
    """

    _takes_python_values = True  # `2 - x` records the op with the plain 2 as an argument

    _is_operation = True

    def __init__(self, op_name, kwargs=None, name=None, keras_call=False, **base):
        fn = _op_function(op_name)
        spec = op_names.keras_op(op_name)
        # Keras names an operation after its class: "GetItem" -> "get_item", "FFT2" -> "fft2"
        default = naming.to_snake_case(spec[1]) if spec else op_name.rsplit(".", 1)[-1]
        super().__init__(name=name or naming.uniquify(default), **base)
        self.op_name = op_name
        self.op_kwargs = dict(kwargs or {})
        self.built = True
        self._call_has_mask = False
        self._fn = fn
        self._spec = spec
        self._keras_call = keras_call

    def build(self, input_shape):
        self.built = True

    # ---- function arguments -> (constructor arguments, call arguments) ------------------------

    @classmethod
    def from_function_call(cls, op_name, args, kwargs, name=None):
        """`(layer, call_args, call_kwargs)` for `keras.ops.<op_name>(*args, **kwargs)` as Keras
        3 builds it: the constructor arguments become the layer's config, `layer(*call_args,
        **call_kwargs)` records the node. Ops Keras lacks keep all arguments in the call."""
        if op_names.keras_op(op_name) is None:
            return cls(op_name, name=name), args, kwargs
        layer = cls(op_name, name=name, keras_call=True)
        config, call_args, call_kwargs = layer._split(args, kwargs)
        layer.op_kwargs = config
        return layer, call_args, call_kwargs

    def function_call_arguments(self, args, kwargs):
        """`(call_args, call_kwargs)` to call this layer as `keras.ops.<op_name>(*args,
        **kwargs)`: constructor arguments other than its config go by keyword (minikeras only)."""
        if self._spec is None or not self._keras_call:
            return args, kwargs
        config, call_args, call_kwargs = self._split(args, kwargs)
        for p, value in config.items():
            if not _same(self.op_kwargs.get(p, _MISSING), value):
                call_kwargs[p] = value
        return call_args, call_kwargs

    def _split(self, args, kwargs):
        """The function's arguments split as Keras 3 splits them between its op's constructor
        and call: `(config, call_args, call_kwargs)`. A tensor in a constructor argument's
        place stays in the call (by keyword); a minikeras-only argument joins the config unless
        it is at its default."""
        sig = inspect.signature(self._fn)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            self._fn(*args, **kwargs)  # raises the op's own TypeError
            raise
        given = bound.arguments
        params = sig.parameters

        def default(p):
            d = params[p].default if p in params else inspect.Parameter.empty
            return _MISSING if d is inspect.Parameter.empty else d

        _, _, init, call = self._spec
        config, used = {}, set()
        for p in init:  # Keras's auto-config holds every constructor argument, defaults too
            value = given.get(p, _MISSING)
            if value is _MISSING:
                value = default(p)
            if value is not _MISSING and not _has_symbolic(value):
                config[p] = value
                used.add(p)
        call_args, call_kwargs = [], {}
        for c in call:  # Keras passes the call arguments it names, defaults too
            if c.startswith("*"):
                call_args.extend(given.get(c[1:], ()))
                used.add(c[1:])
                continue
            p = c.rstrip("=")
            value = given.get(p, _MISSING)
            if value is _MISSING:
                value = default(p)
            used.add(p)
            if value is _MISSING:
                continue
            if c.endswith("="):
                call_kwargs[p] = value
            else:
                call_args.append(value)
        for p, value in given.items():
            if p in used:
                continue
            if params[p].kind is inspect.Parameter.VAR_KEYWORD:
                call_kwargs.update(value)
            elif _has_symbolic(value):
                call_kwargs[p] = value
            elif not _same(value, default(p)):
                config[p] = value
        return config, call_args, call_kwargs

    # ---- Keras call arguments -> the function ---------------------------------------------------

    def _function_arguments(self, args, kwargs):
        """Named arguments (and trailing positional ones for a `*name` argument) for the
        function, from the op's call arguments and `op_kwargs`."""
        named, rest, star = dict(self.op_kwargs), [], None
        names = [c for c in self._spec[3] if not c.endswith("=")]
        i = 0
        for c in names:
            if c.startswith("*"):
                star = c[1:]
                break
            if i < len(args):
                named[c] = args[i]
                i += 1
        rest = list(args[i:])
        if rest and star is None:
            raise TypeError(
                f"Operation '{self.name}' ({self.op_name}) takes at most {len(names)} positional "
                f"arguments ({', '.join(names)}) as Keras's op does; received {len(args)}."
            )
        named.update(kwargs)
        for p, keras_default in op_names.KERAS_ONLY_ARGS.get(self.op_name, {}).items():
            if p in named and not _same(named.pop(p), keras_default):
                raise ValueError(
                    f"Operation '{self.name}' ({self.op_name}): minikeras supports only "
                    f"{p}={keras_default!r}."
                )
        if self.op_name == "getitem" and isinstance(named.get("key"), list):
            named["key"] = tuple(named["key"])  # JSON made the key a list; Keras's GetItem too
        return named, rest, star

    def call(self, *args, **kwargs):
        if self._spec is None or not self._keras_call:
            return self._fn(*args, **{**self.op_kwargs, **kwargs})
        named, rest, star = self._function_arguments(args, kwargs)
        if star is None:
            return self._fn(**named)
        lead = []  # arguments before `*name` can only be passed by position
        for p in inspect.signature(self._fn).parameters.values():
            if p.kind is inspect.Parameter.VAR_POSITIONAL:
                break
            lead.append(named.pop(p.name, p.default))
        return self._fn(*lead, *rest, **named)

    def get_config(self):
        # functional configs write Keras's entry instead (saving/model_config.py `_op_entry`)
        return {
            "name": self.name,
            "op_name": self.op_name,
            "kwargs": self.op_kwargs,
            "keras_call": self._keras_call,
        }


def _symbolic_op(name, fn, args, kwargs):
    layer, call_args, call_kwargs = OpLayer.from_function_call(name, args, kwargs)
    return layer(*call_args, **call_kwargs)


ops_module._base.set_symbolic_hook(_symbolic_op)
