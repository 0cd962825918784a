"""`DepthwiseConv1D`, `DepthwiseConv2D`: each input channel convolved with its own filters.

Weights: `kernel` (*kernel_size, in_channels, depth_multiplier) and `bias`
(in_channels * depth_multiplier,). Output channel `c * depth_multiplier + m` is input channel `c`
convolved with `kernel[..., c, m]`.
"""

from ... import regularizers
from ...core import ops
from .base_conv import BaseConv, refuse_arguments


class BaseDepthwiseConv(BaseConv):
    """Depthwise convolution over `rank` spatial axes (see the module docstring)."""

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        refuse_arguments(self, kwargs, ("groups",))  # as Keras
        super().__init__(
            None,  # the output channels follow the input's: no `filters`
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly positive "
                f"value. Received depth_multiplier={depth_multiplier!r}."
            )
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = self.kernel_initializer
        self.depthwise_regularizer = self.kernel_regularizer
        self.depthwise_constraint = self.kernel_constraint

    def build(self, input_shape):
        channels = self._known_channels(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="kernel",
        )
        self._add_bias(channels * self.depth_multiplier)
        self._built_channels = channels
        self._build_quantization()  # a quantized dtype policy: NotImplementedError, as Keras
        self.built = True  # also when build() is called directly

    def convolution_op(self, inputs, kernel):
        return ops.depthwise_conv(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def _output_channels(self, input_shape):
        channels = self._input_channels(input_shape)
        return None if channels is None else channels * self.depth_multiplier

    def get_config(self):
        config = {**self._base_config(), "depth_multiplier": self.depth_multiplier}
        config.update(self._regularizer_config("depthwise"))
        config.update(self._regularizer_config("bias"))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config


class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution: `(batch, steps, channels)` -> `(batch, new_steps, channels * dm)`.

    Args:
        kernel_size, strides, dilation_rate: ints.
        padding: "valid" or "same".
        depth_multiplier: filters per input channel (`dm`).
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias: as `Dense`.
        depthwise_initializer/regularizer/constraint: for `kernel`; bias_*: for `bias`.
        activity_regularizer: optional penalty on the output.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(np.ones((1, 6, 4), "float32")).shape
    (1, 4, 8)
    """

    rank = 1


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: `out[..., c*dm + m] = sum_{a,b} x[..., c] * kernel[a, b, c, m]`.

    Args:
        kernel_size, strides, dilation_rate: int or (height, width).
        padding: "valid" or "same". depth_multiplier: filters per input channel.
        depthwise_initializer/regularizer/constraint: for `kernel`; bias_*: for `bias`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.DepthwiseConv2D(3, padding="same")(np.ones((1, 5, 5, 4), "float32")).shape
    (1, 5, 5, 4)
    """

    rank = 2
