"""Max and average pooling over 1, 2 or 3 spatial axes (`MaxPooling2D`, `AveragePooling1D`, ...).

`strides` defaults to `pool_size`. "same" padding follows TensorFlow (output ceil(n / s), the
extra padding at the end); padded cells never win a max and are not counted in an average.
"""

from ...core import ops
from ..convolutional.conv_utils import (
    check_rank,
    check_window,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    window_output_shape,
)
from ..layer import Layer
from ..layer_tracing import window_room


class BasePooling(Layer):
    """Pooling with `mode` "max" or "average" over `rank` spatial axes."""

    def __init__(
        self, rank, mode, pool_size, strides=None, padding="valid", data_format=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.mode = mode
        self.pool_size = standardize_tuple(pool_size, rank, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, rank, "strides")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)

    def build(self, input_shape):
        self._check_inputs(input_shape)

    def _placeholder_room(self):
        # a "valid" pool needs its window along axes of unknown size (Layer._trace)
        return window_room(self.pool_size, self.strides, None, self.padding)

    def _check_inputs(self, shape):
        check_rank(self, shape, self.rank, self.data_format)
        check_window(
            self,
            shape,
            self.rank,
            self.data_format,
            self.pool_size,
            (1,) * self.rank,
            self.padding,
            what="pool",
        )

    def call(self, inputs):
        self._check_inputs(inputs.shape)
        op = ops.max_pool if self.mode == "max" else ops.average_pool
        return op(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        ones = (1,) * self.rank
        return window_output_shape(
            input_shape,
            self.rank,
            self.data_format,
            self.pool_size,
            self.strides,
            ones,
            self.padding,
            None,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": tuple(self.pool_size),
            "padding": self.padding,
            "strides": tuple(self.strides),
            "data_format": self.data_format,
        }


class MaxPooling1D(BasePooling):
    """Max pooling over steps: `(batch, steps, channels)`.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.MaxPooling1D()(np.arange(4.0).reshape(1, 4, 1)).numpy().ravel().tolist()
    [1.0, 3.0]
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "max", pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over height and width: `(batch, height, width, channels)`.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.MaxPooling2D()(np.ones((1, 5, 5, 2), "float32")).shape
    (1, 2, 2, 2)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "max", pool_size, strides, padding, data_format, **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling over depth, height and width.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.MaxPooling3D()(np.ones((1, 4, 4, 4, 1), "float32")).shape
    (1, 2, 2, 2, 1)
    """

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs
    ):
        super().__init__(3, "max", pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(BasePooling):
    """Average pooling over steps: `(batch, steps, channels)`.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AveragePooling1D(2)(np.arange(4.0).reshape(1, 4, 1)).numpy().ravel().tolist()
    [0.5, 2.5]
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "average", pool_size, strides, padding, data_format, **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over height and width.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AveragePooling2D(3, 1, "same")(np.ones((1, 4, 4, 1), "float32")).shape
    (1, 4, 4, 1)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "average", pool_size, strides, padding, data_format, **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling over depth, height and width.

    Args:
        pool_size: an int or one int per spatial axis (the window).
        strides: an int, one int per axis, or None (then `pool_size`).
        padding: "valid" or "same". data_format: "channels_last" (default) or "channels_first".

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AveragePooling3D(2)(np.ones((1, 2, 2, 2, 3), "float32")).shape
    (1, 1, 1, 1, 3)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(3, "average", pool_size, strides, padding, data_format, **kwargs)


MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
