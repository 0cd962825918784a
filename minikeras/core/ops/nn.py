"""Neural-network ops: activations, softmax, and the numerically stable crossentropies."""

import math

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from . import arithmetic
from . import comparison
from . import trigonometry
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
    "softmax",
    "log_softmax",
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "sparse_sigmoid",
    "sparsemax",
    "binary_crossentropy",
    "celu",
    "glu",
    "hard_tanh",
    "hard_shrink",
    "soft_shrink",
    "tanh_shrink",
    "squareplus",
    "sparse_plus",
    "threshold",
    "moments",
    "normalize",
    "batch_normalization",
    "rms_normalization",
    "layer_normalization",
    "multi_hot",
    "EPSILON",
]

EPSILON = 1e-7  # keras.config.epsilon()


def _act(op, x, fwd, grad, grad_ops=None, keep_int=False):
    """An elementwise activation: `grad(a, out)` is d out / d a from arrays; `grad_ops(x, out)`,
    when given, the same from Tensors with ops, so that gradients can be differentiated again.
    `keep_int`: integer inputs keep their dtype and bool becomes int32 (Keras 3's relu, relu6,
    hard_tanh, threshold); otherwise integer and bool inputs compute in floatx."""
    a, ta = unwrap(x, op)
    a = np.asarray(a)
    if not keep_int or a.dtype.kind == "b":
        a = a.astype("int32") if keep_int else result_float(a)
    out = np.asarray(fwd(a), dtype=a.dtype)
    backward_ops = None
    if grad_ops is not None:

        def backward_ops(d, out):
            return (arithmetic.multiply(d, grad_ops(out._parents[0], out)),)

    return Tensor.from_op(out, (ta,), lambda d: (d * grad(a, out),), op, backward_ops)


def _sigmoid(a):
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
    a, ta = unwrap(x, "gelu")
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
    return _act(
        "log_sigmoid",
        x,
        lambda a: -np.logaddexp(0, -a),
        lambda a, o: 1 - _sigmoid(a),
        lambda x, o: 1 - sigmoid(x),
    )


def _softmax_rows(a, axis):
    """Whether softmax over `axis` of `a` can run on `kernels/softmax.py`'s rows."""
    return (
        type(axis) is int
        and axis in (-1, a.ndim - 1)
        and a.size
        and a.dtype in (np.float32, np.float64)
    )


def _softmax_array(a, axis):
    if _softmax_rows(a, axis):
        rows = np.ascontiguousarray(a).reshape(-1, a.shape[-1])
        return load_kernels("softmax").softmax(rows).reshape(a.shape)
    # in place after the first temporary: attention scores are MBs, and each fresh temporary
    # costs page faults (same values as exp(a - max) / sum)
    e = np.subtract(a, a.max(axis=axis, keepdims=True), out=np.empty(a.shape, a.dtype))
    np.exp(e, out=e)
    e /= e.sum(axis=axis, keepdims=True)
    return e


