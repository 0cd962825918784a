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
    """Adds a list of tensors elementwise; the functional form of `Add`.

    Args:
        inputs: a list of tensors of the same shape (two or more).
        **kwargs: arguments of the `Add` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 2.0]], "float32"), np.array([[10.0, 20.0]], "float32")
    >>> keras.layers.add([a, b]).numpy().tolist()
    [[11.0, 22.0]]
    """
    return Add(**kwargs)(inputs)
