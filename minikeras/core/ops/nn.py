"""Activation ops: sigmoid, the relu family, elu/selu/gelu, softplus, softsign, silu, mish, and multi_hot; EPSILON."""

import math

import numpy as np

from ..tensor import Tensor
from . import arithmetic, comparison, trigonometry
from . import elementwise as ew
from ._base import result_float, unwrap

__all__ = [
    "sigmoid",
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "softplus",
    "softsign",
    "silu",
    "swish",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "mish",
    "log_sigmoid",
    "multi_hot",
    "EPSILON",
]

EPSILON = 1e-7  # keras.config.epsilon()


def _act(op, x, fwd, grad, grad_ops=None, keep_int=False):
    """An elementwise activation: `grad(a, out)` is d out / d a from arrays; `grad_ops(x, out)`,
    when given, the same from Tensors with ops, so that gradients can be differentiated again.
    `keep_int`: integer inputs keep their dtype and bool becomes int32 (Keras 3's relu, relu6,
    hard_tanh, threshold); otherwise integer and bool inputs compute in floatx."""
    a, ta = unwrap(x, op, weak=False)
    a = np.asarray(a)
    if not keep_int or a.dtype.kind == "b":
        a = a.astype("int32") if keep_int else result_float(a)
    out = np.asarray(fwd(a), dtype=a.dtype)
    backward_ops = None
    if grad_ops is not None:

        def backward_ops(d, out):
            return (arithmetic.multiply(d, grad_ops(out._parents[0], out)),)

    return Tensor.from_op(out, (ta,), lambda d: (d * grad(a, out),), op, backward_ops)


def _float_only(op, x):
    # Keras 3 (jax: TypeError, torch: NotImplementedError) rejects integer and bool input here
    kind = np.asarray(unwrap(x, op, weak=False)[0]).dtype.kind
    if kind in "biu":
        raise TypeError(f"{op} expects a float tensor. Received: an integer or bool tensor")


def _sigmoid(a):
    if a.dtype.kind == "c":  # complex: the formula itself, as Keras on torch and jax
        return 1 / (1 + np.exp(-a))
    # exp of a non-positive number only: no overflow warnings
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def sigmoid(x):
    """Logistic sigmoid `1 / (1 + exp(-x))`, elementwise.

    Args:
        x: input tensor; integers are converted to floats.

    Returns:
        A float tensor of the same shape, in (0, 1).

    >>> import minikeras as keras
    >>> keras.ops.sigmoid([0.0]).numpy().tolist()
    [0.5]
    """
    return _act(
        "sigmoid",
        x,
        _sigmoid,
        lambda a, o: o * (1 - o),
        lambda x, o: arithmetic.multiply(o, arithmetic.subtract(1, o)),
    )


