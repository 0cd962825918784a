"""Crossentropy ops: categorical, sparse categorical and binary, from probabilities or logits."""

import numpy as np

from ...kernels import load as load_kernels
from ..tensor import Tensor
from ._base import result_float, unwrap
from .nn import EPSILON, _sigmoid

__all__ = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"]


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
    if z.ndim == 0:
        raise ValueError(
            "sparse_categorical_crossentropy: `output` must hold one score per class along "
            f"`axis`; received a scalar (shape {z.shape})."
        )
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
    from .indexing import take_along_axis
    from .reduce import sum as rsum
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
