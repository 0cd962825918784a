"""`keras.activations`: elementwise functions built from `keras.ops`, so gradients flow.

>>> import minikeras as keras
>>> keras.activations.get("relu")([-1.0, 2.0]).numpy().tolist()
[0.0, 2.0]
"""

import types

from .core import ops
from .initializers import _lookup, _object_to_config, _registered_name


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with Keras's options.

    Returns `max_value` for x >= max_value, x for threshold < x < max_value (0 where x <=
    threshold when there is no slope) and `negative_slope * (x - threshold)` below threshold.
    """
    if negative_slope != 0 and max_value is None and threshold == 0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    if threshold != 0:
        out = ops.where(ops.greater(x, threshold), x, 0.0)
    elif max_value == 6:
        out, max_value = ops.relu6(x), None
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0, max_value)
    if negative_slope != 0:
        out = ops.subtract(out, ops.multiply(ops.relu(ops.subtract(threshold, x)), negative_slope))
    return out


def leaky_relu(x, negative_slope=0.2):
    """x for x >= 0, `negative_slope * x` below."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """`min(max(x, 0), 6)`."""
    return ops.relu6(x)


def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Keras 3's piecewise-linear sigmoid `clip(x / 6 + 0.5, 0, 1)`."""
    return ops.hard_sigmoid(x)


def hard_sigmoid_keras2(x):
    """Keras 2's `hard_sigmoid`, `clip(0.2 * x + 0.5, 0, 1)`, for files written by Keras 2.

    `get("hard_sigmoid")` gives the Keras 3 function; loaders pick this one by keras_version.
    `serialize` writes it as `"hard_sigmoid"`, the name Keras 2 gave it.
    """
    return ops.clip(ops.add(ops.multiply(x, 0.2), 0.5), 0.0, 1.0)


def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis`."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """`log(softmax(x))`, computed stably."""
    return ops.log_softmax(x, axis=axis)


def tanh(x):
    return ops.tanh(x)


def elu(x, alpha=1.0):
    """x for x > 0, `alpha * (exp(x) - 1)` otherwise."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """`scale * elu(x, alpha)` with the self-normalising constants."""
    return ops.selu(x)


def gelu(x, approximate=False):
    """`x * Phi(x)` (exact erf form by default, as `keras.activations.gelu`)."""
    return ops.gelu(x, approximate=approximate)


def softplus(x):
    """`log(exp(x) + 1)`."""
    return ops.softplus(x)


def softsign(x):
    """`x / (|x| + 1)`."""
    return ops.softsign(x)


def silu(x):
    """`x * sigmoid(x)` (also called swish)."""
    return ops.silu(x)


def hard_silu(x):
    """`x * hard_sigmoid(x)` (also called hard_swish)."""
    return ops.hard_silu(x)


def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


def mish(x):
    """`x * tanh(softplus(x))`."""
    return ops.mish(x)


def linear(x):
    """The identity: returns `x` unchanged."""
    return x


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return ops.log_sigmoid(x)


def celu(x, alpha=1.0):
    """`max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`, which is `alpha * elu(x / alpha)`."""
    return ops.multiply(ops.elu(ops.divide(x, alpha)), alpha)


def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return ops.clip(x, -1.0, 1.0)


def tanh_shrink(x):
    """`x - tanh(x)`."""
    return ops.subtract(x, ops.tanh(x))


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    return ops.divide(ops.add(x, ops.sqrt(ops.add(ops.square(x), b))), 2.0)


_BUILTINS = [relu, leaky_relu, relu6, sigmoid, hard_sigmoid, softmax, log_softmax, tanh, elu,
             selu, gelu, softplus, softsign, silu, hard_silu, exponential, mish, linear,
             log_sigmoid, celu, hard_tanh, tanh_shrink, squareplus]  # fmt: skip
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _BUILTINS}
ALL_OBJECTS_DICT.update({"swish": silu, "hard_swish": hard_silu})
_NAMES = {fn: fn.__name__ for fn in _BUILTINS}
_NAMES[hard_sigmoid_keras2] = "hard_sigmoid"

swish = silu
hard_swish = hard_silu


def deserialize(config, custom_objects=None):
    """An activation from its name or a Keras config dict (`{"class_name": "function", ...}`)."""
    if isinstance(config, dict):
        if config.get("class_name") == "function" or "class_name" not in config:
            name = config.get("registered_name") or config.get("config")
            return deserialize(name, custom_objects)
        names = [n for n in (config.get("registered_name"), config["class_name"]) if n]
        found = _lookup(names, ALL_OBJECTS_DICT, "activation", custom_objects)
        return found.from_config(config.get("config") or {}) if isinstance(found, type) else found
    if not isinstance(config, str):
        raise ValueError(f"Expected an activation name or config dict. Received: {config!r}")
    return _lookup([config], ALL_OBJECTS_DICT, "activation function", custom_objects)


def get(identifier):
    """An activation function from a name, a config dict or a callable; None gives `linear`."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """The Keras name of an activation (`"relu"`), or a custom function's registered name.

    Functions of `keras.ops` with an activation's name (such as `keras.ops.relu`) serialize to
    that name, as in Keras. Callable objects with `get_config` give a Keras 3 config dict.
    None gives None.
    """
    if activation is None:
        return None
    try:
        return _NAMES[activation]
    except (KeyError, TypeError):  # TypeError: an unhashable callable object
        pass
    registered = _registered_name(activation)
    if registered is not None:
        return registered
    raw = getattr(activation, "_raw", activation)  # keras.ops functions are dispatch wrappers
    name = getattr(raw, "__name__", None)
    if name in ALL_OBJECTS_DICT and getattr(raw, "__module__", "").startswith("minikeras."):
        return name
    if not isinstance(activation, types.FunctionType) and hasattr(activation, "get_config"):
        return _object_to_config(activation, None, {}, "activation")
    raise ValueError(
        f"Cannot serialize activation {activation!r}: it is not a keras.activations function. "
        "Register it with `@keras.saving.register_keras_serializable()` to save it by name."
    )


__all__ = sorted(ALL_OBJECTS_DICT) + ["hard_sigmoid_keras2", "get", "serialize", "deserialize"]
