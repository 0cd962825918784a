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
    """Averages a list of tensors elementwise; the functional form of `Average`.

    Args:
        inputs: a list of tensors of the same shape (two or more).
        **kwargs: arguments of the `Average` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 2.0]], "float32"), np.array([[3.0, 6.0]], "float32")
    >>> keras.layers.average([a, b]).numpy().tolist()
    [[2.0, 4.0]]
    """
    return Average(**kwargs)(inputs)
