"""`Conv1D`, `Conv2D`, `Conv3D`: convolutions over 1, 2 or 3 spatial axes.

Weights: `kernel` (*kernel_size, in_channels // groups, filters) and `bias` (filters,).
"""

from .base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution (temporal): inputs `(batch, steps, channels)`.

    Args:
        filters, kernel_size, strides, dilation_rate, groups: as `Conv2D`, one int each.
        padding: "valid", "same" or "causal" (zeros on the left only, so output step t sees
            inputs up to t).

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv1D(4, 3, padding="causal")(np.ones((2, 10, 3), "float32")).shape
    (2, 10, 4)
    """

    rank = 1
    _supports_lora = True
    _supports_quantization = True

    def _allow_causal(self):
        return True


class Conv2D(BaseConv):
    """2-D convolution over images: inputs `(batch, height, width, channels)` (channels last).

    `out[n, i, j, o] = bias[o] + sum_{a, b, c} x[n, i*s + a*d, j*s + b*d, c] * kernel[a, b, c, o]`
    (cross-correlation, no kernel flip). "same" padding puts the extra pixel at the end.

    Args:
        filters: number of output channels.
        kernel_size: an int or (height, width).
        strides, dilation_rate: an int or (height, width); strides > 1 with dilation > 1 is
            not allowed (as Keras).
        padding: "valid" (no padding) or "same" (output size ceil(input / stride)).
        data_format: "channels_last" (default) or "channels_first".
        groups: input channels are split into `groups` groups, each convolved with
            `filters // groups` filters; both counts must be divisible by it.
        activation, use_bias, kernel_/bias_ initializer, regularizer, constraint,
            activity_regularizer: as `Dense`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv2D(8, 3, padding="same")(np.ones((2, 6, 6, 3), "float32")).shape
    (2, 6, 6, 8)
    """

    rank = 2
    _supports_lora = True
    _supports_quantization = True


class Conv3D(BaseConv):
    """3-D convolution over volumes: inputs `(batch, depth, height, width, channels)`.

    Args:
        filters: number of output channels.
        kernel_size: an int or (depth, height, width).
        strides, dilation_rate: an int or 3 ints.
        padding: "valid" or "same".
        data_format: "channels_last" (default) or "channels_first".
        groups: as `Conv2D`.
        activation, use_bias, kernel_/bias_ initializer, regularizer, constraint,
            activity_regularizer: as `Dense`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv3D(2, 2)(np.ones((1, 3, 4, 5, 1), "float32")).shape
    (1, 2, 3, 4, 2)
    """

    rank = 3
    _supports_lora = True
    _supports_quantization = True


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