def softmax(x, axis=-1):
    """Softmax along an axis: `exp(x) / sum(exp(x))`, computed stably.

    Args:
        x: input tensor.
        axis: the axis that sums to 1.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.softmax([[0.0, 0.0], [1.0, 1.0]]).numpy().tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    a, ta = unwrap(x, "softmax")
    a = result_float(np.asarray(a))
    out = _softmax_array(a, axis)

    def backward(d):
        # d softmax: s * (d - sum(d * s)), reusing one temporary
        if _softmax_rows(out, axis) and d.dtype == out.dtype:
            rows = out.reshape(-1, out.shape[-1])
            d = np.ascontiguousarray(d).reshape(rows.shape)
            return (load_kernels("softmax").softmax_grad(rows, d).reshape(out.shape),)
        g = d * out
        np.subtract(d, g.sum(axis=axis, keepdims=True), out=g)
        g *= out
        return (g,)

    def backward_ops(d, s):
        from .reduce import sum as rsum

        return (s * (d - rsum(d * s, axis=axis, keepdims=True)),)

    return Tensor.from_op(out, (ta,), backward, "softmax", backward_ops)


def log_softmax(x, axis=-1):
    """Log-softmax along an axis: `x - logsumexp(x)`, computed stably.

    Args:
        x: input tensor.
        axis: the axis to normalise over.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.log_softmax([0.0, 0.0]).numpy().round(4))
    [-0.6931 -0.6931]
    """
    a, ta = unwrap(x, "log_softmax")
    a = result_float(np.asarray(a))
    shifted = a - a.max(axis=axis, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

    def backward(d):
        return (d - np.exp(out) * d.sum(axis=axis, keepdims=True),)

    def backward_ops(d, out):
        from .reduce import sum as rsum

        return (d - ew.exp(out) * rsum(d, axis=axis, keepdims=True),)

    return Tensor.from_op(out, (ta,), backward, "log_softmax", backward_ops)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample crossentropy between integer labels and class scores along `axis`.

    From probabilities this is Keras's form: renormalise to sum 1, clip to [1e-7, 1 - 1e-7], take
    `-log` of the true class; from logits it is `logsumexp(output) - output[label]`.

    Args:
        target: int labels in `[0, classes)`, shaped like `output` without `axis`.
        output: class probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.
        axis: the class axis of `output`.

    Returns:
        A tensor of per-sample losses (no mean).

    >>> import minikeras as keras
    >>> print(keras.ops.sparse_categorical_crossentropy([1], [[0.5, 0.5]]).numpy().round(4))
    [0.6931]
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
        with np.errstate(invalid="ignore"):  # nan and inf: the check below raises for them
            whole = labels.astype(np.int64)
        if not (whole == labels).all():
            raise ValueError("sparse_categorical_crossentropy: labels must be whole numbers.")
        labels = whole
    else:
        labels = labels.astype(np.int64, copy=False)
    classes = z.shape[-1]

    def out_of_range(label):
        return ValueError(
            f"sparse_categorical_crossentropy: label {label} is outside [0, {classes}) for "
            f"predictions with {classes} classes."
        )

    if from_logits and z.dtype in (np.float32, np.float64) and classes:
        k = load_kernels("softmax_ce")
        flat_labels = np.ascontiguousarray(labels).reshape(-1)
        loss, probs, bad = k.sparse_ce(np.ascontiguousarray(z).reshape(-1, classes), flat_labels)
        if bad >= 0:
            raise out_of_range(flat_labels[bad])

        def backward(d):
            g = k.sparse_ce_grad(probs, flat_labels, np.ascontiguousarray(d).reshape(-1))
            return (g.reshape(z.shape),)

        return Tensor.from_op(loss.reshape(labels.shape), (tz,), backward, "sparse_cce_logits")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise out_of_range(labels.min() if labels.min() < 0 else labels.max())
    picked = labels[..., None]
    if from_logits:  # float16 (numba has no float16 arithmetic) or no classes
        shifted = z - z.max(axis=-1, keepdims=True)
        lse = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        logp = shifted - lse
        loss = -np.take_along_axis(logp, picked, axis=-1)[..., 0]

        def backward(d):
            g = np.exp(logp)  # softmax - onehot, fused
            np.put_along_axis(g, picked, np.take_along_axis(g, picked, -1) - 1, axis=-1)
            return (g * d[..., None],)

        return Tensor.from_op(loss.astype(z.dtype), (tz,), backward, "sparse_cce_logits")
    from .arithmetic import clip, divide, negative
    from .elementwise import log
    from .reduce import sum as rsum
    from .indexing import take_along_axis
    from .shape import squeeze

    p = divide(output, rsum(output, axis=-1, keepdims=True))
    p = clip(p, EPSILON, 1 - EPSILON)
    return negative(squeeze(log(take_along_axis(p, picked, axis=-1)), -1))


def _as_target(target, dtype, op):
    """Targets take the predictions' float dtype; a target that needs a gradient keeps it."""
    if isinstance(target, Tensor) and target.requires_grad:
        from .conversion import cast

        return cast(target, dtype)
    return Tensor(np.asarray(unwrap(target, op)[0]).astype(dtype))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample crossentropy between one-hot (or soft) targets and class scores along `axis`.

    From probabilities this is Keras's form: renormalise to sum 1, clip to [1e-7, 1 - 1e-7],
    then `-sum(target * log(p))`; from logits it uses `log_softmax`.

    Args:
        target: one-hot or soft targets, shaped like `output`.
        output: class probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.
        axis: the class axis.

    Returns:
        A tensor of per-sample losses (no mean).

    >>> import minikeras as keras
    >>> print(keras.ops.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).numpy().round(4))
    [0.6931]
    """
    from .arithmetic import clip, divide, multiply, negative
    from .elementwise import log
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

    From probabilities: clip to [1e-7, 1 - 1e-7], then `-(t log p + (1 - t) log(1 - p))`;
    from logits the stable form `max(z, 0) - z * t + log(1 + exp(-|z|))`.

    Args:
        target: targets in [0, 1], shaped like `output`.
        output: probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.

    Returns:
        A tensor of elementwise losses, shaped like `output`.

    >>> import minikeras as keras
    >>> print(keras.ops.binary_crossentropy([1.0, 0.0], [0.5, 0.5]).numpy().round(4))
    [0.6931 0.6931]
    """
    from .arithmetic import add, clip, multiply, negative, subtract
    from .elementwise import log

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


