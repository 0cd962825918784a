"""int8 quantization of `Conv1D`, `Conv2D` and `Conv3D`: a minikeras extension, opt-in.

Keras 3.15.1 quantizes no convolution: `Conv2D(...).quantize("int8")` raises
NotImplementedError and `model.quantize("int8")` leaves convolutions in float32 with a warning.
minikeras does the same by default, so that `model.quantize` gives Keras's model and file.
Asked explicitly (`model.quantize("int8", include_conv=True)` or
`conv.quantize("int8", include_conv=True)`), it quantizes these convolutions too, on the
pattern of Keras's int8 `Dense`:

- variables (`variable_serialization_spec`, the weights file's order): int8 `kernel` of the
  float kernel's shape `(*kernel_size, channels // groups, filters)`, `bias`, float32
  `kernel_scale (filters,)`: the kernel is quantized per filter by abs-max over its other axes,
  `kernel = round(w * kernel_scale)` in [-127, 127], as `Dense` quantizes its kernel's columns;
- the call: every window of the input is quantized as `Dense` quantizes an input row (abs-max
  over the window's values) and multiplied in integers (`ops.quantized_conv`,
  `kernels/conv_int8.py`, AVX-512 VNNI where the CPU has it; in predict, a MaxPooling2D(2)
  after a Conv2D runs inside the same kernel, `models/inference_fusion.py`); a weight-only config
  (`Int8QuantizationConfig(activation_quantizer=None)`) convolves the float inputs with the
  dequantized kernel;
- the dtype policy becomes `"int8_from_<source>"` and the config keeps `quantization_config`, so
  minikeras loads the saved model back quantized (all three file formats). Keras cannot load such
  a file: its convolutions have no quantized build.
- training after quantization as `Dense`: the int8 kernel and scale are frozen, the bias trains,
  gradients reach the inputs through the dequantized kernel, and `enable_lora` adds float32
  factors (`lora_kernel_a` of the kernel's shape with `rank` filters, `lora_kernel_b (rank,
  filters)`) whose update is a convolution with `A` followed by the product with `B`.

Only "int8" and ungrouped convolutions; other modes and `groups > 1` raise NotImplementedError
naming the layer.
"""

import numpy as np

from ...core import ops
from ...core.ops.quantized import quantized_conv
from ..core_layers.quantized import Quantized, is_default_int8_quantizer
from ..core_layers.quantized_dense import quantize_matrix

CONV_SPEC = {None: ["kernel", "bias"], "int8": ["kernel", "bias", "kernel_scale"]}


class QuantizedConv(Quantized):
    """The int8 variables and call of the convolutions (mixed into `BaseConv`; only classes
    with `_supports_quantization` take it)."""

    variable_serialization_spec = CONV_SPEC
    _supports_quantization = False

    def quantize(self, mode=None, type_check=True, config=None, include_conv=False):
        """Quantizes the kernel to int8 when `include_conv=True` (a minikeras extension; see
        the module notes); otherwise raises as Keras 3.15.1 does.

        Args:
            mode: `"int8"` (optional when `config` is given).
            type_check: as Keras, subclasses refuse unless False.
            config: a `keras.quantizers.Int8QuantizationConfig`; default: Keras's int8 one.
            include_conv: opt into the minikeras-only conv quantization.

        Raises:
            NotImplementedError: without `include_conv`, for a convolution family that has no
                int8 form (transposed, depthwise, separable), a mode other than int8, or
                `groups > 1`.
            ValueError: as `Dense.quantize` (not built, already quantized, unknown mode).
        """
        if not (include_conv and self._supports_quantization):
            # Keras's message exactly (model.quantize warns with it); the opt-in is documented
            raise self._not_implemented("quantize")
        if self.groups != 1:
            raise NotImplementedError(
                f"Layer '{self.name}' ({type(self).__name__}): int8 quantization supports "
                f"ungrouped convolutions only. Received: groups={self.groups}"
            )
        return super().quantize(mode, type_check=type_check, config=config)

    def _supported_modes(self):
        return ("int8",)

    def _quantizable_class(self):
        """`Conv1D`/`Conv2D`/`Conv3D` (the class that turns `_supports_quantization` on):
        their subclasses refuse unless `type_check=False`, as Keras's `Dense` subclasses."""
        for cls in type(self).__mro__:
            if cls.__dict__.get("_supports_quantization"):
                return cls
        return type(self)

    def _build_quantization(self):
        if self.quantization_mode is not None and not self._supports_quantization:
            raise self._not_implemented("quantized_build")
        super()._build_quantization()

    def _quantize_arrays(self, w, mode, config):
        arrays = quantize_matrix(w.reshape(-1, w.shape[-1]), mode, config, None)
        return {"kernel": arrays["kernel"].reshape(w.shape), "kernel_scale": arrays["kernel_scale"]}

    def _dequantized(self):
        return self._kernel.numpy().astype(np.float32) / self.kernel_scale.numpy()

    def _lora_update(self, inputs):
        """`(alpha / rank) * conv(inputs, A) @ B` along the channel axis, None without LoRA."""
        if not self.lora_enabled:
            return None
        a, b = self._lora_factors()
        first = self.convolution_op(inputs, a)
        if self.data_format == "channels_first":
            first = ops.moveaxis(first, 1, -1)
        update = (self.lora_alpha / self.lora_rank) * ops.matmul(first, b)
        return ops.moveaxis(update, -1, 1) if self.data_format == "channels_first" else update

    def _int8_call(self, inputs):
        self._check_inputs(inputs.shape)
        quantizer = self._inputs_quantizer
        activation = self.activation
        if is_default_int8_quantizer(quantizer):
            linear = self.lora_enabled
            y = quantized_conv(
                inputs,
                self._kernel,
                self.kernel_scale,
                None if linear else self.bias,
                None if linear else activation,
                epsilon=quantizer.epsilon,
                final=not linear,  # with LoRA the update is added to the full-size output
                **self._conv_args(),
            )
            if not linear:
                return y
        elif quantizer is None:  # weight-only: the float inputs with the dequantized kernel
            kernel = self._frozen(self._kernel, inputs.dtype) / self._frozen(self.kernel_scale)
            y = self.convolution_op(inputs, kernel)
        else:
            raise NotImplementedError(
                f"Layer '{self.name}' ({type(self).__name__}): int8 convolutions quantize their "
                "inputs with the default AbsMaxQuantizer (value_range (-127, 127)) or not at all "
                f"(activation_quantizer=None). Received: {quantizer!r}"
            )
        lora = self._lora_update(inputs)
        if lora is not None:
            y = y + lora
        return self._finish(y)

    def _quantization_config_entry(self):
        if self.quantization_mode is None:  # Keras's convolutions have no such argument
            return {}
        return super()._quantization_config_entry()
