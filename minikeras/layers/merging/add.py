"""`Add` and `add`: elementwise sum of a list of tensors."""

from ...core import ops
from .base_merge import Merge


class Add(Merge):
    """Elementwise sum of a list of tensors of the same (or broadcastable) shape.

    >>> import numpy as np, minikeras as keras
    >>> x = np.ones((1, 2), "float32")
    >>> keras.layers.Add()([x, x]).numpy().tolist()
    [[2.0, 2.0]]
    """

    def _merge_function(self, inputs, masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out


def add(inputs, **kwargs):
    """Functional form of `Add`: `Add(**kwargs)(inputs)`."""
    return Add(**kwargs)(inputs)
