"""The `Loss` base class, `LossFunctionWrapper`, and Keras 3's reduction helpers.

A loss function gives one value per sample; a `Loss` applies `sample_weight` and any mask
carried by `y_pred` (`apply_mask`, `reduce_weighted_values`), then its reduction
(`reduce_values`). The built-in classes derive from `_FunctionLoss`.
"""

import inspect

import numpy as np

from ..core import dtypes, ops
from ..core.tensor import Tensor
from ..serialization.tables import ObjectKind
from ..utils.naming import to_snake_case, uniquify

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def _keras2_config(config):
    """Keras 2 configs name the default reduction `"auto"`; Keras 3 calls it
    `"sum_over_batch_size"`."""
    if config.get("reduction") == "auto":
        config = {**config, "reduction": "sum_over_batch_size"}
    return config


# the losses' `get`/`serialize`/`deserialize` on the serialization floor; `keras.losses` fills the
# table with the built-in functions, aliases and classes
LOSSES = ObjectKind("loss", "keras.losses", {}, plural="losses", upgrade=_keras2_config)


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
        return {**super().get_config(), "fn": LOSSES.serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (str, dict)):
            config["fn"] = LOSSES.deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _FunctionLoss(LossFunctionWrapper):
    """Base of the built-in loss classes: `_fn` with the keyword arguments named in `_args`, plus
    `reduction`, `name` and `dtype`.

    Defaults come from `_fn`'s signature unless `_defaults` names them (Keras's class default may
    differ in type from its function's). Positional arguments follow Keras 3's constructor
    order: `_positional`, by default `(*_args, "reduction", "name", "dtype")`.
    """

    _fn = None
    _name = None
    _args = ()
    _defaults = {}
    _positional = None
    _unsaved = ()  # arguments Keras 3 leaves out of this loss's config

    def __init__(self, *args, **kwargs):
        cls = type(self).__name__
        order = self._positional or (*self._args, "reduction", "name", "dtype")
        if len(args) > len(order):
            raise TypeError(
                f"{cls} takes at most {len(order)} positional arguments {order}. "
                f"Received: {len(args)}"
            )
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"{cls} got multiple values for argument '{key}'.")
            kwargs[key] = value
        reduction = kwargs.pop("reduction", "sum_over_batch_size")
        name = kwargs.pop("name", None) or self._name
        dtype = kwargs.pop("dtype", None)
        unknown = set(kwargs) - set(self._args)
        if unknown:
            raise TypeError(f"{cls} got unexpected argument(s) {sorted(unknown)}.")
        fn = type(self)._fn
        params = inspect.signature(fn).parameters
        defaults = {k: self._defaults.get(k, params[k].default) for k in self._args}
        values = {k: kwargs.get(k, defaults[k]) for k in self._args}
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **values)
        for k, v in values.items():
            setattr(self, k, v)

    def get_config(self):
        saved = {k: v for k, v in self._fn_kwargs.items() if k not in self._unsaved}
        return {**Loss.get_config(self), **saved}
