"""`ReversibleEmbedding`: an `Embedding` that can also project hidden states back to logits."""

from ...core import ops
from .embedding import Embedding
from .quantized_reversible import QuantizedReversibleEmbedding


class ReversibleEmbedding(QuantizedReversibleEmbedding, Embedding):
    """Embedding whose `reverse=True` call maps `(..., output_dim)` back to `(..., input_dim)`.

    The reverse projection multiplies by `embeddings.T` ("tied" weights, Press and Wolf 2016) or,
    with `tie_weights=False`, by a separate `reverse_embeddings` `(output_dim, input_dim)`
    weight. No bias. `quantize("int8")` / `quantize("int4")` quantize both weights, with
    Keras 3's variable names and layouts (`quantized_reversible.py`).

    Args:
        input_dim, output_dim: as `Embedding`.
        tie_weights: reuse `embeddings` for the reverse projection (default True).
        embeddings_initializer, embeddings_regularizer, embeddings_constraint, mask_zero: as
            `Embedding` (the initializer also fills `reverse_embeddings`).
        reverse_dtype: dtype the reverse matmul runs in (default: the layer's).
        logit_soft_cap: if set, reverse logits become `tanh(logits / cap) * cap`.

    Call arguments:
        inputs: integer ids, or hidden states with `reverse=True`.
        reverse: project back to the vocabulary instead of embedding.

    >>> import numpy as np, minikeras as keras
    >>> emb = keras.layers.ReversibleEmbedding(10, 4)
    >>> emb(emb(np.array([[1, 2, 3]])), reverse=True).shape
    (1, 3, 10)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        if self.__dict__.get("_embeddings") is not None:
            return
        self._add_table()
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
            )
        # a quantized policy (a loaded config) converts both weights once they exist
        self._build_quantization()
        self._build_lora()

    def call(self, inputs, reverse=False):
        if not reverse:
            out = super().call(inputs)
            if self.mask_zero:  # Keras attaches the mask here, not in compute_mask
                out._keras_mask = ops.not_equal(inputs, 0)
            return out
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        dtype = self.reverse_dtype or self.dtype
        logits = ops.matmul(ops.cast(inputs, dtype), ops.cast(kernel, dtype))
        return self._soft_cap(logits)

    def _soft_cap(self, logits):
        if self.logit_soft_cap is None:
            return logits
        cap = self.logit_soft_cap
        return ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
