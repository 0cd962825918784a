"""`Embedding`: looks up a learned vector for each integer token id."""

import warnings

import numpy as np

from ... import constraints, initializers, regularizers
from ...core import ops
from ..layer import Layer
from .lora import LoRA, lora_weight
from .quantized import take_quantization_args
from .quantized_embedding import QuantizedEmbedding


class InvalidTokenError(IndexError, ValueError):
    """A token id outside `[0, input_dim)`; catchable as IndexError or ValueError."""


class Embedding(QuantizedEmbedding, LoRA, Layer):
    """Turns non-negative integer ids into dense vectors: `outputs = embeddings[ids]`.

    Args:
        input_dim: vocabulary size (largest id + 1).
        output_dim: size of each embedding vector.
        embeddings_initializer: default `"uniform"`, i.e. `RandomUniform(-0.05, 0.05)`.
        embeddings_regularizer, embeddings_constraint: optional penalty and constraint.
        mask_zero: if True, id 0 is padding: the output mask is `ids != 0` (the row for id 0
            is still returned).
        weights: optional initial `(input_dim, output_dim)` matrix (or a one-element list).
        lora_rank, lora_alpha: LoRA as for Dense, on `embeddings`: the factors are
            `lora_embeddings_a` (input_dim, rank) and `lora_embeddings_b` (rank, output_dim).
            Keras 3.15/3.16's `Embedding.build` drops `lora_alpha` (the scale becomes 1);
            minikeras applies it as Keras documents.
        quantization_config: as for Dense; `quantize("int8")` stores int8 `embeddings` and one
            `embeddings_scale` per row (Keras 3.15.1; float8 is not supported, as in Keras).

    Keras 2's `input_length` argument is accepted with a deprecation warning and has no effect
    (as in Keras 3, where ids of any length are embedded). Weights: `embeddings`
    `(input_dim, output_dim)`. Float ids are cast to int32; integer ids are used as they are.

    >>> import numpy as np, minikeras as keras
    >>> keras.layers.Embedding(10, 4)(np.array([[1, 2, 3]])).shape
    (1, 3, 4)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        activity_regularizer=None,
        quantization_config=None,
        **kwargs,
    ):
        kwargs["quantization_config"] = quantization_config
        quantization_config = take_quantization_args(type(self), kwargs)
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Embedding expects a positive integer `{arg}`. Received: {arg}={value!r}"
                )
        self._init_lora(lora_rank, lora_alpha)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False  # ids keep their dtype; they are never cast to float
        if weights is not None:
            self.build(None)
            self.built = True
            if isinstance(weights, (list, tuple)) and len(weights) == 1:
                weights = weights[0]
            table = np.asarray(weights)
            if table.shape != (self.input_dim, self.output_dim):
                raise ValueError(
                    f"Embedding '{self.name}': `weights` must be one ({self.input_dim}, "
                    f"{self.output_dim}) matrix. Received an array of shape {table.shape}."
                )
            self._embeddings.assign(table)  # the table alone, also when LoRA is enabled

    embeddings = lora_weight("embeddings")
    _lora_weight = "embeddings"

    def build(self, input_shape=None):
        if self.__dict__.get("_embeddings") is not None:
            return
        self._add_table()
        self._build_quantization()
        self._build_lora()

    def _add_table(self):
        """The float `embeddings (input_dim, output_dim)` variable."""
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            name="embeddings",
        )

    def call(self, inputs):
        ids = inputs
        if ids.dtype.kind not in "iu":
            ids = ops.cast(ids, "int32")  # float (or bool) ids, as Keras does
        self._check_ids(np.asarray(ids.data))
        out = ops.take(self.embeddings, ids, axis=0)  # (*ids.shape, output_dim)
        return out

    def _check_ids(self, ids):
        if ids.size == 0:
            return
        low, high = ids.min(), ids.max()
        if low < 0 or high >= self.input_dim:
            bad = int(low) if low < 0 else int(high)
            raise InvalidTokenError(
                f"Embedding layer '{self.name}' received token id {bad}, outside the vocabulary "
                f"range [0, {self.input_dim}) (input_dim={self.input_dim}). Received ids with "
                f"shape {ids.shape}."
            )

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            **self._quantization_config_entry(),
            **self._lora_config(),
        }
