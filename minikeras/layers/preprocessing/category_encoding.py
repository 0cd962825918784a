"""`CategoryEncoding`: integer ids in `[0, num_tokens)` to one-hot, multi-hot or count rows."""

import numpy as np

from .data_layer import DataLayer, encode_categorical


class CategoryEncoding(DataLayer):
    """Encodes integer ids when their number is known in advance (else use `IntegerLookup`).

    `"one_hot"` adds a last axis of size `num_tokens` (replacing a trailing axis of size 1);
    `"multi_hot"` and `"count"` treat the last axis as the sample and give one row of size
    `num_tokens` per sample. `count_weights` (same shape as the ids, `"count"` mode only) sums
    weights instead of ones. The output has the layer's dtype (float32 by default).

    Args:
        num_tokens: the number of ids.
        output_mode: `"multi_hot"` (default), `"one_hot"` or `"count"`.
        sparse: must be False (minikeras has no sparse tensors).

    >>> import minikeras as keras
    >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> layer([[0, 1], [0, 0], [1, 2], [3, 1]]).numpy()
    array([[1., 1., 0., 0.],
           [1., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 0., 1.]], dtype=float32)
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens "
                "is not known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError(
                "CategoryEncoding: `sparse=True` needs sparse tensors, which "
                "minikeras does not have."
            )
        self.num_tokens, self.output_mode, self.sparse = num_tokens, output_mode, sparse

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f"`count_weights` is not used when `output_mode` is not "
                    f"`'count'`. Received `count_weights={count_weights}`."
                )
            count_weights = np.asarray(count_weights, dtype=self.dtype)
        ids = np.asarray(inputs)
        if ids.size and (ids.min() < 0 or ids.max() >= self.num_tokens):
            raise ValueError(
                f"Layer '{self.name}' (CategoryEncoding) expects inputs in the range "
                f"[0, {self.num_tokens}), the values of `num_tokens`. Received: "
                f"min={ids.min()}, max={ids.max()}"
            )
        return encode_categorical(
            ids, self.output_mode, self.num_tokens, self.dtype, count_weights=count_weights
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self):
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }
