"""`Minimum` and `minimum`: elementwise minimum of a list of tensors."""

from ...core import ops
from .base_merge import Merge, masked_reduce


class Minimum(Merge):
    """Elementwise minimum of a list of tensors; masked entries are ignored.

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> keras.layers.Minimum()([a, b]).numpy().tolist()
    [[1.0, 2.0]]
    """

    def _merge_function(self, inputs, masks):
        return masked_reduce(ops.minimum, inputs, masks)


def minimum(inputs, **kwargs):
    """Elementwise minimum of a list of tensors; the functional form of `Minimum`.

    Args:
        inputs: a list of tensors of the same shape (two or more).
        **kwargs: arguments of the `Minimum` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> keras.layers.minimum([a, b]).numpy().tolist()
    [[1.0, 2.0]]
    """
    return Minimum(**kwargs)(inputs)
