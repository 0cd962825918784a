"""The quantized variables and calls of `Embedding` (Keras 3.15.1's layouts).

int8: `embeddings (input_dim, output_dim)` int8 with one float32 `embeddings_scale` per row
(`(input_dim,)`: Keras reduces over `output_dim`, usually the smaller axis). int4: rows packed
two values per byte along the last axis, `(input_dim, ceil(output_dim/2))`, with one scale per
row, or (`"int4/<block>"`) `embeddings_scale` and int8 `embeddings_zero` of shape
`(input_dim, groups)` over blocks of output columns and `g_idx (output_dim,)`. Keras 3.15.1 does
not quantize `Embedding` to float8 (`model.quantize("float8")` leaves it float32 with a
warning), and neither does minikeras. Lookups dequantize only the rows they fetch.
"""

import numpy as np

from ... import quantizers
from ...core import ops
from .quantized import Quantized, grouped_dequantize

EMBEDDING_SPEC = {
    None: ["embeddings"],
    "int8": ["embeddings", "embeddings_scale"],
    "int4": ["embeddings", "embeddings_scale", "embeddings_zero", "g_idx"],
}


class QuantizedEmbedding(Quantized):
    """`Embedding`'s quantized variables and calls (mixed into `Embedding`)."""

    variable_serialization_spec = EMBEDDING_SPEC

    def _supported_modes(self):
        return ("int8", "int4")

    def _quantize_arrays(self, w, mode, config):
        wq = config.weight_quantizer if config is not None else None
        block = getattr(self, "_int4_block_size", None)
        if mode == "int8":
            q, scale = (wq or quantizers.AbsMaxQuantizer(axis=-1))(w)
            return {"embeddings": q.numpy(), "embeddings_scale": scale.numpy()[:, 0]}
        if block is None:
            q, scale = (wq or quantizers.AbsMaxQuantizer(axis=-1, value_range=(-8, 7)))(w)
            packed = quantizers.pack_int4(q, axis=-1)[0].numpy()
            return {"embeddings": packed, "embeddings_scale": scale.numpy()[:, 0]}
        # groups of `block` output columns: quantize the transposed table, as Keras
        q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(w.T, block)
        return {
            "embeddings": quantizers.pack_int4(q.numpy().T, axis=-1)[0].numpy(),
            "embeddings_scale": np.ascontiguousarray(scale.numpy().T),
            "embeddings_zero": np.ascontiguousarray(zero.numpy().T),
            "g_idx": (np.arange(w.shape[1]) // block).astype(np.float32),
        }

    def _rows(self, ids):
        """The float rows of `ids` (any shape) -> `(*ids.shape, output_dim)`, as numpy."""
        q = self._embeddings.numpy()
        rows = q[ids]
        if self.quantization_mode == "int4":
            rows = quantizers.unpack_int4(rows, self.output_dim, axis=-1).numpy()
        scale = self.embeddings_scale.numpy()[ids]
        if self.quantization_mode == "int4" and self._int4_block_size is not None:
            zero = self.embeddings_zero.numpy()[ids]
            return grouped_dequantize(rows, scale, zero, self.g_idx.numpy(), -1)
        return rows.astype(np.float32) / scale[..., None]

    def _dequantized(self):
        return self._rows(np.arange(self.input_dim))

    def _lora_first_product(self, inputs, a):
        return ops.take(a, inputs, axis=0)

    def _lookup(self, inputs):
        ids = inputs if inputs.dtype in ("int32", "int64") else ops.cast(inputs, "int32")
        ids_np = np.asarray(ids.numpy())
        self._check_ids(ids_np)
        out = ops.convert_to_tensor(self._rows(ids_np).astype(self.compute_dtype))
        lora = self._lora_update(ids)
        return out if lora is None else out + lora

    _int8_call = _lookup
    _int4_call = _lookup
