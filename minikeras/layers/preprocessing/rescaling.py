"""`Rescaling`: `inputs * scale + offset` (e.g. pixels in [0, 255] to [0, 1] or [-1, 1])."""

import numpy as np

from ...core import ops
from ..layer import Layer


class Rescaling(Layer):
    """Multiplies the inputs by `scale` and adds `offset`, in the layer's float dtype.

    Args:
        scale: a number, or a list/array broadcast against the inputs (e.g. one per channel).
        offset: a number or a list/array, likewise.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Rescaling(1 / 127.5, offset=-1)(np.array([0, 255], "uint8")).numpy()
    array([-1.,  1.], dtype=float32)
    """

    _converts_python_values = (
        True  # Python numbers and lists of them as input, as Keras 3's DataLayer
    )

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        x = (
            ops.cast(inputs, self.compute_dtype)
            if inputs.dtype != np.dtype(self.compute_dtype)
            else inputs
        )
        scale = np.asarray(self.scale, dtype=self.compute_dtype)
        offset = np.asarray(self.offset, dtype=self.compute_dtype)
        return x * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if isinstance(v, (np.ndarray, list, tuple)) else v

        return {**super().get_config(), "scale": plain(self.scale), "offset": plain(self.offset)}
