"""Adaptive pooling layers: pool any spatial size to a fixed `output_size`
(`AdaptiveAveragePooling1D/2D/3D`, `AdaptiveMaxPooling1D/2D/3D`).

Each output cell pools the input range `[floor(i * n / m), ceil((i + 1) * n / m))` of every
spatial axis (`keras.ops.adaptive_average_pool` / `adaptive_max_pool`), as Keras 3 does.
"""

from ...core import ops
from ..convolutional.conv_utils import standardize_data_format
from ..layer import Layer


class BaseAdaptivePooling(Layer):
    """Adaptive pooling with `mode` "max" or "average" over `rank` spatial axes."""

    rank = None
    mode = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(output_size, int):
            output_size = (output_size,) * self.rank
        elif not isinstance(output_size, (tuple, list)) or len(output_size) != self.rank:
            raise TypeError(
                f"{type(self).__name__}: `output_size` must be an integer or a tuple of "
                f"{self.rank} integers. Received: output_size={output_size!r}"
            )
        self.output_size = tuple(int(s) for s in output_size)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        pool = ops.adaptive_max_pool if self.mode == "max" else ops.adaptive_average_pool
        return pool(inputs, output_size=self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Average pooling of `(batch, steps, channels)` to `(batch, output_size, channels)`.

    Args:
        output_size: an int or a tuple of 1 int, the output length.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AdaptiveAveragePooling1D(2)(np.ones((1, 5, 3))).shape
    (1, 2, 3)
    """

    rank, mode = 1, "average"


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Average pooling of `(batch, h, w, channels)` to `(batch, *output_size, channels)`.

    Args:
        output_size: an int or a tuple `(out_h, out_w)`.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> keras.layers.AdaptiveAveragePooling2D(2)(x).numpy()[..., 0].tolist()
    [[[2.5, 4.5], [10.5, 12.5]]]
    """

    rank, mode = 2, "average"


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Average pooling of `(batch, d, h, w, channels)` to `(batch, *output_size, channels)`.

    Args:
        output_size: an int or a tuple `(out_d, out_h, out_w)`.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AdaptiveAveragePooling3D((1, 2, 2))(np.ones((2, 3, 5, 5, 4))).shape
    (2, 1, 2, 2, 4)
    """

    rank, mode = 3, "average"


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Max pooling of `(batch, steps, channels)` to `(batch, output_size, channels)`.

    Args:
        output_size: an int or a tuple of 1 int, the output length.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.array([[[1.0], [5.0], [2.0], [4.0], [3.0]]])  # windows [0, 3) and [2, 5)
    >>> keras.layers.AdaptiveMaxPooling1D(2)(x).numpy().ravel().tolist()
    [5.0, 4.0]
    """

    rank, mode = 1, "max"


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Max pooling of `(batch, h, w, channels)` to `(batch, *output_size, channels)`.

    Args:
        output_size: an int or a tuple `(out_h, out_w)`.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> keras.layers.AdaptiveMaxPooling2D(2)(x).numpy()[..., 0].tolist()
    [[[5.0, 7.0], [13.0, 15.0]]]
    """

    rank, mode = 2, "max"


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Max pooling of `(batch, d, h, w, channels)` to `(batch, *output_size, channels)`.

    Args:
        output_size: an int or a tuple `(out_d, out_h, out_w)`.
        data_format: `"channels_last"` (default from `keras.config`) or `"channels_first"`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.AdaptiveMaxPooling3D(2)(np.ones((1, 4, 6, 5, 2))).shape
    (1, 2, 2, 2, 2)
    """

    rank, mode = 3, "max"
