"""`Maximum` and `maximum`: elementwise maximum of a list of tensors."""

from ...core import ops
from .base_merge import Merge, masked_reduce


class Maximum(Merge):
    """Elementwise maximum of a list of tensors; masked entries are ignored.

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> keras.layers.Maximum()([a, b]).numpy().tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(self, inputs, masks):
        return masked_reduce(ops.maximum, inputs, masks)


def maximum(inputs, **kwargs):
    """Elementwise maximum of a list of tensors; the functional form of `Maximum`.

    Args:
        inputs: a list of tensors of the same shape (two or more).
        **kwargs: arguments of the `Maximum` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> keras.layers.maximum([a, b]).numpy().tolist()
    [[3.0, 5.0]]
    """
    return Maximum(**kwargs)(inputs)
