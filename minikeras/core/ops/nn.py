"""Neural-network ops: activations, softmax, and the numerically stable crossentropies."""

import math

import numpy as np

from ..tensor import Tensor
from ._base import result_float, unwrap

__all__ = [
    "sigmoid", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "softplus", "softsign",
    "silu", "swish", "hard_sigmoid", "hard_silu", "hard_swish", "mish", "log_sigmoid", "softmax",
    "log_softmax", "sparse_categorical_crossentropy", "categorical_crossentropy",
    "binary_crossentropy", "EPSILON",
]  # fmt: skip

EPSILON = 1e-7  # keras.config.epsilon()


def _act(op, x, fwd, grad):
    """An elementwise activation: `grad(a, out)` is d out / d a."""
    a, ta = unwrap(x, op)
    a = result_float(np.asarray(a))
    out = np.asarray(fwd(a), dtype=a.dtype)
    return Tensor.from_op(out, (ta,), lambda d: (d * grad(a, out),), op)


def _sigmoid(a):
    # exp of a non-positive number only: no overflow warnings
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def sigmoid(x):
    """Logistic function `1 / (1 + exp(-x))`."""
    return _act("sigmoid", x, _sigmoid, lambda a, o: o * (1 - o))


def relu(x):
    """`max(x, 0)`."""
    return _act("relu", x, lambda a: np.maximum(a, 0), lambda a, o: a > 0)


def relu6(x):
    """`min(max(x, 0), 6)`."""
    return _act("relu6", x, lambda a: np.clip(a, 0, 6), lambda a, o: (a > 0) & (a < 6))


def leaky_relu(x, negative_slope=0.2):
    """`x` for x >= 0, `negative_slope * x` otherwise (Keras's default slope 0.2)."""
    s = negative_slope
    return _act("leaky_relu", x, lambda a: np.where(a >= 0, a, s * a), lambda a, o: np.where(a >= 0, 1, s))


def elu(x, alpha=1.0):
    """`x` for x > 0, `alpha * (exp(x) - 1)` otherwise."""
    return _act(
        "elu",
        x,
        lambda a: np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0))),
        lambda a, o: np.where(a > 0, 1, o + alpha),
    )


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """Scaled ELU with the self-normalising constants."""
    al, sc = _SELU_ALPHA, _SELU_SCALE
    return _act(
        "selu",
        x,
        lambda a: sc * np.where(a > 0, a, al * np.expm1(np.minimum(a, 0))),
        lambda a, o: np.where(a > 0, sc, o + sc * al),
    )


def gelu(x, approximate=True):
    """Gaussian error linear unit; `approximate=True` (Keras ops default) uses the tanh form."""
    if approximate:
        c = math.sqrt(2 / math.pi)

        def fwd(a):
            return 0.5 * a * (1 + np.tanh(c * (a + 0.044715 * a**3)))

        def grad(a, o):
            t = np.tanh(c * (a + 0.044715 * a**3))
            return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * c * (1 + 3 * 0.044715 * a * a)

        return _act("gelu", x, fwd, grad)
    from math import erf

    verf = np.vectorize(erf, otypes=[np.float64])

    def fwd_exact(a):
        return 0.5 * a * (1 + verf(a / math.sqrt(2)))

    def grad_exact(a, o):
        cdf = 0.5 * (1 + verf(a / math.sqrt(2)))
        return cdf + a * np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)

    return _act("gelu", x, fwd_exact, grad_exact)


def softplus(x):
    """`log(1 + exp(x))`, computed stably."""
    return _act(
        "softplus", x, lambda a: np.logaddexp(0, a).astype(a.dtype), lambda a, o: _sigmoid(a)
    )


def softsign(x):
    """`x / (1 + |x|)`."""
    return _act("softsign", x, lambda a: a / (1 + np.abs(a)), lambda a, o: 1 / (1 + np.abs(a)) ** 2)


def silu(x):
    """`x * sigmoid(x)` (also called swish)."""

    def grad(a, o):
        s = _sigmoid(a)
        return s * (1 + a * (1 - s))

    return _act("silu", x, lambda a: a * _sigmoid(a), grad)


swish = silu


def hard_sigmoid(x):
    """Keras 3's `clip(x / 6 + 0.5, 0, 1)` (Keras 2 used `0.2 * x + 0.5`)."""
    return _act(
        "hard_sigmoid",
        x,
        lambda a: np.clip(a / 6 + 0.5, 0, 1),
        lambda a, o: np.where((a > -3) & (a < 3), 1 / 6, 0),
    )


def hard_silu(x):
    """`x * hard_sigmoid(x)`."""

    def grad(a, o):
        return np.where(a <= -3, 0, np.where(a >= 3, 1, a / 3 + 0.5))

    return _act("hard_silu", x, lambda a: a * np.clip(a / 6 + 0.5, 0, 1), grad)


hard_swish = hard_silu


def mish(x):
    """`x * tanh(softplus(x))`."""

    def grad(a, o):
        sp = np.logaddexp(0, a)
        t = np.tanh(sp)
        return t + a * (1 - t * t) * _sigmoid(a)

    return _act("mish", x, lambda a: a * np.tanh(np.logaddexp(0, a)), grad)


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return _act("log_sigmoid", x, lambda a: -np.logaddexp(0, -a), lambda a, o: 1 - _sigmoid(a))


