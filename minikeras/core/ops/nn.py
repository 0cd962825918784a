"""Neural-network ops: activations, softmax, and the numerically stable crossentropies."""

import math

import numpy as np

from ..tensor import Tensor
from ._base import result_float, unwrap

__all__ = [
    "sigmoid", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "softplus", "softsign",
    "silu", "swish", "hard_sigmoid", "hard_silu", "hard_swish", "mish", "log_sigmoid", "softmax",
    "log_softmax", "sparse_categorical_crossentropy", "categorical_crossentropy",
    "binary_crossentropy", "celu", "glu", "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink",
    "squareplus", "sparse_plus", "threshold", "moments", "normalize", "batch_normalization",
    "multi_hot", "EPSILON",
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
    return _act(
        "leaky_relu", x, lambda a: np.where(a >= 0, a, s * a), lambda a, o: np.where(a >= 0, 1, s)
    )


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
    from .elementwise import _erf

    # exact: x * Phi(x), with the normal CDF Phi(x) = (1 + erf(x / sqrt(2))) / 2
    a, ta = unwrap(x, "gelu")
    a = result_float(np.asarray(a))
    cdf = 0.5 * (1 + _erf(a / math.sqrt(2)))
    pdf = np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
    return Tensor.from_op(a * cdf, (ta,), lambda d: (d * (cdf + a * pdf),), "gelu")


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


def _as_target(target, dtype, op):
    """Targets take the predictions' float dtype; a target that needs a gradient keeps it."""
    if isinstance(target, Tensor) and target.requires_grad:
        from .shape import cast

        return cast(target, dtype)
    return Tensor(np.asarray(unwrap(target, op)[0]).astype(dtype))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample crossentropy between one-hot (or soft) targets and scores along `axis`.

    From probabilities, Keras's form: renormalise to sum 1, clip to [1e-7, 1 - 1e-7], then
    `-sum(target * log(p))`.
    """
    from .elementwise import clip, divide, log, multiply, negative
    from .reduce import sum as rsum

    z, tz = unwrap(output, "categorical_crossentropy")
    z = result_float(np.asarray(z))
    t = _as_target(target, z.dtype, "categorical_crossentropy")
    if t.shape != z.shape:
        raise ValueError(
            f"categorical_crossentropy: target shape {t.shape} and output shape {z.shape} must "
            "be equal (use sparse_categorical_crossentropy for integer labels)."
        )
    if not from_logits:
        p = divide(output, rsum(output, axis=axis, keepdims=True))
        p = clip(p, EPSILON, 1 - EPSILON)
        return negative(rsum(multiply(t, log(p)), axis=axis))
    tt = t.data
    logp = z - z.max(axis=axis, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=axis, keepdims=True))
    loss = -(tt * logp).sum(axis=axis)

    def backward(d):
        dd = np.expand_dims(d, axis)
        # d/dz = softmax(z) * sum(t) - t (sum(t) = 1 for one-hot targets); d/dt = -log_softmax
        return (np.exp(logp) * tt.sum(axis=axis, keepdims=True) - tt) * dd, -logp * dd

    return Tensor.from_op(loss, (tz, t), backward, "cce_logits")


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy (Keras's `ops.binary_crossentropy`; no mean).

    From probabilities: clip to [1e-7, 1 - 1e-7], then `-(t log p + (1 - t) log(1 - p))`.
    """
    from .elementwise import add, clip, log, multiply, negative, subtract

    z, tz = unwrap(output, "binary_crossentropy")
    z = result_float(np.asarray(z))
    t = _as_target(target, z.dtype, "binary_crossentropy")
    if t.shape != z.shape:
        raise ValueError(
            f"binary_crossentropy: target shape {t.shape} and output shape {z.shape} must be equal."
        )
    if from_logits:
        tt = t.data
        # max(z, 0) - z * t + log(1 + exp(-|z|)), the stable form of the same loss
        loss = np.maximum(z, 0) - z * tt + np.log1p(np.exp(-np.abs(z)))
        return Tensor.from_op(
            loss, (tz, t), lambda d: (d * (_sigmoid(z) - tt), -d * z), "bce_logits"
        )
    p = clip(output, EPSILON, 1 - EPSILON)
    return negative(add(multiply(t, log(p)), multiply(subtract(1, t), log(subtract(1, p)))))


def celu(x, alpha=1.0):
    """`max(x, 0) + alpha * min(exp(x / alpha) - 1, 0)`."""
    return _act(
        "celu",
        x,
        lambda a: np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0) / alpha)),
        lambda a, o: np.where(a > 0, 1, np.exp(np.minimum(a, 0) / alpha)),
    )


