"""`Metric` (stateful, numpy-based), and the reducing metrics `Sum`, `Mean`, `MeanMetricWrapper`."""

import numpy as np

from ..core import dtypes
from ..core.autodiff import no_grad
from ..core.tensor import Tensor
from ..core.variable import Variable
from ..losses.loss import LOSSES
from ..serialization.tables import ObjectKind
from ..utils.naming import to_snake_case, uniquify

# the metrics' `get`/`serialize`/`deserialize` on the serialization floor. `keras.metrics` fills
# the table (class names, their snake case and aliases: every name gives a Metric instance, as in
# Keras 3) and the functions a `{"class_name": "function"}` entry may name (the metric functions
# and the loss functions); registered as "metrics" and "metric_functions"
METRICS = ObjectKind("metric", "keras.metrics", {}, functions={})


def to_numpy(x, dtype=None):
    """A Tensor, Variable or array-like as a numpy array (no gradient involved)."""
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    return a if dtype is None else a.astype(dtype, copy=False)


def squeeze_or_expand(x1, x2, expand_rank_1=True):
    """Keras's rank matching on numpy arrays: drop (or add) one trailing size-1 axis."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def divide_no_nan(a, b):
    a, b = np.asarray(a), np.asarray(b)
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape), np.result_type(a, b))
    np.divide(a, b, out=out, where=np.broadcast_to(b != 0, out.shape))
    return out


def _mask_weights(sample_weight, mask, dtype):
    """Multiplies a mask into the sample weights (the mask alone when there are none)."""
    if mask is None:
        return sample_weight
    m = to_numpy(mask, dtype)
    if sample_weight is None:
        return m
    m, sw = squeeze_or_expand(m, to_numpy(sample_weight, dtype))
    return sw * m


class Metric:
    """Base class of stateful metrics (as `keras.metrics.Metric`).

    Subclasses create state with `add_variable` in `__init__`, accumulate it in
    `update_state(y_true, y_pred, sample_weight=None)` and compute `result()` from it;
    `reset_state()` zeroes the state at the start of each epoch.

    Args:
        dtype: dtype of the state and result (default `floatx()`).
        name: the name shown in training logs.

    >>> import numpy as np, minikeras as keras
    >>> class CountPositives(keras.metrics.Metric):
    ...     def __init__(self, name="count_positives", dtype=None):
    ...         super().__init__(name=name, dtype=dtype)
    ...         self.count = self.add_variable((), "zeros", name="count")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.count.data += np.sum(np.asarray(y_pred) > 0)
    ...     def result(self):
    ...         return self.count.data.copy()
    >>> m = CountPositives()
    >>> m.update_state(None, [1.0, -2.0, 3.0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, dtype=None, name=None):
        self._variables = []
        self._metrics = []
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self._dtype = dtypes.standardize_dtype(dtype)

    def __setattr__(self, key, value):
        object.__setattr__(self, key, value)
        if key.startswith("_") or "_metrics" not in self.__dict__:
            return
        if isinstance(value, Metric) and value is not self and value not in self._metrics:
            self._metrics.append(value)
        elif isinstance(value, Variable) and all(v is not value for v in self._variables):
            self._variables.append(value)

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum", name=None):
        """A non-trainable state variable, tracked in `variables` (Keras 3 signature)."""
        shape, dtype = tuple(shape), dtype or self.dtype
        if initializer in (None, "zeros", "ones") or isinstance(initializer, (int, float)):
            fill = {None: 0.0, "zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
            value = np.full(shape, fill, dtype)
        else:
            from .. import initializers

            init = initializers.get(initializer) if isinstance(initializer, str) else initializer
            value = np.asarray(to_numpy(init(shape, dtype=dtype)), dtype)
        v = Variable(value, trainable=False, name=name or "variable")
        v.path = f"{self.name.replace('/', '>')}/{v.name}"
        self._variables.append(v)
        return v

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` (Keras 2 name)."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for m in self._metrics:
            out.extend(m.variables)
        return out

    def reset_state(self):
        """Zeroes every state variable (called at the start of each epoch)."""
        for v in self.variables:
            v.data[...] = 0

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _result(self, value):
        # a new array: `value` is often a state variable's buffer, which later updates overwrite
        return Tensor(np.array(value, self.dtype))

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class Sum(Metric):
    """Metric: the (weighted) sum of the values passed to `update_state(values, sample_weight)`.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Sum()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    4.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum, self.dtype)
        self.total.data += np.sum(values, dtype="float64")

    def result(self):
        return self._result(self.total.data)


class Mean(Metric):
    """Metric: the (weighted) mean of the values passed to `update_state(values, sample_weight)`.

    Values of shape `(batch, ...)` are first averaged per sample; weights count samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    >>> import minikeras as keras
    >>> m = keras.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, np.mean, self.dtype
        )
        self.total.data += np.sum(values, dtype="float64")
        if sample_weight is not None:
            self.count.data += np.sum(sample_weight, dtype="float64")
        else:
            self.count.data += values.shape[0] if values.ndim >= 1 else 1

    def result(self):
        return self._result(divide_no_nan(self.total.data, self.count.data))


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Keras's per-sample reduction: values are reduced to the weights' rank, weighted, then
    reduced to one value per sample (weights of rank > 1 are reduced with `reduce_fn` too)."""
    mask = getattr(values, "_keras_mask", None)
    values = to_numpy(values, dtype)
    if sample_weight is not None:
        sample_weight = _mask_weights(to_numpy(sample_weight, dtype), mask, dtype)
        values, sample_weight = squeeze_or_expand(values, sample_weight)
        w_ndim = sample_weight.ndim
        if values.ndim > w_ndim:
            values = reduce_fn(values, axis=tuple(range(w_ndim, values.ndim)))
        sample_weight = np.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if w_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, w_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class MeanMetricWrapper(Mean):
    """Metric: the running mean of a per-sample function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the function; it may return a Tensor or an array.
        name: the metric's name (default: the function's name).
        dtype: the metric's dtype.
        **kwargs: passed on to `fn`.

    >>> import minikeras as keras
    >>> m = keras.metrics.MeanMetricWrapper(keras.losses.mean_absolute_error)
    >>> m.update_state([[0.0], [0.0]], [[1.0], [3.0]])
    >>> m.name, float(m.result())
    ('mean_absolute_error', 2.0)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if getattr(fn, "__name__", None) in LOSSES.table:
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)
        with no_grad():
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = _mask_weights(
            None if sample_weight is None else to_numpy(sample_weight, self.dtype), mask, self.dtype
        )
        return super().update_state(to_numpy(values), sample_weight=sample_weight)

    def get_config(self):
        return {**super().get_config(), "fn": METRICS.serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = METRICS.function(config["fn"])
        return cls(**config)
