"""Probabilistic losses: binary, categorical and sparse crossentropies (plain, focal and
generalized), KL divergence and Poisson, as functions (one value per sample) and as `Loss`
classes."""

import numpy as np

from ..core import ops
from ..core.ops.nn import EPSILON
from ..core.tensor import Tensor
from .loss import _FunctionLoss, _pair, _pred, _true


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence per sample: `sum(t * log(t / p), axis=-1)` (also `kld`, `KLD`).

    Both `t` and `p` are clipped to `[1e-7, 1]` first.

    Args:
        y_true: target distributions.
        y_pred: predicted distributions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.kl_divergence([[0.5, 0.5]], [[0.25, 0.75]]).numpy().round(4))
    [0.1438]
    """
    y_pred = _pred(y_pred)
    y_true = ops.clip(_true(y_true, y_pred), EPSILON, 1)
    y_pred = ops.clip(y_pred, EPSILON, 1)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Poisson loss per sample: `mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`.

    Args:
        y_true: targets (counts).
        y_pred: predicted rates, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.poisson([[1.0]], [[1.0]]).numpy().round(4))
    [1.]
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + EPSILON), axis=-1)


def _smooth_binary(y_true, label_smoothing):
    # t * (1 - ls) + 0.5 * ls: targets move towards 0.5
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy per sample, the mean over `axis` of the elementwise loss (also `bce`).

    Probabilities are clipped to `[1e-7, 1 - 1e-7]`; `from_logits=True` uses the stable sigmoid
    form. `label_smoothing` moves targets towards 0.5: `t * (1 - ls) + 0.5 * ls`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the axis to average over.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> print(keras.losses.binary_crossentropy([[1.0, 0.0]], [[0.5, 0.5]]).numpy().round(4))
    [0.6931]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary focal crossentropy per sample: crossentropy times `(1 - p_t) ** gamma`.

    The mean is over `axis`.

    Here `p_t = t * p + (1 - t) * (1 - p)`, so confident correct predictions count less. With
    `apply_class_balancing` each term is also weighted by `alpha` (class 1) or `1 - alpha`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits when `from_logits=True`.
        apply_class_balancing: whether to weight by `alpha`.
        alpha: the weight of class 1 when balancing.
        gamma: the focusing exponent.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the axis to average over.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> print(keras.losses.binary_focal_crossentropy([[1.0]], [[0.5]]).numpy().round(4))
    [0.1733]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return ops.mean(focal, axis=axis)


def _smooth_categorical(y_true, label_smoothing):
    if not label_smoothing:
        return y_true
    num_classes = y_true.shape[-1]
    # t * (1 - ls) + ls / num_classes
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical crossentropy per sample, `-sum(t * log(p), axis)` for one-hot or soft targets.

    Probabilities are renormalised to sum to 1 and clipped to `[1e-7, 1 - 1e-7]`;
    `label_smoothing` uses `t * (1 - ls) + ls / num_classes`.

    Args:
        y_true: one-hot or soft targets.
        y_pred: probabilities, or logits when `from_logits=True`, shaped like `y_true`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the class axis.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> print(keras.losses.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).numpy().round(4))
    [0.6931]
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis}")
    y_pred = _pred(y_pred)
    y_true = _smooth_categorical(_true(y_true, y_pred), label_smoothing)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical focal crossentropy per sample.

    The value is `sum(alpha * (1 - p) ** gamma * -t * log(p), axis)`, where `p` is
    renormalised to sum to 1 and clipped to `[1e-7, 1 - 1e-7]`.

    Args:
        y_true: one-hot or soft targets.
        y_pred: probabilities, or logits when `from_logits=True`, shaped like `y_true`.
        alpha: the weighting factor.
        gamma: the focusing exponent.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the class axis.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> loss = keras.losses.categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    >>> print(loss.numpy().round(4))
    [0.0433]
    """
    y_pred = _pred(y_pred)
    y_true = _smooth_categorical(_true(y_true, y_pred), label_smoothing)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    p = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    p = ops.clip(p, EPSILON, 1.0 - EPSILON)
    cce = -y_true * ops.log(p)
    return ops.sum(alpha * ops.power(1.0 - p, gamma) * cce, axis=axis)


def _class_scores(y_pred, name):
    """`y_pred` as a tensor with a class axis; a scalar has none (an IndexError in Keras 3 too,
    here an AxisError, which is one, saying so)."""
    y_pred = _pred(y_pred)
    if not y_pred.shape:
        raise np.exceptions.AxisError(
            f"{name}: `y_pred` must hold one score per class on its last axis. Received a "
            "scalar (shape ())."
        )
    return y_pred


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy per sample between integer labels and class scores.

    Args:
        y_true: int labels of shape `(batch,)` or `(batch, 1)` (or with more leading axes).
        y_pred: probabilities, or logits when `from_logits=True`, with classes on `axis`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label whose entries give 0 and are masked out of the reduction.
        axis: the class axis.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> print(keras.losses.sparse_categorical_crossentropy([1], [[0.5, 0.5]]).numpy().round(4))
    [0.6931]
    """
    y_pred = _class_scores(y_pred, "sparse_categorical_crossentropy")
    labels = np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)
    if labels.ndim == len(y_pred.shape) and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(
            labels, y_pred, from_logits=from_logits, axis=axis
        )
    valid = labels != ignore_class
    safe = np.where(valid, labels, 0)
    res = ops.sparse_categorical_crossentropy(safe, y_pred, from_logits=from_logits, axis=axis)
    res = ops.where(valid, res, 0.0)
    res._keras_mask = Tensor(valid)
    return res


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross entropy (Zhang and Sabuncu, 2018) per sample: `(1 - p ** q) / q`.

    `p` is the predicted probability of the true class. The loss is robust to noisy labels and
    lies between crossentropy (`q -> 0`) and mean absolute error (`q = 1`).

    Args:
        y_true: integer class labels, `(batch,)`.
        y_pred: predicted class probabilities, `(batch, num_classes)`.
        q: the noise parameter in (0, 1).

    Returns:
        A `(batch,)` tensor of losses.

    >>> import numpy as np, minikeras as keras
    >>> loss = keras.losses.categorical_generalized_cross_entropy([1], np.array([[0.2, 0.8]]), 0.5)
    >>> loss.numpy().round(4).tolist()
    [0.2111]
    """
    y_pred = _class_scores(y_pred, "categorical_generalized_cross_entropy")
    labels = ops.cast(_true(y_true, y_pred), "int32")
    one_hot = ops.cast(ops.one_hot(labels, y_pred.shape[-1]), y_pred.dtype)
    p = ops.sum(y_pred * one_hot, axis=-1)  # probability of the true class
    return (1 - ops.power(p, q)) / q


