"""`Discretization`: numbers to the index of their bin, bins given or learnt by `adapt`."""

import numpy as np

from .data_layer import DataLayer, encode_categorical


def summarize(values, epsilon):
    """About `1 / epsilon` evenly spaced order statistics of `values`, each weighted by the
    number of values it stands for (Keras's quantile summary: [values; weights])."""
    values = np.sort(np.reshape(values, -1))
    step = max(values.size * epsilon, 1)
    picks = values[int(step - 1) :: int(step)]
    return np.stack([picks, np.ones_like(picks) * step])


def compress_summary(summary, epsilon):
    """Re-samples a summary at the cumulative-weight fractions epsilon, 2 epsilon, ..., 1 by
    linear interpolation (no-op for summaries shorter than `1 / epsilon`)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cum = summary[1].cumsum()
    new_values = np.interp(fractions, cum / cum[-1], summary[0])
    new_cum = np.interp(fractions, cum / cum[-1], cum)
    new_weights = new_cum - np.concatenate(([0.0], new_cum[:-1]))
    return np.stack((new_values, new_weights)).astype("float32")


def merge_summaries(a, b, epsilon):
    merged = np.concatenate((a, b), axis=1)
    return compress_summary(merged[:, np.argsort(merged[0])], epsilon)


class Discretization(DataLayer):
    """Buckets numbers by ranges, with bin boundaries given or learnt by `adapt`.

    With boundaries `[b0, b1, ...]` the bins are `(-inf, b0)`, `[b0, b1)`, ..., `[b_last, inf)`,
    and the output is the bin index (int32) or its encoding.

    `adapt` learns `num_bins - 1` boundaries from approximate quantiles of the data with
    Keras's summary algorithm (sorted, sub-sampled every `epsilon` of the data, merged and
    re-interpolated), so the boundaries equal Keras's.

    Args:
        bin_boundaries: the sorted boundaries, or None to learn them with `adapt`.
        num_bins: the number of bins to learn.
        epsilon: the quantile summary's resolution.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: must be False (minikeras has no sparse tensors).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])).numpy()
    array([[0, 2, 3, 1],
           [1, 3, 2, 1]], dtype=int32)
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError(
                "Discretization: `sparse=True` needs sparse tensors, which minikeras does not have."
            )
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(
                f"Unknown value for argument `output_mode` of Discretization: "
                f"expected one of {modes}. Received: output_mode={output_mode!r}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f"Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries, self.num_bins, self.epsilon = bin_boundaries, num_bins, epsilon
        self.output_mode, self.sparse = output_mode, sparse
        self.reset_state()

    def output_dtype_for(self, input_dtype):
        return "int32" if self.output_mode == "int" else self.dtype

    def adapt(self, data, steps=None):
        """Learns `num_bins - 1` boundaries from `data` (an array, or an iterable of batches)."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        one = isinstance(data, np.ndarray) or hasattr(data, "data") or np.isscalar(data)
        self._adapt_batches(data, steps, lambda: data if one else None)

    def update_state(self, data):
        data = np.asarray(getattr(data, "data", data)).astype("float32")
        self.summary = merge_summaries(summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1]
            self.bin_boundaries = self.bin_boundaries.tolist()

    def reset_state(self):
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at "
                "construction time or call `adapt(dataset)` before you can start "
                "using the `Discretization` layer."
            )
        x = np.asarray(inputs).astype(np.float32)
        ids = np.digitize(x, np.asarray(self.bin_boundaries, dtype=np.float32))
        return encode_categorical(
            ids, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype_for(None)
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,) if len(input_shape) >= 2 else (depth,)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")  # an adapted layer: set after __init__
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
