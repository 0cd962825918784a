"""`Multiply` and `multiply`: elementwise product of a list of tensors."""

import numpy as np

from ...core import ops
from .base_merge import Merge, expand_mask


class Multiply(Merge):
    """Elementwise product of a list of tensors.

    Masks (Keras 3): masked entries of an input count as 1 in the product; when every input is
    masked, entries masked in all inputs come out as 0.

    >>> import numpy as np, minikeras as keras
    >>> x = np.full((1, 2), 3.0, "float32")
    >>> keras.layers.Multiply()([x, x]).numpy().tolist()
    [[9.0, 9.0]]
    """

    def _merge_function(self, inputs, masks):
        all_masked = all(m is not None for m in masks)
        out, out_mask = None, None
        for x, m in zip(inputs, masks):
            if m is not None:
                m = expand_mask(m, x)
                x = ops.where(m, x, np.ones((), x.dtype))
                if all_masked:
                    out_mask = m if out_mask is None else ops.logical_or(out_mask, m)
            out = x if out is None else ops.multiply(out, x)
        if all_masked:
            out = ops.where(out_mask, out, np.zeros((), out.dtype))
        return out


def multiply(inputs, **kwargs):
    """Multiplies a list of tensors elementwise; the functional form of `Multiply`.

    Args:
        inputs: a list of tensors of the same shape (two or more).
        **kwargs: arguments of the `Multiply` layer (such as `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    >>> import numpy as np, minikeras as keras
    >>> a, b = np.array([[1.0, 2.0]], "float32"), np.array([[3.0, 4.0]], "float32")
    >>> keras.layers.multiply([a, b]).numpy().tolist()
    [[3.0, 8.0]]
    """
    return Multiply(**kwargs)(inputs)
