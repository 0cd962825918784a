"""Global pooling: the max or mean over every spatial axis (`GlobalAveragePooling2D`, ...).

`keepdims=True` keeps the spatial axes with size 1. `GlobalAveragePooling1D` takes a mask
`(batch, steps)` and averages only the unmasked steps (the mask is consumed, not passed on).
"""

from ...core import ops
from ..convolutional.conv_utils import check_rank, spatial_axes, standardize_data_format
from ..layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces `rank` spatial axes with `mode` "max" or "average"."""

    def __init__(self, rank, mode, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.mode = mode
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims

    def build(self, input_shape):
        check_rank(self, input_shape, self.rank, self.data_format)

    def call(self, inputs):
        check_rank(self, inputs.shape, self.rank, self.data_format)
        axes = spatial_axes(self.data_format, self.rank)
        reduce = ops.max if self.mode == "max" else ops.mean
        return reduce(inputs, axis=axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = spatial_axes(self.data_format, self.rank)
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over steps: `(batch, steps, channels)` -> `(batch, channels)`.

    With a mask `(batch, steps)` (e.g. from `Embedding(mask_zero=True)`) only unmasked steps
    are averaged.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the steps axis with size 1.

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[1.0], [3.0], [8.0]]], "float32")
    >>> keras.layers.GlobalAveragePooling1D()(x, mask=np.array([[1, 1, 0]], bool)).numpy()
    array([[2.]], dtype=float32)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "average", data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        check_rank(self, inputs.shape, 1, self.data_format)
        steps = 1 if self.data_format == "channels_last" else 2
        m = ops.cast(mask, inputs.dtype)  # (batch, steps)
        m = ops.expand_dims(m, 2 if self.data_format == "channels_last" else 1)
        total = ops.sum(inputs * m, axis=steps, keepdims=self.keepdims)
        return total / ops.sum(m, axis=steps, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Max over steps: `(batch, steps, channels)` -> `(batch, channels)`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the reduced spatial axes with size 1.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GlobalMaxPooling1D()(np.ones((2, 5, 3), 'float32')).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "max", data_format, keepdims, **kwargs)


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Mean over height and width: `(batch, h, w, channels)` -> `(batch, channels)`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the reduced spatial axes with size 1.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GlobalAveragePooling2D(keepdims=True)(np.ones((2, 4, 4, 3))).shape
    (2, 1, 1, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "average", data_format, keepdims, **kwargs)


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Max over height and width: `(batch, h, w, channels)` -> `(batch, channels)`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the reduced spatial axes with size 1.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GlobalMaxPooling2D()(np.ones((2, 4, 4, 3), 'float32')).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "max", data_format, keepdims, **kwargs)


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Mean over depth, height and width.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the reduced spatial axes with size 1.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GlobalAveragePooling3D()(np.ones((2, 2, 2, 2, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "average", data_format, keepdims, **kwargs)


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Max over depth, height and width.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the reduced spatial axes with size 1.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.GlobalMaxPooling3D()(np.ones((2, 2, 2, 2, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "max", data_format, keepdims, **kwargs)


GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)
