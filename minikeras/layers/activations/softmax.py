"""`Softmax`: softmax over one or more axes, skipping masked positions."""

import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from ..layer import Layer


def _large_negative(dtype):
    return -3e4 if np.dtype(dtype) == np.float16 else -1e9


class Softmax(Layer):
    """Softmax along `axis`: `exp(x - max(x)) / sum(exp(x - max(x)))`.

    Args:
        axis: int or list of ints (default -1).

    Call arguments:
        inputs: the logits.
        mask: optional boolean (or 0/1) mask broadcastable to `inputs` (each mask axis 1 or
            equal to the input's, aligned from the right). Masked positions get no probability:
            they are excluded from the normalisation and output 0, even when a whole slice is
            masked (as Keras 3).

    >>> import numpy as np, minikeras as keras
    >>> out = keras.layers.Softmax()(np.array([[1.0, 1.0]], "float32"), mask=np.array([[1, 0]]))
    >>> out.numpy().tolist()
    [[1.0, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        keep = None
        if mask is not None:
            keep = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
            self._check_mask(inputs.shape, keep.shape)
            if keep.dtype != bool:
                keep = keep > 0.5
            inputs = ops.where(keep, inputs, _large_negative(inputs.dtype))
        if isinstance(self.axis, list) and len(self.axis) > 1:
            axes = tuple(self.axis)
            outputs = ops.exp(inputs - ops.logsumexp(inputs, axis=axes, keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, list) else self.axis
            outputs = ops.softmax(inputs, axis=axis)
        if keep is not None:
            # a fully masked slice would otherwise come out uniform
            outputs = ops.where(keep, outputs, np.zeros((), outputs.dtype))
        return outputs

    def _check_mask(self, input_shape, mask_shape):
        ok = len(mask_shape) <= len(input_shape) and all(
            m in (1, i) for m, i in zip(mask_shape[::-1], input_shape[::-1])
        )
        if not ok:
            raise ValueError(
                f"Softmax layer '{self.name}': the mask must be broadcastable to the inputs (each "
                f"mask axis 1 or equal to the input's, aligned from the right). Received "
                f"inputs.shape={tuple(input_shape)}, mask.shape={tuple(mask_shape)}"
            )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