def relu(x):
    """Rectified linear unit `max(x, 0)`, elementwise.

    Args:
        x: input tensor; integer inputs keep their dtype and bool becomes int32, as in
            Keras 3.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.relu([-1.0, 2.0]).numpy().tolist()
    [0.0, 2.0]
    """
    return _act(
        "relu",
        x,
        lambda a: np.maximum(a, 0),
        lambda a, o: a > 0,
        lambda x, o: comparison.greater(x, 0),
        keep_int=True,
    )  # a step: zero gradient a.e.


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`, elementwise.

    Args:
        x: input tensor; integer inputs keep their dtype and bool becomes int32, as in
            Keras 3.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.relu6([-1.0, 3.0, 8.0]).numpy().tolist()
    [0.0, 3.0, 6.0]
    """
    if np.asarray(unwrap(x, "relu6", weak=False)[0]).dtype == bool:
        x = result_float(np.asarray(x))  # floatx for bools, as Keras on jax (torch raises)
    return _act(
        "relu6",
        x,
        lambda a: np.clip(a, 0, 6),
        lambda a, o: (a > 0) & (a < 6),
        lambda x, o: (x.data > 0) & (x.data < 6),
        keep_int=True,
    )


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0` and `negative_slope * x` otherwise.

    Args:
        x: input tensor.
        negative_slope: slope for negative inputs (Keras's default 0.2).

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.leaky_relu([-1.0, 2.0], negative_slope=0.5).numpy().tolist()
    [-0.5, 2.0]
    """
    s = negative_slope
    return _act(
        "leaky_relu",
        x,
        lambda a: np.where(a >= 0, a, s * a),
        lambda a, o: np.where(a >= 0, 1, s),
        lambda x, o: np.where(x.data >= 0, 1, s).astype(x.dtype),  # piecewise constant
    )


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0` and `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: input tensor.
        alpha: scale of the negative part.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.elu([-1.0, 2.0]).numpy().round(4))
    [-0.6321  2.    ]
    """
    return _act(
        "elu",
        x,
        lambda a: np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0))),
        lambda a, o: np.where(a > 0, 1, o + alpha),
        lambda x, o: comparison.where(x.data > 0, 1, arithmetic.add(o, alpha)),
    )


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with the self-normalising constants.

    The constants are `alpha = 1.67326324` and `scale = 1.05070098`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.selu([0.0, 1.0]).numpy().round(4))
    [0.     1.0507]
    """
    al, sc = _SELU_ALPHA, _SELU_SCALE
    return _act(
        "selu",
        x,
        lambda a: sc * np.where(a > 0, a, al * np.expm1(np.minimum(a, 0))),
        lambda a, o: np.where(a > 0, sc, o + sc * al),
        lambda x, o: comparison.where(x.data > 0, sc, arithmetic.add(o, sc * al)),
    )


def gelu(x, approximate=True):
    """Gaussian error linear unit `x * P(X <= x)` for a standard normal `X`.

    Args:
        x: input tensor.
        approximate: `True` (the Keras ops default) uses the tanh approximation,
            `False` the exact form with `erf`.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.gelu([0.0, 1.0], approximate=False).numpy().round(4))
    [0.     0.8413]
    """
    if approximate:
        c = math.sqrt(2 / math.pi)

        def fwd(a):
            return 0.5 * a * (1 + np.tanh(c * (a + 0.044715 * a**3)))

        def grad(a, o):
            t = np.tanh(c * (a + 0.044715 * a**3))
            return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * c * (1 + 3 * 0.044715 * a * a)

        def grad_ops(x, o):  # `grad` with ops
            t = trigonometry.tanh(c * (x + 0.044715 * x**3))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)

        return _act("gelu", x, fwd, grad, grad_ops)
    from .elementwise import _erf

    # exact: x * Phi(x), with the normal CDF Phi(x) = (1 + erf(x / sqrt(2))) / 2
    a, ta = unwrap(x, "gelu", weak=False)
    a = result_float(np.asarray(a))
    cdf = 0.5 * (1 + _erf(a / math.sqrt(2)))
    pdf = np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)

    def backward_ops(d, out):
        x = out._parents[0]
        cdf_x = 0.5 * (1 + ew.erf(x / math.sqrt(2)))
        return (d * (cdf_x + x * ew.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)),)

    return Tensor.from_op(a * cdf, (ta,), lambda d: (d * (cdf + a * pdf),), "gelu", backward_ops)


def softplus(x):
    """Softplus `log(1 + exp(x))`, computed without overflow.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, positive.

    >>> import minikeras as keras
    >>> print(keras.ops.softplus([0.0]).numpy().round(4))
    [0.6931]
    """
    return _act(
        "softplus",
        x,
        lambda a: np.logaddexp(0, a).astype(a.dtype),
        lambda a, o: _sigmoid(a),
        lambda x, o: sigmoid(x),
    )


def softsign(x):
    """Softsign `x / (1 + |x|)`, elementwise.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in (-1, 1).

    >>> import minikeras as keras
    >>> keras.ops.softsign([1.0, -3.0]).numpy().tolist()
    [0.5, -0.75]
    """
    return _act(
        "softsign",
        x,
        lambda a: a / (1 + np.abs(a)),
        lambda a, o: 1 / (1 + np.abs(a)) ** 2,
        lambda x, o: 1 / (1 + ew.abs(x)) ** 2,
    )


def silu(x):
    """Sigmoid linear unit `x * sigmoid(x)` (also `ops.swish`).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.silu([0.0, 1.0]).numpy().round(4))
    [0.     0.7311]
    """

    def grad(a, o):
        s = _sigmoid(a)
        return s * (1 + a * (1 - s))

    def grad_ops(x, o):
        s = sigmoid(x)
        return s * (1 + x * (1 - s))

    _float_only("silu", x)
    return _act("silu", x, lambda a: a * _sigmoid(a), grad, grad_ops)


swish = silu


def hard_sigmoid(x):
    """Piecewise-linear sigmoid `clip(x / 6 + 0.5, 0, 1)` (Keras 3; Keras 2 used `0.2 * x + 0.5`).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, in [0, 1].

    >>> import minikeras as keras
    >>> keras.ops.hard_sigmoid([-3.0, 0.0, 3.0]).numpy().tolist()
    [0.0, 0.5, 1.0]
    """
    return _act(
        "hard_sigmoid",
        x,
        lambda a: np.clip(a / 6 + 0.5, 0, 1),
        lambda a, o: np.where((a > -3) & (a < 3), 1 / 6, 0),
        lambda x, o: np.where((x.data > -3) & (x.data < 3), 1 / 6, 0).astype(x.dtype),
    )


def hard_silu(x):
    """Hard SiLU `x * hard_sigmoid(x)` (also `ops.hard_swish`).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.hard_silu([-4.0, 0.0, 3.0]).numpy().tolist()
    [-0.0, 0.0, 3.0]
    """

    def grad(a, o):
        return np.where(a <= -3, 0, np.where(a >= 3, 1, a / 3 + 0.5))

    return _act("hard_silu", x, lambda a: a * np.clip(a / 6 + 0.5, 0, 1), grad)


hard_swish = hard_silu


def mish(x):
    """Mish activation `x * tanh(softplus(x))`.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.mish([0.0, 1.0]).numpy().round(4))
    [0.     0.8651]
    """

    def grad(a, o):
        sp = np.logaddexp(0, a)
        t = np.tanh(sp)
        return t + a * (1 - t * t) * _sigmoid(a)

    return _act("mish", x, lambda a: a * np.tanh(np.logaddexp(0, a)), grad)


def log_sigmoid(x):
    """Log-sigmoid `log(sigmoid(x)) = -softplus(-x)`, computed without overflow.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, negative.

    >>> import minikeras as keras
    >>> print(keras.ops.log_sigmoid([0.0]).numpy().round(4))
    [-0.6931]
    """
    if np.asarray(unwrap(x, "log_sigmoid", weak=False)[0]).dtype == bool:
        raise TypeError("log_sigmoid expects a numeric tensor. Received: a bool tensor")
    return _act(
        "log_sigmoid",
        x,
        lambda a: -np.logaddexp(0, -a),
        lambda a, o: 1 - _sigmoid(a),
        lambda x, o: 1 - sigmoid(x),
    )


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes rows of class ids: 1 for each class that appears in the row.

    Args:
        inputs: int tensor of class ids, `(batch, n)` or `(n,)`.
        num_classes: the number of classes.
        axis: where the class axis goes before reducing over the ids.
        dtype: the dtype; `None` means `floatx`.
        sparse: accepted for Keras compatibility; results are dense.
        **kwargs: `num_tokens`, Keras 2's name for `num_classes`.

    Returns:
        A tensor of shape `(batch, num_classes)` (or `(num_classes,)`).

    >>> import minikeras as keras
    >>> keras.ops.multi_hot([[0, 2], [1, 1]], 3).numpy().tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    from .creation import one_hot
    from .reduce import max as rmax

    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot: argument `num_classes` must be specified.")
    rank = np.ndim(unwrap(inputs, "multi_hot")[0])
    return rmax(one_hot(inputs, num_classes, axis=axis, dtype=dtype), axis=1 if rank > 1 else 0)
