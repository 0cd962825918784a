"""`Dense`: `activation(inputs @ kernel + bias)` over the last axis."""

from ... import activations, constraints, initializers, regularizers
from ...core import ops
from ...core.ops.fused_bias_act import bias_act
from ..layer import InputSpec, Layer
from .lora import LoRA, lora_weight
from .quantized import take_quantization_args
from .quantized_dense import QuantizedDense


class Dense(QuantizedDense, LoRA, Layer):
    """Densely-connected layer: `activation(inputs @ kernel + bias)` on the last axis.

    Args:
        units: size of the output's last axis.
        activation: name or callable; None means linear.
        use_bias: whether to add the learned `bias`.
        kernel_initializer, bias_initializer: default `glorot_uniform` and `zeros`.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional constraints.
        lora_rank: if set, LoRA is enabled when the layer is built (`enable_lora(lora_rank)`):
            `kernel` is frozen and the layer trains `lora_kernel_a` (input_dim, rank) and
            `lora_kernel_b` (rank, units) instead; see `minikeras/layers/core_layers/lora.py`.
        lora_alpha: scales the LoRA update by `lora_alpha / lora_rank` (default `lora_rank`).
            Keras 3.15/3.16's `Dense.build` drops it (the scale becomes 1); minikeras applies it
            as Keras documents.
        quantization_config: a `keras.quantizers.QuantizationConfig` (or its config dict) used
            when the layer is built under a quantized dtype policy (`dtype="int8_from_float32"`)
            or quantized by `quantize(mode)`; see `layers/core_layers/quantized.py`.

    Quantization (Keras 3.15.1's modes): `layer.quantize("int8")` replaces `kernel` by an int8
    `kernel` and a `kernel_scale` (units,); inference then multiplies int8 inputs and weights
    with integer accumulation. `"int4"` and `"float8"` as Keras.

    Weights: `kernel` (input_dim, units), `bias` (units,), then with LoRA `lora_kernel_a` and
    `lora_kernel_b`; `layer.kernel` is then `kernel + lora_alpha / lora_rank * a @ b`.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Dense(3)(np.ones((2, 5), "float32")).shape
    (2, 3)
    """

    def __init__(
        self,
        units,
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
        quantization_config=None,
        **kwargs,
    ):
        kwargs["quantization_config"] = quantization_config
        quantization_config = take_quantization_args(type(self), kwargs)
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Expected a positive integer for `units`. Received: units={units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_lora(lora_rank, lora_alpha)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    kernel = lora_weight("kernel")

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the input to Dense layer '{self.name}' must be known. "
                f"Received input_shape={input_shape}"
            )
        self.kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self._build_quantization()
        self._build_lora()

    def call(self, inputs):
        y = ops.matmul(inputs, self.kernel)  # (..., units)
        return bias_act(y, self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            **self._quantization_config_entry(),
            **self._lora_config(),
        }