def _softmax_array(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax(x, axis=-1):
    """Softmax along `axis` (the last by default)."""
    a, ta = unwrap(x, "softmax")
    a = result_float(np.asarray(a))
    out = _softmax_array(a, axis)

    def backward(d):
        # d softmax: s * (d - sum(d * s))
        return (out * (d - (d * out).sum(axis=axis, keepdims=True)),)

    return Tensor.from_op(out, (ta,), backward, "softmax")


def log_softmax(x, axis=-1):
    """`log(softmax(x))` along `axis`, computed stably."""
    a, ta = unwrap(x, "log_softmax")
    a = result_float(np.asarray(a))
    shifted = a - a.max(axis=axis, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

    def backward(d):
        return (d - np.exp(out) * d.sum(axis=axis, keepdims=True),)

    return Tensor.from_op(out, (ta,), backward, "log_softmax")


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample crossentropy between integer labels and class scores along `axis`.

    Labels must lie in [0, classes). From probabilities, Keras's form is used: renormalise to sum
    1, clip to [1e-7, 1 - 1e-7], take -log of the true class.
    """
    z, tz = unwrap(output, "sparse_categorical_crossentropy")
    z = result_float(np.asarray(z))
    labels = np.asarray(unwrap(target, "sparse_categorical_crossentropy")[0])
    if axis not in (-1, z.ndim - 1):
        from .shape import moveaxis

        return sparse_categorical_crossentropy(target, moveaxis(output, axis, -1), from_logits)
    if labels.ndim == z.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.shape != z.shape[:-1]:
        raise ValueError(
            "sparse_categorical_crossentropy: labels of shape "
            f"{labels.shape} do not match predictions of shape {z.shape} (expected labels of "
            f"shape {z.shape[:-1]})."
        )
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError("sparse_categorical_crossentropy: labels must be whole numbers.")
    labels = labels.astype(np.int64)
    classes = z.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels.min() if labels.min() < 0 else labels.max()
        raise ValueError(
            f"sparse_categorical_crossentropy: label {bad} is outside [0, {classes}) for "
            f"predictions with {classes} classes."
        )
    picked = labels[..., None]
    if from_logits:
        shifted = z - z.max(axis=-1, keepdims=True)
        lse = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        logp = shifted - lse
        loss = -np.take_along_axis(logp, picked, axis=-1)[..., 0]

        def backward(d):
            g = np.exp(logp)  # softmax - onehot, fused
            np.put_along_axis(g, picked, np.take_along_axis(g, picked, -1) - 1, axis=-1)
            return (g * d[..., None],)

        return Tensor.from_op(loss.astype(z.dtype), (tz,), backward, "sparse_cce_logits")
    from .elementwise import clip, divide, log, negative
    from .reduce import sum as rsum
    from .shape import take_along_axis, squeeze

    p = divide(output, rsum(output, axis=-1, keepdims=True))
    p = clip(p, EPSILON, 1 - EPSILON)
    return negative(squeeze(log(take_along_axis(p, picked, axis=-1)), -1))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample crossentropy between one-hot (or soft) targets and scores along `axis`."""
    from .elementwise import clip, divide, log, multiply, negative
    from .reduce import sum as rsum

    t = np.asarray(unwrap(target)[0])
    z = np.asarray(unwrap(output)[0])
    if t.shape != z.shape:
        raise ValueError(
            f"categorical_crossentropy: target shape {t.shape} and output shape {z.shape} must "
            "be equal (use sparse_categorical_crossentropy for integer labels)."
        )
    if from_logits:
        z, tz = unwrap(output)
        z = result_float(np.asarray(z))
        tt = t.astype(z.dtype)
        logp = z - z.max(axis=axis, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(axis=axis, keepdims=True))
        loss = -(tt * logp).sum(axis=axis)
        target_t = target if isinstance(target, Tensor) and target.requires_grad else None

        def backward(d):
            dd = np.expand_dims(d, axis)
            g = (np.exp(logp) * tt.sum(axis=axis, keepdims=True) - tt) * dd
            return (g,) if target_t is None else (g, -logp * dd)

        parents = (tz,) if target_t is None else (tz, target_t)
        return Tensor.from_op(loss, parents, backward, "cce_logits")
    p = divide(output, rsum(output, axis=axis, keepdims=True))
    p = clip(p, EPSILON, 1 - EPSILON)
    return negative(rsum(multiply(target, log(p)), axis=axis))


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy (Keras's `ops.binary_crossentropy`; no mean)."""
    from .elementwise import add, clip, log, multiply, negative, subtract

    t = np.asarray(unwrap(target)[0])
    z, tz = unwrap(output, "binary_crossentropy")
    z = result_float(np.asarray(z))
    if t.shape != z.shape:
        raise ValueError(
            f"binary_crossentropy: target shape {t.shape} and output shape {z.shape} must be equal."
        )
    if from_logits:
        tt = t.astype(z.dtype)
        # max(z, 0) - z * t + log(1 + exp(-|z|))
        loss = np.maximum(z, 0) - z * tt + np.log1p(np.exp(-np.abs(z)))
        return Tensor.from_op(
            loss.astype(z.dtype), (tz,), lambda d: (d * (_sigmoid(z) - tt),), "bce_logits"
        )
    p = clip(output, EPSILON, 1 - EPSILON)
    return negative(
        add(multiply(target, log(p)), multiply(subtract(1, target), log(subtract(1, p))))
    )