def glu(x, axis=-1):
    """Gated linear unit: split `x` in halves `a, b` along `axis`, return `a * sigmoid(b)`."""
    from .elementwise import multiply
    from .shape import split

    a, b = split(x, 2, axis=axis)
    return multiply(a, sigmoid(b))


def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return _act("hard_tanh", x, lambda a: np.clip(a, -1, 1), lambda a, o: (a > -1) & (a < 1))


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    t = threshold
    return _act(
        "hard_shrink", x, lambda a: np.where(np.abs(a) > t, a, 0), lambda a, o: np.abs(a) > t
    )


def soft_shrink(x, threshold=0.5):
    """`x` moved `threshold` towards 0, and 0 where `|x| <= threshold`."""
    t = threshold
    return _act(
        "soft_shrink",
        x,
        lambda a: np.where(a > t, a - t, np.where(a < -t, a + t, 0)),
        lambda a, o: np.abs(a) > t,
    )


def tanh_shrink(x):
    """`x - tanh(x)`."""
    return _act("tanh_shrink", x, lambda a: a - np.tanh(a), lambda a, o: np.tanh(a) ** 2)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU."""
    return _act(
        "squareplus",
        x,
        lambda a: (a + np.sqrt(a * a + b)) / 2,
        lambda a, o: 0.5 * (1 + a / np.sqrt(a * a + b)),
    )


def sparse_plus(x):
    """0 for x <= -1, `(x + 1)**2 / 4` for -1 < x < 1, and x for x >= 1."""
    return _act(
        "sparse_plus",
        x,
        lambda a: np.where(a <= -1, 0, np.where(a >= 1, a, 0.25 * (a + 1) ** 2)),
        lambda a, o: np.where(a <= -1, 0, np.where(a >= 1, 1, 0.5 * (a + 1))),
    )


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    t, v = threshold, default_value
    return _act("threshold", x, lambda a: np.where(a > t, a, v), lambda a, o: a > t)


def moments(x, axes, keepdims=False, synchronized=False):
    """`(mean, variance)` over `axes` (biased variance, as Keras)."""
    from .elementwise import square, subtract
    from .reduce import mean

    m = mean(x, axis=axes, keepdims=True)
    v = mean(square(subtract(x, m)), axis=axes, keepdims=keepdims)
    return (m if keepdims else mean(x, axis=axes)), v


def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x, order, axis), epsilon)`; `epsilon` defaults to 1e-7."""
    from .elementwise import divide, maximum
    from .reduce import norm

    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: order must be an int >= 1. Received: order={order!r}")
    eps = EPSILON if epsilon is None else epsilon
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), eps))


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, the vectors lying along `axis`."""
    from .elementwise import add, multiply, rsqrt, subtract
    from .shape import reshape

    n = np.ndim(unwrap(x, "batch_normalization")[0])
    shape = [1] * n
    shape[axis] = -1

    def along(v):
        return reshape(v, shape) if np.ndim(unwrap(v, "batch_normalization")[0]) == 1 else v

    inv = rsqrt(add(along(variance), epsilon))
    if scale is not None:
        inv = multiply(inv, along(scale))
    out = multiply(subtract(x, along(mean)), inv)
    return out if offset is None else add(out, along(offset))


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    """1 for each class id present in a row of `inputs` ((batch, n) -> (batch, num_classes))."""
    from .reduce import max as rmax
    from .shape import one_hot

    rank = np.ndim(unwrap(inputs, "multi_hot")[0])
    return rmax(one_hot(inputs, num_classes, axis=axis, dtype=dtype), axis=1 if rank > 1 else 0)
