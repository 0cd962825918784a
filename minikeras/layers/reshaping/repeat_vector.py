"""`RepeatVector`: repeats a `(batch, features)` input `n` times along a new axis 1."""

import operator

from ...core import ops
from ..layer import InputSpec, Layer


class RepeatVector(Layer):
    """`(batch, features)` -> `(batch, n, features)`, each row repeated `n` times.

    Args:
        n: int, the number of repetitions.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.RepeatVector(3)(np.ones((2, 5), "float32")).shape
    (2, 3, 5)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        try:
            n = operator.index(n)
        except TypeError:
            raise TypeError(f"RepeatVector expects an integer `n`. Received: n={n!r}") from None
        if n <= 0:  # Keras 3 refuses 0 too
            raise ValueError(f"RepeatVector expects a positive integer `n`. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        x = ops.expand_dims(inputs, 1)  # (batch, 1, features)
        return ops.repeat(x, self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
