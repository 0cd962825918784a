"""`BaseConv`: what every convolution layer shares (arguments, checks, bias and activation).

Subclasses set `rank` (1, 2 or 3 spatial axes), create their weights in `build` and compute the
convolution itself in `convolution_op`; `call` adds the bias and applies the activation.
"""

from ... import activations, constraints, initializers, regularizers
from ...core import ops
from ...core.ops.fused_bias_act import bias_act, conv_bias_act
from ..core_layers.lora import LoRA, lora_weight
from ..core_layers.quantized import take_quantization_args
from ..layer import Layer
from ..layer_tracing import window_room
from .quantized_conv import QuantizedConv
from .conv_utils import (
    channel_axis,
    check_rank,
    check_window,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    window_output_shape,
)


def refuse_arguments(layer, kwargs, names):
    """Keras's error for BaseConv arguments a family does not take (`groups` of a transposed,
    depthwise or separable convolution), which would otherwise pass through `**kwargs`."""
    extra = {name: kwargs[name] for name in names if name in kwargs}
    if extra:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(layer).__name__}: {extra}"
        )


class BaseConv(QuantizedConv, LoRA, Layer):
    """Base of the convolution layers: N-D cross-correlation of the inputs with `kernel`.

    A subclass sets the class attribute `rank` (the number of spatial axes); its family base
    (transposed, depthwise, separable) takes its own Keras signature and passes the shared
    arguments here by keyword.

    Args:
        filters: number of output channels (None for depthwise layers).
        kernel_size, strides, dilation_rate: an int or one int per spatial axis.
        padding: "valid", "same" (or "causal" for 1-D).
        data_format: "channels_last" (default) or "channels_first".
        groups: split the input channels into this many groups, each with its own filters.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as `Dense`.
        lora_rank, lora_alpha: LoRA as for Dense, on `kernel` (Conv1D/2D/3D only, as in Keras):
            the factors are `lora_kernel_a` (kernel.shape[:-1] + (rank,)) and `lora_kernel_b`
            (rank, filters).
        quantization_config: Conv1D/2D/3D only, a minikeras extension (Keras's convolutions
            have no such argument): the config of an int8-quantized convolution, saved in its
            config by `quantize("int8", include_conv=True)` (`quantized_conv.py`).
    """

    _supports_lora = False  # Keras gives LoRA to Conv1D/2D/3D, not the other convolutions
    rank = None  # spatial axes: set by each concrete class

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        lora = {"lora_rank": lora_rank, "lora_alpha": lora_alpha}
        lora = {k: v for k, v in lora.items() if v is not None}
        if lora and not self._supports_lora:  # Keras: not an argument of these layers
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {lora}"
            )
        if self._supports_quantization:
            self.quantization_config = take_quantization_args(type(self), kwargs)
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        rank = self.rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=self._allow_causal())
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        if filters is not None and (not isinstance(filters, int) or filters <= 0):
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters!r}."
            )
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={groups!r}."
            )
        if filters is not None and filters % groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    kernel = lora_weight("kernel")

    def _allow_causal(self):
        return False

    def _placeholder_room(self):
        # a "valid" window needs its dilated extent along axes of unknown size (Layer._trace)
        return window_room(self.kernel_size, self.strides, self.dilation_rate, self.padding)

    # -- checks -----------------------------------------------------------------------------
    def _input_channels(self, shape):
        return shape[channel_axis(self.data_format)]

    def _check_inputs(self, shape, window=True):
        """Rank, channel count (once built) and window size, before any op sees the input."""
        check_rank(self, shape, self.rank, self.data_format)
        channels = self._input_channels(shape)
        built_channels = getattr(self, "_built_channels", None)
        if built_channels is not None and channels is not None and channels != built_channels:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) was built for inputs with "
                f"{built_channels} channels (its kernel has shape {tuple(self.kernel.shape)}), "
                f"but received input shape {tuple(shape)} with {channels} channels "
                f"(data_format={self.data_format})."
            )
        if window:
            check_window(
                self,
                shape,
                self.rank,
                self.data_format,
                self.kernel_size,
                self.dilation_rate,
                self.padding,
            )

    def _known_channels(self, input_shape, window=True):
        self._check_inputs(input_shape, window)
        channels = self._input_channels(input_shape)
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): the channel axis of the input "
                f"must be known. Received input shape {tuple(input_shape)}."
            )
        return channels

    # -- weights and call ---------------------------------------------------------------------
    def _add_bias(self, units):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def build(self, input_shape):
        channels = self._known_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): the number of input channels must "
                f"be evenly divisible by the number of groups. Received groups={self.groups}, "
                f"but the input has {channels} channels (full input shape is "
                f"{tuple(input_shape)})."
            )
        shape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self.add_weight(
            shape=shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self._add_bias(self.filters)
        self._built_channels = channels
        self._build_quantization()
        self._build_lora()  # also marks the layer built when build() is called directly

    def convolution_op(self, inputs, kernel):
        return ops.conv(inputs, kernel, **self._conv_args())

    def _conv_args(self):
        """The geometry keywords of `ops.conv` for this layer."""
        return {
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
        }

    def call(self, inputs):
        self._check_inputs(inputs.shape)
        if type(self).convolution_op is not BaseConv.convolution_op:
            return self._finish(self.convolution_op(inputs, self.kernel))
        return conv_bias_act(
            ops.conv,
            inputs,
            self.kernel,
            self.bias,
            self.activation,
            channel_axis(self.data_format),
            **self._conv_args(),
        )

    def _finish(self, y):
        """Adds the bias along the channel axis, then the activation."""
        return bias_act(y, self.bias, self.activation, axis=channel_axis(self.data_format))

    def _output_channels(self, input_shape):
        return self.filters

    def compute_output_shape(self, input_shape):
        channels = self._output_channels(input_shape)
        return window_output_shape(
            input_shape,
            self.rank,
            self.data_format,
            self.kernel_size,
            self.strides,
            self.dilation_rate,
            self.padding,
            channels,
        )

    def _base_config(self):
        return {
            **super().get_config(),
            "kernel_size": tuple(self.kernel_size),
            "strides": tuple(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": tuple(self.dilation_rate),
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
        }

    def _regularizer_config(self, prefix):
        return {
            f"{prefix}_initializer": initializers.serialize(getattr(self, f"{prefix}_initializer")),
            f"{prefix}_regularizer": regularizers.serialize(getattr(self, f"{prefix}_regularizer")),
            f"{prefix}_constraint": constraints.serialize(getattr(self, f"{prefix}_constraint")),
        }

    def get_config(self):
        config = {**self._base_config(), "filters": self.filters, "groups": self.groups}
        config.update(self._regularizer_config("kernel"))
        config.update(self._regularizer_config("bias"))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        config.update(self._lora_config())
        config.update(self._quantization_config_entry())
        return config
