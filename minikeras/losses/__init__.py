"""`keras.losses`: loss functions (one value per sample) and `Loss` classes (reduced scalars).

Functions take `(y_true, y_pred)` and reduce over the last axis as Keras does, so `(batch, d)`
inputs give `(batch,)` values. Classes add Keras's reduction (`"sum_over_batch_size"` by
default: the sum of the weighted values divided by their number), `sample_weight` and masks.
Everything is written with `ops`, so gradients flow into `y_pred`.
"""

import inspect
import math

import numpy as np

from ..core import dtypes, ops
from ..core.ops.nn import EPSILON
from ..core.tensor import Tensor
from ..utils.naming import to_snake_case, uniquify

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


# -- helpers --------------------------------------------------------------------------------
def _pred(y_pred):
    return ops.convert_to_tensor(y_pred)


def _true(y_true, like):
    return ops.cast(ops.convert_to_tensor(y_true), like.dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes two tensors' ranks equal when they differ by one trailing size-1 axis (as Keras).

    The tensor with the extra axis is squeezed, except that a rank-1 partner is expanded instead
    when `expand_rank_1` is True.

    Args:
        x1, x2: tensors.
        expand_rank_1: whether a rank-1 tensor gains an axis rather than the other losing one.

    Returns:
        The pair `(x1, x2)`, adjusted.

    >>> import minikeras as keras
    >>> a, b = keras.losses.squeeze_or_expand_to_same_rank(keras.ops.ones((4, 3, 1)),
    ...                                                     keras.ops.ones((4, 3)))
    >>> a.shape, b.shape
    ((4, 3), (4, 3))
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def _pair(y_true, y_pred):
    y_pred = _pred(y_pred)
    return squeeze_or_expand_to_same_rank(_true(y_true, y_pred), y_pred)


# -- regression -----------------------------------------------------------------------------
def mean_squared_error(y_true, y_pred):
    """Mean squared error per sample: `mean(square(y_true - y_pred), axis=-1)` (also `mse`, `MSE`).

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
    [0.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error per sample: `mean(abs(y_true - y_pred), axis=-1)` (also `mae`, `MAE`).

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_absolute_error([[0.0, 1.0]], [[1.0, 3.0]]).numpy().tolist()
    [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error per sample (also `mape`, `MAPE`).

    The value is `100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).numpy().tolist()
    [37.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), EPSILON))
    return 100.0 * ops.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error per sample (also `msle`, `MSLE`).

    The value is `mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`
    with `eps = 1e-7`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.mean_squared_logarithmic_error([[3.0]], [[0.0]]).numpy().round(4))
    [1.9218]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    first = ops.log(ops.maximum(y_pred, EPSILON) + 1.0)
    second = ops.log(ops.maximum(y_true, EPSILON) + 1.0)
    return ops.mean(ops.square(first - second), axis=-1)


def _l2_normalize(x, axis):
    # x / max(||x||, eps), written so that a zero vector has a zero (not NaN) gradient
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), EPSILON**2))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 means the same direction, 1 the opposite.

    The value is `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        axis: the axis of the vectors.

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> y_true, y_pred = [[0.0, 2.0], [1.0, 0.0]], [[0.0, 3.0], [0.0, 1.0]]
    >>> keras.losses.cosine_similarity(y_true, y_pred).numpy().tolist()
    [-1.0, -0.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss per sample: quadratic for small errors, linear for large ones.

    With `e = y_pred - y_true`, each entry is `0.5 * e**2` where `|e| <= delta` and
    `delta * |e| - 0.5 * delta**2` elsewhere; the mean is over the last axis.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.
        delta: where the loss changes from quadratic to linear.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.huber([[0.0, 1.0]], [[0.5, 3.0]]).numpy().tolist()
    [0.8125]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta**2
    return ops.mean(ops.where(abs_error.data <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Log-cosh loss per sample: `mean(log(cosh(y_pred - y_true)), axis=-1)` (also `logcosh`).

    It is computed as `x + softplus(-2x) - log(2)`, which does not overflow.

    Args:
        y_true: targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> print(keras.losses.log_cosh([[0.0]], [[1.0]]).numpy().round(4))
    [0.4338]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


# -- probabilistic --------------------------------------------------------------------------
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
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
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
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
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
    y_pred = _pred(y_pred)
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


# -- hinge ----------------------------------------------------------------------------------
def _hinge_labels(y_true):
    t = y_true.data
    if np.all((t == 0) | (t == 1)):  # binary labels become -1 / 1
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    """Hinge loss per sample: `mean(max(1 - t * p, 0), axis=-1)`; 0/1 labels become -1/1.

    Args:
        y_true: labels, -1/1 or 0/1.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.hinge([[0.0, 1.0]], [[0.5, 0.5]]).numpy().tolist()
    [1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss per sample: `mean(square(max(1 - t * p, 0)), axis=-1)`.

    Labels 0/1 are converted to -1/1.

    Args:
        y_true: labels, -1/1 or 0/1.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses (the last axis reduced).

    >>> import minikeras as keras
    >>> keras.losses.squared_hinge([[0.0, 1.0]], [[0.5, 0.5]]).numpy().tolist()
    [1.25]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.square(ops.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge per sample: `max(neg - pos + 1, 0)` over the last axis.

    Here `pos = sum(t * p)` and `neg = max((1 - t) * p)`.

    Args:
        y_true: one-hot targets.
        y_pred: predictions, shaped like `y_true`.

    Returns:
        A tensor of per-sample losses.

    >>> import minikeras as keras
    >>> keras.losses.categorical_hinge([[0.0, 1.0]], [[0.25, 0.75]]).numpy().tolist()
    [0.5]
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


# -- segmentation ---------------------------------------------------------------------------
def dice(y_true, y_pred, axis=None):
    """Dice loss `1 - 2 * sum(t * p) / (sum(t) + sum(p) + 1e-7)` over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: predictions, shaped like `y_true`.
        axis: the axes to sum over; `None` sums all of them (one value).

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> print(keras.losses.dice([[1.0, 1.0]], [[1.0, 0.0]]).numpy().round(4))
    0.3333
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    inter = ops.sum(y_true * y_pred, axis=axis)
    return 1 - 2.0 * inter / (ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + EPSILON)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss `1 - tp / (tp + alpha * fp + beta * fn + 1e-7)` with soft counts over `axis`.

    The soft counts are `tp = sum(t * p)`, `fp = sum(t * (1 - p))` and `fn = sum((1 - t) * p)`,
    as Keras computes them.

    Args:
        y_true: targets in [0, 1].
        y_pred: predictions, shaped like `y_true`.
        alpha: the weight of `fp`.
        beta: the weight of `fn`.
        axis: the axes to sum over; `None` sums all of them (one value).

    Returns:
        A tensor with `axis` reduced.

    >>> import minikeras as keras
    >>> print(keras.losses.tversky([[1.0, 1.0]], [[1.0, 0.0]]).numpy().round(4))
    0.3333
    """
    y_pred = _pred(y_pred)
    y_true = _true(y_true, y_pred)
    tp = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - tp / (tp + fp * alpha + fn * beta + EPSILON)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy


# -- reduction ------------------------------------------------------------------------------
def standardize_reduction(reduction):
    """Checks a loss reduction name and returns it unchanged.

    Args:
        reduction: one of `"sum_over_batch_size"`, `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.

    Returns:
        `reduction`; anything else raises `ValueError`.

    >>> import minikeras as keras
    >>> keras.losses.standardize_reduction("sum")
    'sum'
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. Received: "
            f"reduction={reduction!r}"
        )
    return reduction


def _arr(x):
    return np.asarray(x.data if isinstance(x, Tensor) else x)


def _match_rank(values, weights):
    """Keras's rank matching, then trailing axes added to weights shaped like leading axes."""
    values, weights = squeeze_or_expand_to_same_rank(values, ops.convert_to_tensor(weights))
    w = weights.data
    while w.ndim < len(values.shape) and w.shape == tuple(values.shape[: w.ndim]):
        w = w[..., None]  # (batch,) weights on (batch, time) values weigh whole rows
    return values, w


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merges a mask into the sample weights.

    For the mean reductions the valid entries get weight `total / valid`, so the mean runs over
    the valid entries only.

    Args:
        sample_weight: per-sample weights (numpy array) or `None`.
        mask: a boolean mask or `None` (returns `sample_weight` unchanged).
        dtype: the dtype of the result.
        reduction: the loss reduction.

    Returns:
        The combined weights as a numpy array, or `sample_weight`.

    >>> import numpy as np, minikeras as keras
    >>> keras.losses.apply_mask(None, np.array([True, False]), "float32", "mean").tolist()
    [2.0, 0.0]
    """
    if mask is None:
        return sample_weight
    m = _arr(mask).astype(dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = m.sum()
        m = m * (m.size / valid if valid else 0.0)
    if sample_weight is None:
        return m
    m, sw = squeeze_or_expand_to_same_rank(Tensor(m), Tensor(_arr(sample_weight).astype(dtype)))
    return sw.data * m.data


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces loss values to a scalar according to `reduction`.

    `"sum"` gives the sum; `"sum_over_batch_size"` and `"mean"` the sum over the number of values;
    `"mean_with_sample_weight"` the sum over the sum of the weights; `None` or `"none"` returns the
    values unchanged.

    Args:
        values: a tensor of (already weighted) loss values.
        sample_weight: the weights, used by `"mean_with_sample_weight"`.
        reduction: the reduction name.

    Returns:
        A scalar tensor, or `values`.

    >>> import minikeras as keras
    >>> float(keras.losses.reduce_values(keras.ops.convert_to_tensor([1.0, 3.0]), reduction="sum"))
    4.0
    """
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    if reduction == "sum":
        return ops.sum(values)
    if reduction != "mean_with_sample_weight" or sample_weight is None:
        # the sum over the number of values, as one mean op; an empty batch gives 0, not nan
        return ops.mean(values) if values.size else ops.sum(values) * 0.0
    divisor = float(np.sum(sample_weight))
    return ops.sum(values) / divisor if divisor else ops.sum(values) * 0.0


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Weights per-sample loss values by `sample_weight` (and `mask`), then reduces them.

    Args:
        values: per-sample loss values.
        sample_weight: optional weights, broadcast against `values` (`(batch,)` weights on
            `(batch, time)` values weigh whole rows).
        mask: optional boolean mask of valid entries.
        reduction: the reduction name (see `reduce_values`).
        dtype: the computation dtype; `None` keeps the values' dtype.

    Returns:
        A scalar tensor, or the weighted values when `reduction` is `None`.

    >>> import minikeras as keras
    >>> values = keras.ops.convert_to_tensor([1.0, 3.0])
    >>> float(keras.losses.reduce_weighted_values(values, sample_weight=[1.0, 0.0]))
    0.5
    """
    reduction = standardize_reduction(reduction)
    dtype = values.dtype if dtype is None else np.dtype(dtypes.standardize_dtype(dtype))
    values = ops.cast(ops.convert_to_tensor(values), dtype)
    sample_weight = apply_mask(
        None if sample_weight is None else _arr(sample_weight).astype(dtype), mask, dtype, reduction
    )
    if sample_weight is not None:
        values, sample_weight = _match_rank(values, sample_weight.astype(dtype))
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


# -- sequences and metric learning ----------------------------------------------------------
def ctc(y_true, y_pred):
    """CTC loss of integer label sequences under per-frame logits (blank/padding id 0).

    The label length of each sample is its number of non-zero labels; every frame of `y_pred`
    is used (see `keras.ops.ctc_loss` for other lengths or another blank id).

    Args:
        y_true: `(batch, max_label_length)` integer labels, 0-padded; 0 is the blank.
        y_pred: `(batch, max_length, num_classes)` logits (not softmax-normalized).

    Returns:
        A `(batch,)` tensor of losses.

    >>> import numpy as np, minikeras as keras
    >>> loss = keras.losses.ctc(np.array([[1, 0]]), np.zeros((1, 2, 3), "float32"))
    >>> round(float(loss.numpy()[0]), 4)  # -log(3/9)
    1.0986
    """
    y_pred = _pred(y_pred)
    if len(y_true.shape if hasattr(y_true, "shape") else np.shape(y_true)) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(np.shape(_arr(y_true)))}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    labels = _arr(y_true).astype("int32")
    batch, frames = y_pred.shape[0], y_pred.shape[1]
    label_length = np.sum(labels != 0, axis=-1).astype("int32")
    output_length = np.full((batch,), frames, "int32")
    return ops.ctc_loss(labels, y_pred, label_length, output_length, mask_index=0)


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """Circle loss of L2-normalized embeddings with integer class labels (Sun et al., 2020).

    With cosine distances `d` between `y_pred` and the reference embeddings, pairs of one class
    are pulled together and pairs of different classes pushed apart, each pair weighted by how
    far it is from its optimum: `softplus(logsumexp_pos(-gamma * max(margin + d, 0) *
    (margin - d)) + logsumexp_neg(gamma * max(1 + margin - d, 0) * (1 - margin - d)))`. Rows
    with a zero loss are masked out of the mean, as in Keras 3.

    Args:
        y_true: `(batch,)` integer labels.
        y_pred: `(batch, dim)` L2-normalized embeddings.
        ref_labels: labels of the reference embeddings (default `y_true`).
        ref_embeddings: `(n, dim)` reference embeddings (default `y_pred`).
        remove_diagonal: leave each sample's pair with itself out of the positives.
        gamma: the scale.
        margin: the relaxation margin.

    Returns:
        A `(batch,)` tensor of losses.

    >>> import numpy as np, minikeras as keras
    >>> emb = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], "float32")
    >>> keras.losses.circle(np.array([0, 0, 1]), emb).numpy().round(4).tolist()
    [0.0, 0.0, 0.0]
    """
    y_pred = _pred(y_pred)
    labels = _arr(y_true).astype("int32")
    ref = y_pred if ref_embeddings is None else _pred(ref_embeddings)
    ref_lab = labels if ref_labels is None else _arr(ref_labels).astype("int32")
    q, k = labels.reshape(-1, 1), ref_lab.reshape(-1, 1)
    pos = q == k.T
    neg = ~pos
    if remove_diagonal:
        pos = pos & ~np.eye(q.size, k.size, dtype=bool)
    dtype = y_pred.dtype
    dist = ops.maximum(1 - ops.matmul(y_pred, ops.transpose(ref)), 0.0)
    pos_f, neg_f = pos.astype(dtype), neg.astype(dtype)
    pos_w = ops.maximum((margin + dist) * pos_f, 0.0)
    neg_w = ops.maximum((1 + margin - dist) * neg_f, 0.0)
    pos_wd = -1 * gamma * pos_w * (margin - dist)
    neg_wd = gamma * neg_w * ((1 - margin) - dist)
    neg_inf = np.asarray(-np.inf, dtype)
    with np.errstate(divide="ignore"):  # a row without positives (or negatives) gives -inf
        p_loss = ops.logsumexp(ops.where(pos, pos_wd, neg_inf), axis=1)
        n_loss = ops.logsumexp(ops.where(neg, neg_wd, neg_inf), axis=1)
    out = ops.softplus(p_loss + n_loss)
    out._keras_mask = Tensor(out.data > 0)
    return out


# -- classes --------------------------------------------------------------------------------
class Loss:
    """Base class of losses; subclasses implement `call(y_true, y_pred)` giving per-sample values.

    Calling the loss, `loss(y_true, y_pred, sample_weight=None)`, applies the sample weights and
    any mask carried by `y_pred`, then the reduction.

    Args:
        name: the loss's name.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, or `None`/`"none"` for the unreduced values.
        dtype: the computation dtype (default `floatx()`).

    >>> import minikeras as keras
    >>> class AbsoluteError(keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return keras.ops.abs(y_true - y_pred)
    >>> float(AbsoluteError()([1.0, 2.0], [2.0, 4.0]))
    1.5
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = dtypes.standardize_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = _arr(in_mask).astype(bool) & _arr(out_mask).astype(bool)
        else:
            mask = in_mask if out_mask is None else out_mask
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A `Loss` made from a per-sample function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the per-sample loss function.
        reduction: the reduction name (see `Loss`).
        name: the loss's name.
        dtype: the computation dtype.
        **kwargs: keyword arguments passed to `fn` (and saved in the config).

    >>> import minikeras as keras
    >>> loss = keras.losses.LossFunctionWrapper(keras.losses.huber, delta=0.5)
    >>> float(loss([[0.0]], [[2.0]]))
    0.875
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (str, dict)):
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _FunctionLoss(LossFunctionWrapper):
    """Base of the built-in loss classes: `_fn` with the keyword arguments named in `_args`
    (defaults from `_fn`'s signature), plus `reduction`, `name` and `dtype`."""

    _fn = None
    _name = None
    _args = ()

    def __init__(self, *args, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        cls = type(self).__name__
        if len(args) > len(self._args):
            raise TypeError(f"{cls} takes at most {len(self._args)} positional arguments.")
        kwargs.update(zip(self._args, args))
        unknown = set(kwargs) - set(self._args)
        if unknown:
            raise TypeError(f"{cls} got unexpected argument(s) {sorted(unknown)}.")
        fn = type(self)._fn
        params = inspect.signature(fn).parameters
        values = {k: kwargs.get(k, params[k].default) for k in self._args}
        super().__init__(fn, reduction=reduction, name=name or self._name, dtype=dtype, **values)
        for k, v in values.items():
            setattr(self, k, v)

    def get_config(self):
        return {**Loss.get_config(self), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MeanSquaredError(_FunctionLoss):
    """Loss computing the mean squared error per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_squared_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    _fn, _name = staticmethod(mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_FunctionLoss):
    """Loss computing the mean absolute error per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_absolute_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    _fn, _name = staticmethod(mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_FunctionLoss):
    """Loss computing `100 * mean(abs((y_true - y_pred) / y_true))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_absolute_percentage_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]]))
    37.5
    """

    _fn, _name = staticmethod(mean_absolute_percentage_error), "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_FunctionLoss):
    """Loss computing `mean(square(log1p(y_pred) - log1p(y_true)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"mean_squared_logarithmic_error"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.MeanSquaredLogarithmicError()([[3.0]], [[0.0]])), 4)
    1.9218
    """

    _fn, _name = staticmethod(mean_squared_logarithmic_error), "mean_squared_logarithmic_error"


class CosineSimilarity(_FunctionLoss):
    """Loss computing the negative cosine similarity along `axis`, then the reduction.

    Args:
        axis: the axis of the vectors (default -1).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"cosine_similarity"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> loss = keras.losses.CosineSimilarity()
    >>> round(float(loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
    -0.5
    """

    _fn, _name, _args = staticmethod(cosine_similarity), "cosine_similarity", ("axis",)


class Huber(_FunctionLoss):
    """Loss computing the Huber loss per sample (see `huber`), then the reduction.

    Args:
        delta: where the loss changes from quadratic to linear (default 1.0).
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"huber_loss"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.Huber()([[0.0, 1.0]], [[0.5, 3.0]]))
    0.8125
    """

    _fn, _name, _args = staticmethod(huber), "huber_loss", ("delta",)


class LogCosh(_FunctionLoss):
    """Loss computing `mean(log(cosh(y_pred - y_true)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"log_cosh"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.LogCosh()([[0.0]], [[1.0]])), 4)
    0.4338
    """

    _fn, _name = staticmethod(log_cosh), "log_cosh"


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


class Hinge(_FunctionLoss):
    """Loss computing `mean(max(1 - t * p, 0))` per sample (0/1 labels become -1/1), then reduced.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.Hinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.0
    """

    _fn, _name = staticmethod(hinge), "hinge"


class SquaredHinge(_FunctionLoss):
    """Loss computing `mean(square(max(1 - t * p, 0)))` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"squared_hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.25
    """

    _fn, _name = staticmethod(squared_hinge), "squared_hinge"


class CategoricalHinge(_FunctionLoss):
    """Loss computing the categorical hinge `max(neg - pos + 1, 0)` per sample, then the reduction.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"categorical_hinge"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> float(keras.losses.CategoricalHinge()([[0.0, 1.0]], [[0.25, 0.75]]))
    0.5
    """

    _fn, _name = staticmethod(categorical_hinge), "categorical_hinge"


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

    _fn, _name = staticmethod(sparse_categorical_crossentropy), "sparse_categorical_crossentropy"
    _args = ("from_logits", "ignore_class", "axis")


class Dice(_FunctionLoss):
    """Loss computing the Dice loss over `axis` (see `dice`), then the reduction.

    Args:
        axis: the axes to sum over; `None` (default) sums all of them.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"dice"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.Dice()([[1.0, 1.0]], [[1.0, 0.0]])), 4)
    0.3333
    """

    _fn, _name, _args = staticmethod(dice), "dice", ("axis",)


class Tversky(_FunctionLoss):
    """Loss computing the Tversky loss over `axis` (see `tversky`), then the reduction.

    Args:
        alpha: the weight of false positives (default 0.5).
        beta: the weight of false negatives (default 0.5).
        axis: the axes to sum over; `None` (default) sums all of them.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"tversky"`).
        dtype: the computation dtype.

    >>> import minikeras as keras
    >>> round(float(keras.losses.Tversky()([[1.0, 1.0]], [[1.0, 0.0]])), 4)
    0.3333
    """

    _fn, _name, _args = staticmethod(tversky), "tversky", ("alpha", "beta", "axis")


class CTC(LossFunctionWrapper):
    """Loss computing `ctc` (connectionist temporal classification) per sample, then the reduction.

    Labels are 0-padded integer sequences, 0 being the blank.

    Args:
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"ctc"`).
        dtype: the computation dtype.

    >>> import numpy as np, minikeras as keras
    >>> round(float(keras.losses.CTC()(np.array([[1, 0]]), np.zeros((1, 2, 3)))), 4)
    1.0986
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Circle(LossFunctionWrapper):
    """Loss computing the `circle` loss of a batch of embeddings against itself, then the reduction.

    The mean reductions run over the rows with a non-zero loss, as in Keras 3.

    Args:
        gamma: the scale (default 80).
        margin: the relaxation margin (default 0.4).
        remove_diagonal: leave each sample's pair with itself out of the positives.
        reduction: the reduction name (see `Loss`).
        name: the loss's name (default `"circle"`).
        dtype: the computation dtype.

    >>> import numpy as np, minikeras as keras
    >>> emb = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], "float32")
    >>> round(float(keras.losses.Circle()(np.array([0, 0, 1]), emb)), 2)  # rows 0, 1 count
    19.2
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            reduction=reduction,
            name=name,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        config = Loss.get_config(self)
        config.update(gamma=self.gamma, margin=self.margin, remove_diagonal=self.remove_diagonal)
        return config


ALL_CLASSES = (
    Loss,
    LossFunctionWrapper,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    Huber,
    LogCosh,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy,
    Dice,
    Tversky,
    CTC,
    Circle,
)


_FUNCTIONS = (
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    huber,
    log_cosh,
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    ctc,
    circle,
)
ALIASES = {
    "mse": mse,
    "MSE": mse,
    "mae": mae,
    "MAE": mae,
    "mape": mape,
    "MAPE": mape,
    "msle": msle,
    "MSLE": msle,
    "kld": kld,
    "KLD": kld,
    "kullback_leibler_divergence": kld,
    "bce": bce,
    "BCE": bce,
    "logcosh": log_cosh,
    "huber_loss": huber,
}
ALL_OBJECTS_DICT = {
    **{f.__name__: f for f in _FUNCTIONS},
    **ALIASES,
    **{c.__name__: c for c in ALL_CLASSES},
}


def serialize(loss):
    """Returns the Keras 3 config dict of a loss.

    A `Loss` gives `{"module", "class_name", "config", "registered_name"}`; a function gives
    `{"class_name": "function", "config": name, ...}`.

    Args:
        loss: a `Loss` instance or a loss function.

    Returns:
        A dict.

    >>> import minikeras as keras
    >>> keras.losses.serialize(keras.losses.mean_squared_error)["config"]
    'mean_squared_error'
    """
    if isinstance(loss, Loss):
        cls = type(loss)
        builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
        return {
            "module": "keras.losses" if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": loss.get_config(),
            "registered_name": None if builtin else cls.__name__,
        }
    if callable(loss):
        name = getattr(loss, "__name__", None)
        if name is None:
            raise ValueError(f"Cannot serialize the loss {loss!r}: it has no __name__.")
        builtin = ALL_OBJECTS_DICT.get(name) is loss
        return {
            "module": "keras.losses" if builtin else getattr(loss, "__module__", None),
            "class_name": "function",
            "config": name,
            "registered_name": "function" if builtin else name,
        }
    raise ValueError(f"Cannot serialize {loss!r} as a loss.")


def _lookup(name, custom_objects):
    obj = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
    if obj is None:
        raise ValueError(
            f"Could not interpret loss identifier: {name!r}. Valid names are "
            f"{sorted(ALL_OBJECTS_DICT)}, or pass a callable / `custom_objects`."
        )
    return obj


def deserialize(name, custom_objects=None):
    """Returns a loss from `serialize`'s dict, a Keras 2 `{"class_name", "config"}` dict, or a name.

    Args:
        name: the dict or name.
        custom_objects: optional dict of extra names to look up first.

    Returns:
        A `Loss` instance for a class config, otherwise the function or class found.

    >>> import minikeras as keras
    >>> keras.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
    2.0
    """
    if isinstance(name, str):
        return _lookup(name, custom_objects)
    if not isinstance(name, dict) or "class_name" not in name:
        raise ValueError(f"Could not interpret loss identifier: {name!r}")
    cls_name, config = name["class_name"], name.get("config")
    if cls_name == "function":
        return _lookup(config, custom_objects)
    obj = _lookup(cls_name, custom_objects)
    if not inspect.isclass(obj):
        return obj
    config = dict(config or {})
    if config.get("reduction") == "auto":  # Keras 2's default
        config["reduction"] = "sum_over_batch_size"
    if isinstance(config.get("fn"), (str, dict)):
        config["fn"] = deserialize(config["fn"], custom_objects)
    return obj.from_config(config) if hasattr(obj, "from_config") else obj(**config)


def get(identifier):
    """Returns a loss from a name, a config dict, a `Loss` instance or a callable.

    Class names give instances and function names (or aliases such as `"mse"`) give functions.

    Args:
        identifier: the name, dict, instance or callable; `None` gives `None`.

    Returns:
        A callable loss.

    >>> import minikeras as keras
    >>> keras.losses.get("mse") is keras.losses.mean_squared_error
    True
    >>> type(keras.losses.get("MeanSquaredError")).__name__
    'MeanSquaredError'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, None)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
