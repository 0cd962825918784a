"""`Hashing`: strings or numbers to `hash(value) % num_bins`, as Keras (FarmHash64 / SipHash64)."""

import numpy as np

from ... import config as _config
from .data_layer import DataLayer, as_text, encode_categorical
from .hash_utils import hash_buckets, salt_pair


class Hashing(DataLayer):
    """Hashes each element into one of `num_bins` bins, with the same bins as Keras.

    Strings are hashed as UTF-8 bytes, integers as their decimal string, floats after
    truncation to int64 (TensorFlow's `Fingerprint64`, or SipHash64 keyed by `salt`). With a
    `mask_value`, inputs equal to it go to bin 0 and the others to bins 1 .. num_bins - 1.

    Args:
        num_bins: the number of bins (the mask bin included).
        mask_value: a value mapped to bin 0, or None.
        salt: None (FarmHash64), or 1 or 2 ints keying SipHash64.
        output_mode: `"int"` (int64 bins), `"one_hot"`, `"multi_hot"` or `"count"` (float32).
        sparse: must be False (minikeras has no sparse tensors).

    >>> import minikeras as keras
    >>> keras.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).numpy()
    array([[1],
           [0],
           [1],
           [1],
           [2]])
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else _config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                f"The `num_bins` for `Hashing` cannot be `None` or non-positive "
                f"values. Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                f'When `output_mode="int"`, `dtype` should be an integer type, '
                f"'int32' or 'in64'. Received: dtype={kwargs['dtype']}"
            )
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of "
                f"{modes}. Received: output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                "Hashing: `sparse=True` needs sparse tensors, which minikeras does "
                "not have (Keras allows it on TensorFlow only)."
            )
        salt = salt_pair(salt, "Hashing", "size 2")
        self.num_bins, self.mask_value, self.salt = num_bins, mask_value, salt
        self.strong_hash = salt is not None
        self.output_mode, self.sparse = output_mode, sparse

    def _hash_values_to_bins(self, values):
        bins, mask = self.num_bins, None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if values.dtype.kind == "f":
            values = values.astype(np.int64)  # TensorFlow truncates floats before hashing
        out = hash_buckets(values, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = np.asarray(inputs)
        if values.dtype.kind in "SO":
            values = as_text(values)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        ids = self._hash_values_to_bins(values)
        return encode_categorical(ids, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if not input_shape:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self):
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