def glu(x, axis=-1):
    """Gated linear unit: splits `x` into halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
        x: input tensor; its size along `axis` must be even.
        axis: the axis to split.

    Returns:
        A tensor with `axis` halved.

    >>> import minikeras as keras
    >>> keras.ops.glu([[1.0, 0.0]]).numpy().tolist()
    [[0.5]]
    """
    from .arithmetic import multiply
    from .joining import split

    a, b = split(x, 2, axis=axis)
    return multiply(a, sigmoid(b))


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


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    `max(x - tau, 0)` with `tau` chosen so that each slice sums to 1 (Martins & Astudillo, 2016).

    Keras 3.15.1 computes `tau` from the sum of the cumulative sums over the support, which
    is right only when one entry is non-zero (keras-team/keras#23425, fixed upstream in #23469);
    minikeras computes the projection itself, so they agree whenever Keras 3.15.1 is correct.

    Args:
        x: input tensor.
        axis: the axis to normalise.

    Returns:
        A float tensor of the same shape: non-negative, summing to 1 along `axis`.

    >>> import minikeras as keras
    >>> keras.ops.sparsemax([[0.0, 0.5, 1.0]]).numpy().tolist()
    [[0.0, 0.25, 0.75]]
    """
    a, ta = unwrap(x, "sparsemax")
    a = result_float(np.asarray(a))
    z = np.moveaxis(a, axis, -1)
    srt = -np.sort(-z, axis=-1)
    cum = np.cumsum(srt, axis=-1)
    k = np.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    support = srt * k > cum - 1  # sorted entries inside the support: a prefix
    size = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cum, size - 1, axis=-1) - 1) / size.astype(z.dtype)
    out = np.moveaxis(np.maximum(z - tau, 0), -1, axis).astype(a.dtype, copy=False)

    def backward(d):
        # on the support S: d - mean_S(d); zero elsewhere (the Jacobian diag(s) - s s^T / |S|)
        s = out > 0
        n = np.maximum(s.sum(axis=axis, keepdims=True), 1)
        mean = (d * s).sum(axis=axis, keepdims=True) / n
        return (np.where(s, d - mean, 0).astype(a.dtype, copy=False),)

    return Tensor.from_op(out, (ta,), backward, "sparsemax")


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


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance over `axes`, as Keras's `ops.moments`.

    Args:
        x: input tensor.
        axes: the axes to reduce (a list or tuple).
        keepdims: whether to keep the reduced axes with size 1.
        synchronized: accepted for Keras compatibility (single device).

    Returns:
        A tuple `(mean, variance)`.

    >>> import minikeras as keras
    >>> mean, variance = keras.ops.moments([1.0, 2.0, 3.0, 4.0], axes=[0])
    >>> float(mean), float(variance)
    (2.5, 1.25)
    """
    from .elementwise import square
    from .arithmetic import subtract
    from .reduce import mean

    m = mean(x, axis=axes, keepdims=True)
    v = mean(square(subtract(x, m)), axis=axes, keepdims=keepdims)
    return (m if keepdims else mean(x, axis=axes)), v


def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm along `axis`: `x / max(norm(x), epsilon)`.

    Args:
        x: input tensor.
        axis: the axis of the norm.
        order: the norm order (an int >= 1; 2 is Euclidean).
        epsilon: the smallest divisor; `None` means 1e-7.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> print(keras.ops.normalize([3.0, 4.0]).numpy().round(4))
    [0.6 0.8]
    """
    from .arithmetic import divide, maximum
    from .reduce import norm

    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: order must be an int >= 1. Received: order={order!r}")
    eps = EPSILON if epsilon is None else epsilon
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), eps))


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalises with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    Args:
        x: input tensor.
        mean, variance: 1-D tensors laid along `axis` (or tensors broadcastable to `x`).
        axis: the feature axis of `x`.
        offset: optional 1-D shift (beta).
        scale: optional 1-D scale (gamma).
        epsilon: added to the variance.

    Returns:
        A tensor of the shape of `x`.

    >>> import minikeras as keras
    >>> keras.ops.batch_normalization([[1.0, 3.0]], mean=[0.0, 1.0], variance=[1.0, 4.0],
    ...                               axis=-1, epsilon=0.0).numpy().tolist()
    [[1.0, 1.0]]
    """
    from .fused_norm import batch_normalization as one_batch_norm_op  # BatchNormalization's op

    return one_batch_norm_op(x, mean, variance, axis, offset, scale, epsilon)


def _norm_axes(x, axis, op):
    n = np.ndim(unwrap(x, op)[0])
    axes = sorted(a % n for a in ([axis] if isinstance(axis, int) else axis))
    # a weight laid along the normalised axes, reshaped to broadcast against `x`
    bshape = [np.shape(unwrap(x, op)[0])[a] if a in axes else 1 for a in range(n)]
    return axes, bshape


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalisation: `x * rsqrt(mean(square(x), axis) + epsilon) * scale`.

    Unlike `layer_normalization`, the mean is not subtracted (Zhang & Sennrich, 2019).

    Args:
        x: input tensor.
        scale: optional weight laid along `axis` (or broadcastable to `x`).
        axis: an int or a list of ints, the normalised axes.
        epsilon: added to the mean square; `None` means 1e-7 (Keras's `backend.epsilon()`).

    Returns:
        A tensor of the shape of `x`.

    >>> import minikeras as keras
    >>> print(keras.ops.rms_normalization([[3.0, 4.0]], epsilon=0.0).numpy().round(4))
    [[0.8485 1.1314]]
    """
    from .arithmetic import add, multiply
    from .elementwise import rsqrt, square
    from .reduce import mean
    from .shape import reshape

    axes, bshape = _norm_axes(x, axis, "rms_normalization")
    eps = EPSILON if epsilon is None else epsilon
    out = multiply(x, rsqrt(add(mean(square(x), axis=axes, keepdims=True), eps)))
    if scale is not None:
        s = unwrap(scale, "rms_normalization")[0]
        out = multiply(out, reshape(scale, bshape) if np.ndim(s) < len(bshape) else scale)
    return out


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalisation: `(x - mean) / sqrt(var + epsilon) * gamma + beta` over `axis`.

    The variance is the biased one. Keras's deprecated `rms_scaling=True` keyword is accepted:
    it then returns `x / sqrt(var + epsilon) * gamma` (a warning says so, as in Keras 3).

    Args:
        x: input tensor.
        gamma, beta: optional scale and shift laid along `axis`.
        axis: an int or a list of ints, the normalised axes.
        epsilon: added to the variance; `None` means 1e-7.

    Returns:
        A tensor of the shape of `x`.

    >>> import minikeras as keras
    >>> print(keras.ops.layer_normalization([0.0, 1.0, 2.0, 3.0, 4.0]).numpy().round(4))
    [-1.4142 -0.7071  0.      0.7071  1.4142]
    """
    import warnings

    from .arithmetic import add, multiply, subtract
    from .elementwise import rsqrt
    from .shape import reshape

    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments: {sorted(kwargs)}")
    if rms_scaling:
        warnings.warn(
            "layer_normalization: `rms_scaling=True` is deprecated (it divides by the standard "
            "deviation, not the root mean square); use `keras.ops.rms_normalization`.",
            stacklevel=2,
        )
    axes, bshape = _norm_axes(x, axis, "layer_normalization")
    eps = EPSILON if epsilon is None else epsilon

    def along(v):
        if v is None:
            return None
        if np.ndim(unwrap(v, "layer_normalization")[0]) < len(bshape):
            return reshape(v, bshape)
        return v

    mean, var = moments(x, axes=axes, keepdims=True)
    inv = rsqrt(add(var, eps))
    if rms_scaling:
        out = multiply(x, inv)
        return out if gamma is None else multiply(out, along(gamma))
    out = multiply(subtract(x, mean), inv)
    if gamma is not None:
        out = multiply(out, along(gamma))
    return out if beta is None else add(out, along(beta))


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    """Multi-hot encodes rows of class ids: 1 for each class that appears in the row.

    Args:
        inputs: int tensor of class ids, `(batch, n)` or `(n,)`.
        num_classes: the number of classes.
        axis: where the class axis goes before reducing over the ids.
        dtype: the dtype; `None` means `floatx`.
        sparse: accepted for Keras compatibility; results are dense.

    Returns:
        A tensor of shape `(batch, num_classes)` (or `(num_classes,)`).

    >>> import minikeras as keras
    >>> keras.ops.multi_hot([[0, 2], [1, 1]], 3).numpy().tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    from .reduce import max as rmax
    from .creation import one_hot

    rank = np.ndim(unwrap(inputs, "multi_hot")[0])
    return rmax(one_hot(inputs, num_classes, axis=axis, dtype=dtype), axis=1 if rank > 1 else 0)
