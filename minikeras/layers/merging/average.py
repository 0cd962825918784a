"""`Average` and `average`: elementwise mean of a list of tensors."""

from ...core import ops
from .base_merge import Merge


class Average(Merge):
    """Elementwise mean of a list of tensors.

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.zeros((1, 2), "float32"), np.ones((1, 2), "float32")
    >>> keras.layers.Average()([a, b]).numpy().tolist()
    [[0.5, 0.5]]
    """

    def _merge_function(self, inputs, masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out / len(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`: `Average(**kwargs)(inputs)`."""
    return Average(**kwargs)(inputs)
