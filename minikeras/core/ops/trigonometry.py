"""Trigonometric and hyperbolic ops: sin, cos, tan, their inverses, sinh, cosh, tanh, arctan2."""

import numpy as np

from ..tensor import Tensor
from ._base import keras_dtype
from ._elementwise_base import _binary, _float_of_ints, _unary
from .arithmetic import multiply, negative, subtract
from .elementwise import square

__all__ = [
    "tanh",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "arcsinh",
    "arccosh",
    "arctanh",
]


def tanh(x):
    """Elementwise hyperbolic tangent.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.ops.tanh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "tanh",
        x,
        np.tanh,
        lambda a, o, d: d * (1 - o * o),
        lambda x, o, d: multiply(d, subtract(1, square(o))),
    )


def sin(x):
    """Elementwise sine (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sin([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary(
        "sin", x, np.sin, lambda a, o, d: d * np.cos(a), lambda x, o, d: multiply(d, cos(x))
    )


def cos(x):
    """Elementwise cosine (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.cos([0.0]).numpy().tolist()
    [1.0]
    """
    return _unary(
        "cos",
        x,
        np.cos,
        lambda a, o, d: -d * np.sin(a),
        lambda x, o, d: multiply(negative(d), sin(x)),
    )


def tan(x):
    """Elementwise tangent (radians).

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.tan([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("tan", x, np.tan, lambda a, o, d: d * (1 + o * o))


def sinh(x):
    """Elementwise hyperbolic sine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sinh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("sinh", x, np.sinh, lambda a, o, d: d * np.cosh(a))


def cosh(x):
    """Elementwise hyperbolic cosine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.cosh([0.0]).numpy().tolist()
    [1.0]
    """
    return _unary("cosh", x, np.cosh, lambda a, o, d: d * np.sinh(a))


def arcsin(x):
    """Elementwise inverse sine, in radians.

    Args:
        x: input tensor with values in [-1, 1]; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in [-pi/2, pi/2].

    >>> import minikeras as keras
    >>> keras.ops.arcsin([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arcsin", x, np.arcsin, lambda a, o, d: d / np.sqrt(1 - a * a))


def arccos(x):
    """Elementwise inverse cosine, in radians.

    Args:
        x: input tensor with values in [-1, 1]; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in [0, pi].

    >>> import minikeras as keras
    >>> keras.ops.arccos([1.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arccos", x, np.arccos, lambda a, o, d: -d / np.sqrt(1 - a * a))


def arctan(x):
    """Elementwise inverse tangent, in radians.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (-pi/2, pi/2).

    >>> import minikeras as keras
    >>> keras.ops.arctan([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arctan", x, np.arctan, lambda a, o, d: d / (1 + a * a))


def arcsinh(x):
    """Elementwise inverse hyperbolic sine.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arcsinh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arcsinh", x, np.arcsinh, lambda a, o, d: d / np.sqrt(a * a + 1))


def arccosh(x):
    """Elementwise inverse hyperbolic cosine.

    Args:
        x: input tensor with values >= 1; integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arccosh([1.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arccosh", x, np.arccosh, lambda a, o, d: d / np.sqrt(a * a - 1))


def arctanh(x):
    """Elementwise inverse hyperbolic tangent.

    Args:
        x: input tensor with values in (-1, 1); integers are converted to floats.

    Returns:
        A float tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.arctanh([0.0]).numpy().tolist()
    [0.0]
    """
    return _unary("arctanh", x, np.arctanh, lambda a, o, d: d / (1 - a * a))


@keras_dtype(float, weak=False)
def arctan2(x1, x2):
    """Elementwise angle of the point `(x2, x1)`: `arctan(x1 / x2)` in the right quadrant.

    Args:
        x1: the y coordinates.
        x2: the x coordinates (broadcast against `x1`).

    Returns:
        A float tensor of angles in [-pi, pi].

    >>> import minikeras as keras
    >>> keras.ops.arctan2([0.0], [1.0]).numpy().tolist()
    [0.0]
    """
    y, x, ta, tb, out = _binary("arctan2", x1, x2, np.arctan2)
    out = _float_of_ints(out, x, y)

    def backward(d):
        r2 = np.square(x) + np.square(y)  # d/dy = x / r2, d/dx = -y / r2
        return d * x / r2, -d * y / r2

    return Tensor.from_op(out, (ta, tb), backward, "arctan2")