class KLDivergence(_FunctionLoss):
    """Loss computing the KL divergence `sum(t * log(t / p))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"kl_divergence"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
    0.1438
    """

    _fn, _name = staticmethod(kl_divergence), "kl_divergence"


class Poisson(_FunctionLoss):
    """Loss computing `mean(p - t * log(p + 1e-7))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"poisson"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.Poisson()([[1.0]], [[1.0]])), 4)
    1.0
    """

    _fn, _name = staticmethod(poisson), "poisson"


class BinaryCrossentropy(_FunctionLoss):
    """Loss computing the binary crossentropy per sample (see `binary_crossentropy`), then reduced.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: a float in [0, 1] that moves targets towards 0.5.
        axis: the axis to average over (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"binary_crossentropy"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> loss = keras.losses.BinaryCrossentropy(from_logits=True)
    >>> round(float(loss([[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]])), 4)
    0.8655
    """

    _fn, _name = staticmethod(binary_crossentropy), "binary_crossentropy"
    _args = ("from_logits", "label_smoothing", "axis")


class BinaryFocalCrossentropy(_FunctionLoss):
    """Loss computing the binary focal crossentropy per sample, then the reduction.

    Args:
        apply_class_balancing: whether to weight class 1 by `alpha` and class 0 by `1 - alpha`.
        alpha: the class-1 weight when balancing (default 0.25).
        gamma: the focusing exponent (default 2.0).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the axis to average over (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"binary_focal_crossentropy"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.BinaryFocalCrossentropy(gamma=2.0)([[1.0]], [[0.5]])), 4)
    0.1733
    """

    _fn, _name = staticmethod(binary_focal_crossentropy), "binary_focal_crossentropy"
    _args = ("apply_class_balancing", "alpha", "gamma", "from_logits", "label_smoothing", "axis")


class CategoricalCrossentropy(_FunctionLoss):
    """Loss computing the categorical crossentropy per sample (one-hot targets), then reduced.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the class axis (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"categorical_crossentropy"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.CategoricalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
    0.6931
    """

    _fn, _name = staticmethod(categorical_crossentropy), "categorical_crossentropy"
    _args = ("from_logits", "label_smoothing", "axis")


class CategoricalFocalCrossentropy(_FunctionLoss):
    """Loss computing the categorical focal crossentropy per sample, then the reduction.

    Args:
        alpha: the weighting factor (default 0.25).
        gamma: the focusing exponent (default 2.0).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: a float in [0, 1].
        axis: the class axis (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"categorical_focal_crossentropy"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.CategoricalFocalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
    0.0433
    """

    _fn, _name = staticmethod(categorical_focal_crossentropy), "categorical_focal_crossentropy"
    _args = ("alpha", "gamma", "from_logits", "label_smoothing", "axis")


class SparseCategoricalCrossentropy(_FunctionLoss):
    """Loss computing the crossentropy between integer labels and class scores, then reduced.

    Args:
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label to leave out of the loss (masked), or `None`.
        axis: the class axis (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"sparse_categorical_crossentropy"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> loss = keras.losses.SparseCategoricalCrossentropy(ignore_class=0)
    >>> round(float(loss([1, 0], [[0.5, 0.5], [0.9, 0.1]])), 4)
    0.6931
    """

    _unsaved = ("axis",)  # Keras 3 writes no `axis` in the config (a reload uses the default)
    _fn, _name = staticmethod(sparse_categorical_crossentropy), "sparse_categorical_crossentropy"
    _args = ("from_logits", "ignore_class", "axis")
    _positional = ("from_logits", "ignore_class", "reduction", "axis", "name", "dtype")


class CategoricalGeneralizedCrossEntropy(_FunctionLoss):
    """Loss computing `categorical_generalized_cross_entropy` per sample, then the reduction.

    Args:
        q: the noise parameter in (0, 1) (default 0.5): near 0 it behaves like crossentropy,
            near 1 like mean absolute error.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"categorical_generalized_cross_entropy"`).
        dtype: the computation dtype.

    >>> import numpy as np, minikeras as keras
    >>> y_pred = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], "float32")
    >>> round(float(keras.losses.CategoricalGeneralizedCrossEntropy()([0, 1, 0, 1], y_pred)), 4)
    0.3599
    """

    _fn = staticmethod(categorical_generalized_cross_entropy)
    _name = "categorical_generalized_cross_entropy"
    _args = ("q",)
    _defaults = {"q": 0.5}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not 0 < self.q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1). "
                f"Received: q={self.q}"
            )


kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
