"""The quantized variables and calls of `Dense` and `EinsumDense` (Keras 3.15.1's layouts).

`Dense`: int8 `kernel (in, out)` with `kernel_scale (out,)`; int4 `kernel (in, ceil(out/2))`
packed along the last axis, `kernel_scale (out,)` per channel or `(groups, out)` with
`kernel_zero (groups, out)` int8 and `g_idx (in,)` for blocks of input rows. `EinsumDense`: the
same on the kernel, with the int8 scale shaped to broadcast against the output (the kernel's
contracted axes kept as 1s, in output order) and int4 on the kernel flattened to
`(contracted, other)`. See `quantized.py` for the lifecycle.
"""

import numpy as np

from ... import quantizers
from ...core import ops
from ...core.ops.quantized import quantized_dense
from ...core.tensor import Tensor
from .quantized import Quantized, grouped_dequantize, is_default_int8_quantizer

DENSE_SPEC = {
    None: ["kernel", "bias"],
    "int8": ["kernel", "bias", "kernel_scale"],
    "int4": ["kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"],
    "float8": [
        "kernel",
        "bias",
        "inputs_scale",
        "inputs_amax_history",
        "kernel_scale",
        "kernel_amax_history",
        "outputs_grad_scale",
        "outputs_grad_amax_history",
    ],
}


def quantize_matrix(w, mode, config, block_size):
    """Quantizes a 2-D `(rows, columns)` weight along its rows (axis 0), as Keras's Dense.

    Returns:
        `{"kernel", "kernel_scale"[, "kernel_zero", "g_idx"]}` numpy arrays.
    """
    wq = config.weight_quantizer if config is not None else None
    if mode == "int8":
        wq = wq or quantizers.AbsMaxQuantizer(axis=0)
        q, scale = wq(w)
        return {"kernel": q.numpy(), "kernel_scale": np.squeeze(scale.numpy(), axis=0)}
    if block_size is None:
        wq = wq or quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
        q, scale = wq(w)
        packed = quantizers.pack_int4(q, axis=-1)[0].numpy()
        return {"kernel": packed, "kernel_scale": np.squeeze(scale.numpy(), axis=0)}
    q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(w, block_size)
    g_idx = (np.arange(w.shape[0]) // block_size).astype(np.float32)
    return {
        "kernel": quantizers.pack_int4(q, axis=-1)[0].numpy(),
        "kernel_scale": scale.numpy(),
        "kernel_zero": zero.numpy(),
        "g_idx": g_idx,
    }


def dequantize_matrix(layer, columns):
    """The float `(rows, columns)` matrix of a quantized layer's kernel (int8 or int4)."""
    q = layer._kernel.numpy()
    if layer.quantization_mode == "int4":
        q = quantizers.unpack_int4(q, columns, axis=-1).numpy()
    scale = layer.kernel_scale.numpy()
    if layer.quantization_mode == "int4" and layer._int4_block_size is not None:
        return grouped_dequantize(q, scale, layer.kernel_zero.numpy(), layer.g_idx.numpy(), 0)
    return q.astype(np.float32) / scale.reshape(-1)


class QuantizedDense(Quantized):
    """`Dense`'s quantized variables and calls (mixed into `Dense`)."""

    variable_serialization_spec = DENSE_SPEC

    def _quantize_arrays(self, w, mode, config):
        return quantize_matrix(w, mode, config, getattr(self, "_int4_block_size", None))

    def _dequantized(self):
        return dequantize_matrix(self, self.units)

    def _lora_first_product(self, inputs, a):
        return ops.matmul(inputs, a)

    def _finish(self, y, inputs, activation=True):
        lora = self._lora_update(inputs)
        if lora is not None:
            y = y + lora
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y) if activation and self.activation is not None else y

    def _int8_call(self, inputs):
        quantizer = self._inputs_quantizer
        default = is_default_int8_quantizer(quantizer)
        if default and not self.lora_enabled and inputs.dtype == "float32":
            # the whole call in one op: integer product, rescale, bias and activation
            return quantized_dense(
                inputs,
                self._kernel,
                self.kernel_scale,
                self.bias,
                self.activation,
                quantizer.epsilon,
            )
        if default:
            y = quantized_dense(
                inputs, self._kernel, self.kernel_scale, None, None, quantizer.epsilon
            )
        else:  # weight-only (or another quantizer): dequantized product, as Keras's numbers
            kernel = self._frozen(self._kernel, inputs.dtype) / self._frozen(self.kernel_scale)
            y = ops.matmul(self._quantized_inputs(inputs), kernel)
        return self._finish(y, inputs)

    def _quantized_inputs(self, inputs):
        quantizer = self._inputs_quantizer
        if quantizer is None:
            return inputs
        q, scale = quantizer(inputs, axis=-1)
        return ops.cast(q, inputs.dtype) / scale  # quantize-dequantize, gradient-free

    def _int4_call(self, inputs):
        kernel = ops.convert_to_tensor(self._dequantized().astype(inputs.dtype))
        y = ops.matmul(self._quantized_inputs(inputs), kernel)
        return self._finish(y, inputs)

    def _float8_call(self, inputs, training=None):
        if self.lora_enabled:
            raise NotImplementedError("Currently, `_float8_call` doesn't support LoRA")
        x, kernel = float8_operands(self, inputs, training)
        return float8_finish(self, float8_outputs(self, ops.matmul(x, kernel)))


