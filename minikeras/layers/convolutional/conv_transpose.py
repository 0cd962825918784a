"""`Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`: transposed ("deconvolution") layers.

Weights: `kernel` (*kernel_size, filters, in_channels) -- note Keras's order, output channels
before input channels -- and `bias` (filters,). The output is the input-gradient of a forward
convolution with the same kernel: "valid" gives `(n - 1) * s + max(k, s)` per axis, "same" gives
`n * s`, and `output_padding` p gives `(n - 1) * s + k + p` ("valid") or
`(n - 1) * s + k % 2 + p` ("same").
"""

from ...core import ops
from .base_conv import BaseConv, refuse_arguments
from .conv_utils import channel_axis, spatial_axes, standardize_tuple, transpose_length


class BaseConvTranspose(BaseConv):
    """Transposed convolution over `rank` spatial axes (see the module docstring)."""

    def _placeholder_room(self):
        return 1, 1  # a transposed convolution fits any input size (Layer._trace)

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        refuse_arguments(self, kwargs, ("groups",))  # as Keras's transposed convolutions
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        rank = self.rank
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"`output_padding` must be < `strides`. Received: output_padding="
                    f"{self.output_padding}, strides={self.strides}"
                )

    def build(self, input_shape):
        channels = self._known_channels(input_shape, window=False)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self._add_bias(self.filters)
        self._built_channels = channels
        self._build_quantization()  # a quantized dtype policy: NotImplementedError, as Keras
        self.built = True  # also when build() is called directly

    def call(self, inputs):
        self._check_inputs(inputs.shape, window=False)  # the output grows: any input size works
        y = ops.conv_transpose(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        return self._finish(y)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        extra = self.output_padding or (None,) * self.rank
        axes = spatial_axes(self.data_format, self.rank)
        for axis, k, s, d, p in zip(
            axes, self.kernel_size, self.strides, self.dilation_rate, extra
        ):
            out[axis] = transpose_length(input_shape[axis], k, s, d, self.padding, p)
        out[channel_axis(self.data_format)] = self.filters
        return out  # a list, as Keras 3's Conv*Transpose (the other conv layers give tuples)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        op = self.output_padding
        config["output_padding"] = tuple(op) if op is not None else None
        return config


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution: `(batch, steps, channels)` -> `(batch, new_steps, filters)`.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: ints.
        padding: "valid" or "same" (output = input * strides).
        output_padding: None or an int of extra steps, smaller than the stride.
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias, kernel_/bias_ initializer, regularizer, constraint,
            activity_regularizer: as `Dense`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv1DTranspose(2, 3, strides=2)(np.ones((1, 4, 3), "float32")).shape
    (1, 9, 2)
    """

    rank = 1


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution: `y[i*s + a, j*s + b, o] += x[i, j, c] * kernel[a, b, o, c]`.

    Args:
        filters: output channels. kernel_size, strides, dilation_rate: int or (h, w).
        padding: "valid" or "same" (output = input * strides).
        output_padding: None or an int / (h, w) of extra rows/columns, each < the stride.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv2DTranspose(4, 3, 2, "same")(np.ones((1, 5, 5, 3), "float32")).shape
    (1, 10, 10, 4)
    """

    rank = 2


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution over `(batch, depth, height, width, channels)`.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: an int or 3 ints.
        padding: "valid" or "same" (output = input * strides).
        output_padding: None or an int / 3 ints of extra entries, each smaller than the stride.
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias, kernel_/bias_ initializer, regularizer, constraint,
            activity_regularizer: as `Dense`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Conv3DTranspose(2, 2, 2)(np.ones((1, 2, 2, 2, 1), "float32")).shape
    (1, 4, 4, 4, 2)
    """

    rank = 3

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        output_padding=None,
        dilation_rate=1,
        *args,
        **kwargs,
    ):
        # Keras orders Conv3DTranspose's data_format before output_padding (the 1-D and 2-D
        # layers the other way round); the arguments after dilation_rate are the base's
        super().__init__(
            filters,
            kernel_size,
            strides,
            padding,
            output_padding,
            data_format,
            dilation_rate,
            *args,
            **kwargs,
        )


Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
