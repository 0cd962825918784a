"""The quantized variables and reverse calls of `ReversibleEmbedding` (Keras 3.15.1's layouts).

The embedding table is quantized as `Embedding`'s (`quantized_embedding.py`). With
`tie_weights=False` the reverse projection `reverse_embeddings (output_dim, input_dim)` is
quantized too, per column (one scale per vocabulary entry, reduced over `output_dim`):
- int8: `reverse_embeddings` int8 and `reverse_embeddings_scale (input_dim,)`;
- int4: packed two per byte along axis 0, `(ceil(output_dim/2), input_dim)`, with
  `reverse_embeddings_scale (input_dim,)`, or in blocks of output rows (`"int4/<block>"`)
  `reverse_embeddings_scale` and `reverse_embeddings_zero` of shape `(groups, input_dim)` (the
  zero point float32, as Keras creates it), sharing the table's `g_idx`.

The reverse call quantizes its inputs per row by abs-max (int8, and int4 when the config asks
for an activation quantizer) and divides the integer product by both scales, as Keras does; the
int8 product runs on the int8 weights (`ops.quantized_dense`). Keras 3.15.1 quantizes
`ReversibleEmbedding` to int8 and int4 only, and so does minikeras.
"""

import numpy as np

from ... import quantizers
from ...core import ops
from ...core.ops.quantized import quantized_dense
from .quantized import grouped_dequantize, is_default_int8_quantizer
from .quantized_embedding import EMBEDDING_SPEC

_REVERSE_SPEC = {
    None: ["reverse_embeddings"],
    "int8": ["reverse_embeddings", "reverse_embeddings_scale"],
    "int4": ["reverse_embeddings", "reverse_embeddings_scale", "reverse_embeddings_zero"],
}


class QuantizedReversibleEmbedding:
    """`ReversibleEmbedding`'s quantization (mixed in before `Embedding`)."""

    _reverse_source = None  # the float reverse weight while `_convert` runs

    @property
    def variable_serialization_spec(self):
        if self.tie_weights:
            return EMBEDDING_SPEC
        return {mode: EMBEDDING_SPEC[mode] + _REVERSE_SPEC[mode] for mode in EMBEDDING_SPEC}

    def _supported_modes(self):
        return ("int8", "int4")

    def _convert(self, mode, config):
        old = None if self.tie_weights else self.__dict__.get("reverse_embeddings")
        self._reverse_source = None if old is None else np.asarray(old.numpy())
        try:
            super()._convert(mode, config)
        finally:
            self._reverse_source = None
        if old is not None:
            self._own_variables.remove(old)

    def _quantize_arrays(self, w, mode, config):
        arrays = super()._quantize_arrays(w, mode, config)
        r = self._reverse_source
        if r is None:  # tied, or re-quantizing the table only (LoRA merged at save)
            return arrays
        wq = config.weight_quantizer if config is not None else None
        if mode == "int8":
            q, scale = (wq or quantizers.AbsMaxQuantizer(axis=0))(r)
            arrays["reverse_embeddings"] = q.numpy()
            arrays["reverse_embeddings_scale"] = scale.numpy()[0]
        elif self._int4_block_size is None:
            q, scale = (wq or quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7)))(r)
            arrays["reverse_embeddings"] = quantizers.pack_int4(q, axis=0)[0].numpy()
            arrays["reverse_embeddings_scale"] = scale.numpy()[0]
        else:
            q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
                r, self._int4_block_size
            )
            arrays["reverse_embeddings"] = quantizers.pack_int4(q.numpy(), axis=0)[0].numpy()
            arrays["reverse_embeddings_scale"] = scale.numpy()
            # Keras 3.15.1 creates this zero point as float32 (the table's is int8)
            arrays["reverse_embeddings_zero"] = zero.numpy().astype(np.float32)
        return arrays

    # -- the reverse projection ------------------------------------------------------------------
    def _reverse_int8(self):
        """(int8 kernel `(output_dim, input_dim)`, its scale `(input_dim,)`), as numpy."""
        if self.tie_weights:
            return np.ascontiguousarray(self._embeddings.numpy().T), self.embeddings_scale.numpy()
        return self.reverse_embeddings.numpy(), self.reverse_embeddings_scale.numpy()

    def _reverse_int4(self):
        """(the int4 values `(output_dim, input_dim)` as int8, scale, zero or None), numpy;
        scale and zero are `(input_dim,)` per column or `(groups, input_dim)` in blocks."""
        if self.tie_weights:
            packed = self._embeddings.numpy().T
            scale = self.embeddings_scale.numpy()
            zero = self.__dict__.get("embeddings_zero")
            scale, zero = (scale, None) if zero is None else (scale.T, zero.numpy().T)
        else:
            packed = self.reverse_embeddings.numpy()
            scale = self.reverse_embeddings_scale.numpy()
            zero = self.__dict__.get("reverse_embeddings_zero")
            zero = None if zero is None else zero.numpy()
        q = quantizers.unpack_int4(packed, self.output_dim, axis=0).numpy()
        return q, scale, zero

    def _reverse_quantized(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
        quantizer = self._inputs_quantizer
        default = is_default_int8_quantizer(quantizer)
        if self.quantization_mode == "int8":
            q, scale = self._reverse_int8()
            if default and inputs.dtype == "float32":  # the integer product on int8 weights
                logits = quantized_dense(
                    inputs,
                    ops.convert_to_tensor(q),
                    ops.convert_to_tensor(scale),
                    epsilon=quantizer.epsilon,
                )
                return self._soft_cap(logits)
            kernel = q.astype(np.float32) / scale
        else:
            q, scale, zero = self._reverse_int4()
            if zero is None:
                kernel = q.astype(np.float32) / scale
            else:
                kernel = grouped_dequantize(q, scale, zero, self.g_idx.numpy(), 0)
        kernel = ops.convert_to_tensor(kernel.astype(inputs.dtype))
        if quantizer is not None:  # Keras: quantized inputs times the weights, over their scale
            qin, in_scale = quantizer(inputs)
            logits = ops.divide(ops.matmul(ops.cast(qin, inputs.dtype), kernel), in_scale)
        else:
            logits = ops.matmul(inputs, kernel)
        return self._soft_cap(logits)

    def _quantized_call(self, inputs, reverse=False):
        if reverse:
            return self._reverse_quantized(inputs)
        out = self._lookup(ops.convert_to_tensor(inputs))
        if self.mask_zero:
            out._keras_mask = ops.not_equal(inputs, 0)
        return out

    _int8_call = _quantized_call
    _int4_call = _quantized_call