E4M3_MAX, E5M2_MAX = 448.0, 57344.0  # ml_dtypes.finfo("float8_e4m3fn" / "float8_e5m2").max


def float8_operands(layer, inputs, training):
    """The inputs and the kernel quantized to float8 e4m3 and back (Keras 3.15.1's float8
    forward pass). The gradient passes straight through to them; in training, the gradients
    of the `*_scale` / `*_amax_history` variables are their next values (delayed scaling: the
    scale from the history's maximum, `max|x|` rolled into the history), which the optimizer
    writes over them (`overwrite_with_gradient`), as Keras does."""

    @ops.custom_gradient
    def qdq(value, scale, amax_history):
        new_scale = new_history = None
        if training:
            new_scale = quantizers.compute_float8_scale(
                ops.max(amax_history, axis=0), scale, E4M3_MAX
            )
            new_history = quantizers.compute_float8_amax_history(value, amax_history)
        out = quantizers.quantize_and_dequantize(value, scale, "float8_e4m3fn", layer.compute_dtype)
        return out, lambda upstream: (upstream, new_scale, new_history)

    x = qdq(inputs, layer.inputs_scale, layer.inputs_amax_history)
    return x, qdq(layer._kernel, layer.kernel_scale, layer.kernel_amax_history)


def float8_outputs(layer, y):
    """Identity forward; backward quantizes the output gradient to float8 e5m2 and gives the
    `outputs_grad_*` variables their next values (Keras's `quantized_dequantize_outputs`)."""

    @ops.custom_gradient
    def qdq(value, scale, amax_history):
        def grad(upstream):
            new_scale = quantizers.compute_float8_scale(
                ops.max(amax_history, axis=0), scale, E5M2_MAX
            )
            d = quantizers.quantize_and_dequantize(
                upstream, scale, "float8_e5m2", layer.compute_dtype
            )
            return d, new_scale, quantizers.compute_float8_amax_history(upstream, amax_history)

        return value, grad

    return qdq(y, layer.outputs_grad_scale, layer.outputs_grad_amax_history)


def float8_finish(layer, y):
    if layer.bias is not None:  # as Keras: under float32 the bias is rounded through bfloat16
        bias = layer.bias
        if layer.dtype_policy.compute_dtype == "float32":
            bias = ops.cast(ops.cast(bias, "bfloat16"), bias.dtype)
        y = y + bias
    return layer.activation(y) if layer.activation is not None else y


def einsum_specs(equation, ndim):
    """`(input, kernel, output)` specs of an EinsumDense equation with its ellipsis written out
    as letters the equation does not use (as Keras's `_analyze_quantization_info`)."""
    eq = equation.replace(" ", "")
    lhs, out = eq.split("->")
    inp, ker = lhs.split(",")
    if "..." not in inp:
        return inp, ker, out
    free = sorted(set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(eq))
    extra = "".join(free[: ndim - (len(inp) - 3)])
    return inp.replace("...", extra), ker, out.replace("...", extra)


def to_output_layout(scale, spec, reduced, out_spec):
    """A scale computed with `keepdims` over the `reduced` axes of a tensor laid out as `spec`,
    rearranged to broadcast against the output (`out_spec` order, 1 where the tensor has no
    axis): Keras's `_adjust_scale_for_quant`."""
    kept = [c for i, c in enumerate(spec) if i not in reduced]
    s = np.squeeze(scale, axis=tuple(reduced)) if reduced else scale
    order = sorted(range(len(kept)), key=lambda i: out_spec.index(kept[i]))
    s = np.transpose(s, order) if len(order) > 1 else s
    return s.reshape(
        [s.shape[sorted(kept, key=out_spec.index).index(c)] if c in kept else 1 for c in out_spec]
    )


def matmul_form(inp, ker, out):
    """For an einsum `inp,ker->out` that is a matrix product after flattening (the contracted
    axes trail the input and lead the kernel, in the same order; the output is the input's
    other axes then the kernel's, no axis repeated or broadcast), the number of the input's
    leading free axes; else None."""
    free = len(inp) - sum(c not in out for c in inp)
    reduced = inp[free:]
    if free == len(inp) or any(c in out for c in reduced) or not ker.startswith(reduced):
        return None
    if out != inp[:free] + ker[len(reduced) :] or len(set(inp + ker)) != len(out) + len(reduced):
        return None
    return free


