"""More activation ops (Keras 3.5+): celu, hard_tanh, the shrinks, squareplus, sparse_plus, sparse_sigmoid, threshold."""

import numpy as np

from .nn import _act

__all__ = [
    "sparse_sigmoid",
    "celu",
    "hard_tanh",
    "hard_shrink",
    "soft_shrink",
    "tanh_shrink",
    "squareplus",
    "sparse_plus",
    "threshold",
]


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * min(exp(x / alpha) - 1, 0)`.

    Args:
        x: input tensor.
        alpha: scale of the negative part.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.celu([-1.0, 2.0]).numpy().round(4))
    [-0.6321  2.    ]
    """
    return _act(
        "celu",
        x,
        lambda a: np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0) / alpha)),
        lambda a, o: np.where(a > 0, 1, np.exp(np.minimum(a, 0) / alpha)),
    )


def hard_tanh(x):
    """Hard tanh `clip(x, -1, 1)`, elementwise.

    Args:
        x: input tensor; integer inputs keep their dtype and bool becomes int32, as in
            Keras 3.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.hard_tanh([-2.0, 0.5, 2.0]).numpy().tolist()
    [-1.0, 0.5, 1.0]
    """
    return _act(
        "hard_tanh", x, lambda a: np.clip(a, -1, 1), lambda a, o: (a > -1) & (a < 1), keep_int=True
    )


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, else 0.

    Args:
        x: input tensor.
        threshold: the cut-off.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.hard_shrink([-1.0, 0.25, 1.0]).numpy().tolist()
    [-1.0, 0.0, 1.0]
    """
    t = threshold
    return _act(
        "hard_shrink", x, lambda a: np.where(np.abs(a) > t, a, 0), lambda a, o: np.abs(a) > t
    )


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x` moved `threshold` towards 0, and 0 where `|x| <= threshold`.

    Args:
        x: input tensor.
        threshold: the shrink amount.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.soft_shrink([-1.0, 0.25, 1.0]).numpy().tolist()
    [-0.5, 0.0, 0.5]
    """
    t = threshold
    return _act(
        "soft_shrink",
        x,
        lambda a: np.where(a > t, a - t, np.where(a < -t, a + t, 0)),
        lambda a, o: np.abs(a) > t,
    )


def tanh_shrink(x):
    """Tanh shrinkage `x - tanh(x)`, elementwise.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.tanh_shrink([0.0, 1.0]).numpy().round(4))
    [0.     0.2384]
    """
    return _act("tanh_shrink", x, lambda a: a - np.tanh(a), lambda a, o: np.tanh(a) ** 2)


def squareplus(x, b=4):
    """Squareplus `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: input tensor.
        b: smoothness (> 0); `b = 0` would give ReLU.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.squareplus([0.0], b=4).numpy().tolist()
    [1.0]
    """
    return _act(
        "squareplus",
        x,
        lambda a: (a + np.sqrt(a * a + b)) / 2,
        lambda a, o: 0.5 * (1 + a / np.sqrt(a * a + b)),
    )


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, and `x` for `x >= 1`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sparse_plus([-2.0, 0.0, 2.0]).numpy().tolist()
    [0.0, 0.25, 2.0]
    """
    return _act(
        "sparse_plus",
        x,
        lambda a: np.where(a <= -1, 0, np.where(a >= 1, a, 0.25 * (a + 1) ** 2)),
        lambda a, o: np.where(a <= -1, 0, np.where(a >= 1, 1, 0.5 * (a + 1))),
    )


def sparse_sigmoid(x):
    """SparseSigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, and 1 for `x >= 1`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.sparse_sigmoid([-2.0, 0.0, 0.5, 2.0]).numpy().tolist()
    [0.0, 0.5, 0.75, 1.0]
    """
    return _act(
        "sparse_sigmoid",
        x,
        lambda a: np.clip(0.5 * (a + 1), 0, 1),
        lambda a, o: np.where((a > -1) & (a < 1), 0.5, 0.0),
    )


def threshold(x, threshold, default_value):
    """Keeps `x` where `x > threshold` and uses `default_value` elsewhere.

    Args:
        x: input tensor; integer inputs keep their dtype and bool becomes int32, as in
            Keras 3.
        threshold: the cut-off.
        default_value: the value for entries at or below `threshold`.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.threshold([1.0, 5.0], 2.0, 0.0).numpy().tolist()
    [0.0, 5.0]
    """
    t, v = threshold, default_value
    return _act("threshold", x, lambda a: np.where(a > t, a, v), lambda a, o: a > t, keep_int=True)
