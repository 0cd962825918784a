"""`EinsumDense`: a dense layer whose product is any einsum `input,kernel->output`."""

import re

from ... import activations, constraints, initializers, regularizers
from ...core import ops
from ..layer import Layer
from .lora import LoRA, lora_weight
from .quantized import take_quantization_args
from .quantized_dense import QuantizedEinsumDense


def analyze_equation(
    equation, bias_axes, input_shape, output_shape, who="EinsumDense", resolve=True
):
    """Kernel shape, bias shape (or None) and full output shape for an EinsumDense equation.

    `equation` is `ab,bc->ac`, `...b,bc->...c` (leading axes elided) or `ab...,bc->ac...`
    (trailing axes elided); `output_shape` excludes the batch axis and the elided axes.
    `resolve=False` leaves the `None`s of `output_shape` unknown in the returned output shape even
    where the input's size fixes them, as Keras 3's `compute_output_shape` reports it.
    """
    eq = equation.replace(" ", "").replace("...", "0")
    forms = (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False),
        (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
        (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False),
    )
    for pattern, left in forms:  # noqa: B007  (`left` of the match is used below)
        match = re.fullmatch(pattern, eq)
        if match:
            break
    else:
        raise ValueError(
            f"{who}: invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    in_spec, w_spec, out_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (elided > 0 and "0" not in eq):
        raise ValueError(
            f"{who}: equation '{equation}' names {len(in_spec)} input axes, but "
            f"the input has shape {input_shape}."
        )
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    # the full output: batch axis, then (left-elided axes), the partial shape, (right-elided)
    full = [input_shape[0]]
    if left:
        full += list(input_shape[1:elided])
    full += partial
    if elided and not left:
        full += list(input_shape[len(input_shape) - elided :])
    declared = list(full)
    offset = elided if left else 0
    in_pos = {c: i + offset for i, c in enumerate(in_spec)}
    out_pos = {c: i + offset for i, c in enumerate(out_spec)}
    if len(full) != len(out_spec) + elided:
        raise ValueError(
            f"{who}: output_shape {tuple(partial)} does not fit the output spec "
            f"'{out_spec}' of equation '{equation}'."
        )
    for c in in_spec:
        if (
            c in out_pos
            and full[out_pos[c]] is not None
            and full[out_pos[c]] != input_shape[in_pos[c]]
        ):
            raise ValueError(
                f"{who}: input shape and output shape do not match at shared dimension '{c}'. "
                f"Input shape is {input_shape[in_pos[c]]}, and output shape is "
                f"{full[out_pos[c]]} (input_shape={input_shape}, output_shape={tuple(partial)})."
            )
        if c in out_pos and full[out_pos[c]] is None:
            full[out_pos[c]] = input_shape[in_pos[c]]
    for c in out_spec:
        if c not in in_spec and c not in w_spec:
            raise ValueError(
                f"{who}: dimension '{c}' of the output '{out_spec}' is in neither "
                f"the input spec '{in_spec}' nor the weight spec '{w_spec}'."
            )
    kernel = []
    for c in w_spec:
        if c in in_pos:
            kernel.append(input_shape[in_pos[c]])
        elif c in out_pos:
            kernel.append(full[out_pos[c]])
        else:
            raise ValueError(
                f"{who}: weight dimension '{c}' is in neither the input spec "
                f"'{in_spec}' nor the output spec '{out_spec}'."
            )
    if any(d is None for d in kernel):
        raise ValueError(
            f"{who}: the kernel shape {tuple(kernel)} of equation '{equation}' has "
            f"unknown sizes; received input_shape={input_shape}, "
            f"output_shape={tuple(partial)}."
        )
    bias = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(
                    f"{who}: bias dimension '{c}' is not part of the output spec '{out_spec}'."
                )
        first = min(out_spec.index(c) for c in bias_axes)
        bias = [full[out_pos[c]] if c in bias_axes else 1 for c in out_spec[first:]]
        if not left:
            bias += [1] * elided  # broadcast over the trailing elided axes
    bias = None if bias is None else tuple(bias)
    return tuple(kernel), bias, tuple(full if resolve else declared)


class EinsumDense(QuantizedEinsumDense, LoRA, Layer):
    """`activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: e.g. `"ab,bc->ac"` (Dense), `"abc,cd->abd"` (Dense on sequences),
            `"abc,cde->abde"` (project into heads).
        output_shape: the output shape without the batch axis (and without elided axes);
            None entries are taken from the input.
        activation: name or callable; None means linear.
        bias_axes: letters of the output that get a bias (e.g. `"de"`); None means no bias.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        kernel_constraint, bias_constraint, activity_regularizer: as for Dense.
        lora_rank, lora_alpha: LoRA as for Dense; the factors are `lora_kernel_a`
            (kernel.shape[:-1] + (rank,)) and `lora_kernel_b` (rank, kernel.shape[-1]).
        quantization_config: as for Dense; `quantize("int8")` stores an int8 `kernel` and a
            `kernel_scale` shaped to broadcast against the output (Keras 3.15.1's layout).

    Weights: `kernel`, then `bias`, with Keras's shapes (then the LoRA factors if enabled).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 8), bias_axes="d")
    >>> layer(np.ones((2, 5, 3), "float32")).shape
    (2, 5, 8)
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        activity_regularizer=None,  # after Keras 3's arguments: it takes it through **kwargs
        **kwargs,
    ):
        kwargs["quantization_config"] = quantization_config
        quantization_config = take_quantization_args(type(self), kwargs)
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        self._init_lora(lora_rank, lora_alpha)
        self.equation = equation
        self.partial_output_shape = (
            (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        )
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.full_output_shape = None

    kernel = lora_weight("kernel")

    def build(self, input_shape):
        kernel_shape, bias_shape, self.full_output_shape = analyze_equation(
            self.equation,
            self.bias_axes,
            input_shape,
            self.partial_output_shape,
            who=f"EinsumDense layer '{self.name}'",
        )
        self.kernel = self.add_weight(
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self._input_rank = len(input_shape)
        self._build_quantization()
        self._build_lora()

    def call(self, inputs):
        y = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y) if self.activation is not None else y

    def compute_output_shape(self, input_shape):
        # Keras 3 reports output_shape's None axes as unknown, even where the input fixes them
        return analyze_equation(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape, resolve=False
        )[2]

    def get_config(self):
        return {
            **super().get_config(),
            "equation": self.equation,
            "output_shape": tuple(self.partial_output_shape),
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            **self._quantization_config_entry(),
            **self._lora_config(),
        }