class QuantizedEinsumDense(QuantizedDense):
    """`EinsumDense`'s quantized variables and calls (mixed into `EinsumDense`)."""

    def _einsum_info(self):
        inp, ker, out = einsum_specs(self.equation, self._input_rank)
        in_reduced = [i for i, c in enumerate(inp) if c not in out]
        ker_reduced = [i for i, c in enumerate(ker) if c not in out]
        return inp, ker, out, in_reduced, ker_reduced

    def _quantize_arrays(self, w, mode, config):
        inp, ker, out, _, reduced = self._einsum_info()
        if mode == "int8":
            wq = config.weight_quantizer if config is not None else None
            wq = wq or quantizers.AbsMaxQuantizer(axis=tuple(reduced))
            q, scale = wq(w)
            return {
                "kernel": q.numpy(),
                "kernel_scale": to_output_layout(scale.numpy(), ker, reduced, out),
            }
        rows = int(np.prod([w.shape[i] for i in reduced]))
        flat = w.reshape(rows, -1)  # Keras reshapes as it is, contracted axes first or not
        return quantize_matrix(flat, mode, config, getattr(self, "_int4_block_size", None))

    def _dequantized(self):
        shape = self._float_shape
        _, _, _, _, reduced = self._einsum_info()
        if self.quantization_mode == "int8":
            _, ker, out, _, reduced = self._einsum_info()
            kept = "".join(c for i, c in enumerate(ker) if i not in reduced)
            in_out = "".join(c for c in out if c in kept)
            scale = self.kernel_scale.numpy()
            # back to the kernel layout: drop the output-only 1s, reorder, 1 on contracted axes
            s = scale.reshape([scale.shape[out.index(c)] for c in in_out])
            s = np.einsum(f"{in_out}->{kept}", s) if kept else s
            s = np.expand_dims(s, tuple(reduced)) if reduced else s
            return self._kernel.numpy().astype(np.float32) / s
        rows = int(np.prod([shape[i] for i in reduced]))
        return dequantize_matrix(self, int(np.prod(shape)) // rows).reshape(shape)

    def _lora_first_product(self, inputs, a):
        return ops.einsum(self.equation, inputs, a)

    def _int8_call(self, inputs):
        quantizer = self._inputs_quantizer
        if quantizer is None:
            return self._int4_call(inputs)  # weight-only: the dequantized kernel
        inp, ker, out, in_reduced, _ = self._einsum_info()
        kernel, kernel_scale = self._kernel, self.kernel_scale
        split = matmul_form(inp, ker, out)
        if split and is_default_int8_quantizer(quantizer) and inputs.dtype == "float32":
            # a matrix product in disguise: Dense's integer product on the flattened axes
            free, k = inputs.shape[:split], int(np.prod(kernel.shape[: len(inp) - split]))
            n = int(np.prod(kernel.shape[len(inp) - split :]))
            y = quantized_dense(
                ops.reshape(inputs, tuple(free) + (k,)),
                Tensor(kernel.data.reshape(k, n)),
                Tensor(kernel_scale.data.reshape(n)),
                epsilon=quantizer.epsilon,
            )
            y = ops.reshape(y, tuple(free) + tuple(kernel.shape[len(inp) - split :]))
            return self._finish(y, inputs)

        @ops.custom_gradient
        def product(x):
            q, scale = quantizer(x, axis=tuple(in_reduced))
            s = to_output_layout(scale.numpy(), inp, in_reduced, out)
            acc = np.einsum(
                f"{inp},{ker}->{out}",
                q.numpy().astype(np.float64),
                kernel.numpy().astype(np.float64),
            )  # exact integers
            y = acc.astype(x.dtype) / (s * kernel_scale.numpy()).astype(x.dtype)

            def grad(upstream):
                d = np.asarray(upstream.numpy()) / kernel_scale.numpy()
                return ops.convert_to_tensor(
                    np.einsum(f"{out},{ker}->{inp}", d, kernel.numpy().astype(d.dtype))
                )

            return ops.convert_to_tensor(y), grad

        return self._finish(product(inputs), inputs)

    def _int4_call(self, inputs):
        kernel = ops.convert_to_tensor(self._dequantized().astype(inputs.dtype))
        y = ops.einsum(self.equation, self._quantized_inputs(inputs), kernel)
        return self._finish(y, inputs)

    def _float8_call(self, inputs, training=None):
        if self.lora_enabled:
            raise NotImplementedError("Currently, `_float8_call` doesn't support LoRA")
        x, kernel = float8_operands(self, inputs, training)
        return float8_finish(self, float8_outputs(self, ops.einsum(self.equation, x, kernel)))
