"""`Masking`: marks timesteps whose features all equal `mask_value` as padding."""

from ...core import ops
from ..layer import Layer


class Masking(Layer):
    """Masks timesteps where every feature equals `mask_value`, and zeroes them.

    The output mask is `any(inputs != mask_value, axis=-1)`; downstream layers that support
    masking (RNNs, pooling, ...) skip the masked steps. The output equals the input at kept
    steps and 0 at masked ones, as in Keras.

    Args:
        mask_value: the padding value (default 0.0).

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[1.0], [0.0]]], "float32")
    >>> keras.layers.Masking()(x)._keras_mask.numpy().tolist()
    [[True, False]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def _keep(self, inputs, keepdims):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=keepdims)

    def call(self, inputs):
        keep = self._keep(inputs, keepdims=True)  # (..., 1)
        return inputs * ops.cast(keep, inputs.dtype)

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs, keepdims=False)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
