"""`SeparableConv1D`, `SeparableConv2D`: a depthwise convolution, then a pointwise (1x1) one.

Weights in creation order: `depthwise_kernel` (*kernel_size, in_channels, depth_multiplier),
`pointwise_kernel` (1, [1,] in_channels * depth_multiplier, filters) and `bias` (filters,).
"""

from ... import constraints, initializers, regularizers
from ...core import ops
from .base_conv import BaseConv, refuse_arguments


class BaseSeparableConv(BaseConv):
    """Depthwise-separable convolution over `rank` spatial axes (see the module docstring)."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        refuse_arguments(self, kwargs, ("groups",))  # as Keras
        super().__init__(
            filters,
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
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = self._known_channels(input_shape)
        dm = self.depth_multiplier
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, dm),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="depthwise_kernel",
        )
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * dm, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            name="pointwise_kernel",
        )
        self._add_bias(self.filters)
        self._built_channels = channels
        self._build_quantization()  # a quantized dtype policy: NotImplementedError, as Keras
        self.built = True  # also when build() is called directly

    @property
    def kernel(self):  # for error messages: the kernel that fixes the input channels
        return self.depthwise_kernel

    def call(self, inputs):
        self._check_inputs(inputs.shape)
        y = ops.separable_conv(
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        return self._finish(y)

    def get_config(self):
        config = {
            **self._base_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
        }
        for prefix in ("depthwise", "pointwise", "bias"):
            config.update(self._regularizer_config(prefix))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config


class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: depthwise over steps, then a pointwise mix of channels, plus bias.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: ints.
        padding: "valid" or "same".
        data_format: "channels_last" (default) or "channels_first".
        depth_multiplier: depthwise filters per input channel.
        activation, use_bias: as `Dense`.
        depthwise_*, pointwise_*, bias_*: initializer, regularizer, constraint of each weight.
        activity_regularizer: optional penalty on the output.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.SeparableConv1D(5, 3)(np.ones((2, 8, 4), "float32")).shape
    (2, 6, 5)
    """

    rank = 1


class SeparableConv2D(BaseSeparableConv):
    """2-D separable convolution: `DepthwiseConv2D` (no bias) then a 1x1 `Conv2D`, plus bias.

    Args:
        filters: output channels. kernel_size, strides, dilation_rate: int or (h, w).
        depth_multiplier: depthwise filters per input channel.
        depthwise_*, pointwise_*, bias_*: initializer, regularizer, constraint of each weight.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.SeparableConv2D(6, 3)(np.ones((1, 5, 5, 2), "float32")).shape
    (1, 3, 3, 6)
    """

    rank = 2


SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
