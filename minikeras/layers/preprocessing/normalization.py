"""`Normalization`: standardise features with a mean and variance given or learnt by `adapt`."""

import numpy as np

from ... import config
from ...core import ops
from ...core.tensor import Tensor
from ..layer import Layer


class Normalization(Layer):
    """`(inputs - mean) / max(sqrt(variance), epsilon)` (or the inverse with `invert=True`).

    `mean` and `variance` are passed to the constructor or computed from data by `adapt`: one
    value per index of the kept `axis` (default the last), statistics over all other axes.
    Adapting creates the non-trainable weights `mean`, `variance` and `count` (as Keras).

    Args:
        axis: int, tuple of ints or None (a single scalar mean and variance).
        mean, variance: the statistics (both or neither), broadcast to the kept axes.
        invert: map normalised values back: `inputs * sqrt(variance) + mean`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    >>> layer(np.array([1.0, 3.0], "float32")).numpy().round(4)
    array([-1.4142,  0.    ], dtype=float32)
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, (int, np.integer)):
            axis = (int(axis),)
        else:
            axis = tuple(int(a) for a in axis)
        self.axis = axis
        self.input_mean, self.input_variance = mean, variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError(
                "When setting values directly, `mean` and `variance` must have the same shape. "
                f"Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}"
            )

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(
                f"Layer '{self.name}' (Normalization): all `axis` values must be in the range "
                f"[-ndim, ndim). Received inputs with ndim={ndim}, while axis={self.axis}"
            )
        self._keep = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep:
            if input_shape[d] is None:
                raise ValueError(
                    f"Layer '{self.name}' (Normalization): all `axis` values to be kept must have "
                    f"a known shape. Received axis={self.axis}, inputs.shape={tuple(input_shape)}"
                )
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        self._broadcast = tuple(input_shape[d] if d in self._keep else 1 for d in range(ndim))
        self._stat_shape = tuple(input_shape[d] for d in self._keep)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                self._stat_shape, "zeros", trainable=False, name="mean"
            )
            self.adapt_variance = self.add_weight(
                self._stat_shape, "ones", trainable=False, name="variance"
            )
            self.count = self.add_weight((), "zeros", dtype="int32", trainable=False, name="count")
        else:
            mean = np.asarray(self.input_mean, self.dtype)
            variance = np.asarray(self.input_variance, self.dtype)
            if mean.ndim:  # align the given dims with the kept axes, right to left
                shape = [1] * ndim
                for i in range(1, mean.ndim + 1):
                    shape[self._keep[-i]] = mean.shape[-i]
                mean, variance = mean.reshape(shape), variance.reshape(shape)
            self._fixed = (
                np.broadcast_to(mean, self._broadcast),
                np.broadcast_to(variance, self._broadcast),
            )
        self.built = True  # also when build() is called directly

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and (biased) variance of `data` over every axis but `axis`.

        Args:
            data: a numpy array / Tensor, or an iterable of batches (or (x, y) tuples).
        """
        batches = [data] if isinstance(data, (np.ndarray, Tensor)) or np.isscalar(data) else data
        total_mean = total_var = None
        total = 0
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            batch = batch[0] if isinstance(batch, tuple) else batch
            x = np.asarray(batch.data if isinstance(batch, Tensor) else batch, np.float64)
            if not self.built:
                self.build(x.shape)
                self.built, self._build_shapes = True, tuple(x.shape)
            elif any(x.shape[d] != self._build_input_shape[d] for d in self._keep):
                raise ValueError(
                    f"Layer '{self.name}' (Normalization) was built with input_shape="
                    f"{self._build_input_shape}, but adapt() received data with an incompatible "
                    f"shape, data.shape={x.shape}"
                )
            mean, var = x.mean(axis=self._reduce), x.var(axis=self._reduce)
            n = int(np.prod([x.shape[d] for d in self._reduce]))
            if total_mean is None:
                total_mean, total_var, total = mean, var, n
                continue
            # pooled mean and variance of the data so far and this batch
            w = n / (total + n)
            new_mean = total_mean * (1 - w) + mean * w
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1 - w) + (
                var + (mean - new_mean) ** 2
            ) * w
            total_mean, total = new_mean, total + n
        if total_mean is None:
            raise ValueError("Normalization.adapt() received no data (an empty iterable).")
        if self.input_mean is not None:
            raise ValueError(
                "Normalization.adapt() cannot be used when `mean` and `variance` "
                "were passed to the constructor."
            )
        self.adapt_mean.assign(np.asarray(total_mean, self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(total_var, self.adapt_variance.dtype))

    def _stats(self):
        if self.input_mean is not None:
            return self._fixed
        return (
            np.reshape(self.adapt_mean.data, self._broadcast),
            np.reshape(self.adapt_variance.data, self._broadcast),
        )

    @property
    def mean(self):
        """The mean in the input's broadcast shape and the compute dtype (`None` before build),
        as Keras 3's `Normalization.mean` (refreshed after `adapt` and weight loading)."""
        return self._stat_tensor(0)

    @property
    def variance(self):
        """The variance, shaped and typed as `mean`."""
        return self._stat_tensor(1)

    def _stat_tensor(self, i):
        if not self.built:
            return None
        return ops.convert_to_tensor(np.asarray(self._stats()[i], self.compute_dtype))

    def call(self, inputs):
        x = (
            ops.cast(inputs, self.compute_dtype)
            if inputs.dtype != np.dtype(self.compute_dtype)
            else inputs
        )
        mean, variance = self._stats()
        std = np.maximum(np.sqrt(variance), config.epsilon()).astype(self.compute_dtype)
        mean = mean.astype(self.compute_dtype)
        if self.invert:
            return x * std + mean
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return None if v is None else np.asarray(v).tolist()

        return {
            **super().get_config(),
            "axis": tuple(self.axis),  # a tuple, as Keras 3.15.1 saves it
            "invert": self.invert,
            "mean": plain(self.input_mean),
            "variance": plain(self.input_variance),
        }
