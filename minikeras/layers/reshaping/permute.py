"""`Permute`: reorders the non-batch axes."""

from ...core import ops
from ..layer import InputSpec, Layer


class Permute(Layer):
    """Permutes the axes of each sample; `dims` is 1-based (the batch axis stays first).

    Args:
        dims: a permutation of `1..n`, e.g. `(2, 1)` swaps the two axes of `(batch, a, b)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Permute((2, 1))(np.ones((1, 10, 64), "float32")).shape
    (1, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute layer. The set of "
                "indices in `dims` must be consecutive and start from 1. "
                f"Received: dims={dims}"
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": tuple(self.dims)}
