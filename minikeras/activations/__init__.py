"""`keras.activations`: elementwise functions built from `keras.ops`, so gradients flow.

>>> import minikeras as keras
>>> keras.activations.get("relu")([-1.0, 2.0]).numpy().tolist()
[0.0, 2.0]
"""

from ..serialization.tables import FunctionKind as _FunctionKind
from .activations import (
    relu,
    leaky_relu,
    relu6,
    sigmoid,
    hard_sigmoid,
    hard_sigmoid_keras2,
    softmax,
    log_softmax,
    tanh,
    elu,
    selu,
    gelu,
    softplus,
    softsign,
    silu,
    hard_silu,
    exponential,
    mish,
    linear,
    log_sigmoid,
    celu,
    hard_tanh,
    tanh_shrink,
    squareplus,
    glu,
    hard_shrink,
    soft_shrink,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    threshold,
)

_BUILTINS = [
    relu,
    leaky_relu,
    relu6,
    sigmoid,
    hard_sigmoid,
    softmax,
    log_softmax,
    tanh,
    elu,
    selu,
    gelu,
    softplus,
    softsign,
    silu,
    hard_silu,
    exponential,
    mish,
    linear,
    log_sigmoid,
    celu,
    hard_tanh,
    tanh_shrink,
    squareplus,
    glu,
    hard_shrink,
    soft_shrink,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    threshold,
]
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _BUILTINS}
ALL_OBJECTS_DICT.update({"swish": silu, "hard_swish": hard_silu})
_NAMES = {fn: fn.__name__ for fn in _BUILTINS}
_NAMES[hard_sigmoid_keras2] = "hard_sigmoid"

swish = silu
hard_swish = hard_silu

# one lookup for every kind of object: the serialization floor's (also registers the tables)
_KIND = _FunctionKind("activation", ALL_OBJECTS_DICT, _NAMES, default=linear)


def deserialize(config, custom_objects=None):
    """Returns an activation from its name or a Keras config dict.

    Args:
        config: a name such as `"relu"`, or a dict such as
            `{"class_name": "function", "config": "relu"}`.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        The activation function (or object).

    >>> import minikeras as keras
    >>> keras.activations.deserialize("relu") is keras.activations.relu
    True
    """
    return _KIND.deserialize(config, custom_objects)


def get(identifier):
    """Returns an activation function from a name, a config dict or a callable.

    Args:
        identifier: a name, a config dict, a callable (returned as is) or `None` (`linear`).

    Returns:
        A callable activation.

    >>> import minikeras as keras
    >>> keras.activations.get(None) is keras.activations.linear
    True
    >>> keras.activations.get("swish") is keras.activations.silu
    True
    """
    return _KIND.get(identifier)


def serialize(activation):
    """Returns the Keras name of an activation (`"relu"`), or a custom function's registered name.

    Functions of `keras.ops` with an activation's name (such as `keras.ops.relu`) serialize to
    that name, as in Keras. Callable objects with `get_config` give a Keras 3 config dict.

    Args:
        activation: the activation to serialize, or `None`.

    Returns:
        A name, a config dict, or `None` for `None`.

    >>> import minikeras as keras
    >>> keras.activations.serialize(keras.activations.relu)
    'relu'
    >>> keras.activations.serialize(keras.ops.relu)
    'relu'
    """
    return _KIND.serialize(activation)


__all__ = sorted(ALL_OBJECTS_DICT) + ["hard_sigmoid_keras2", "get", "serialize", "deserialize"]
