"""`GroupedQueryAttention` (`keras.layers.GroupQueryAttention`): key/value heads shared by groups
of query heads."""

import math

import numpy as np

from ... import constraints, initializers, regularizers
from ...core import ops
from ..activations.softmax import Softmax, _large_negative
from ..core_layers.einsum_dense import EinsumDense
from ..layer import _to_tensors
from ..regularization.dropout import Dropout
from .attention_utils import merge_attention_masks
from .projected_attention import ProjectedAttention


class GroupedQueryAttention(ProjectedAttention):
    """Grouped-query attention (Ainslie et al., 2023), with Keras 3's weights and masking.

    `num_key_value_heads` key/value heads are each repeated for `num_query_heads //
    num_key_value_heads` consecutive query heads: 1 key/value head is multi-query attention,
    `num_key_value_heads == num_query_heads` is multi-head attention. Scores are
    `softmax(Q K^T / sqrt(head_dim))` over the key positions.

    Args:
        head_dim: size of each head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads (must divide `num_query_heads`).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        sliding_window: `None`, or a positive int: query `i` then sees only keys `j` with
            `|i - j| < sliding_window` (combine with `use_causal_mask` for a causal window).
        flash_attention: accepted as in Keras; the result is the same ordinary attention, and
            as in Keras `True` forbids `dropout > 0` and `return_attention_scores`.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: for the projections.
        use_gate: multiply the attention output by `sigmoid(query projection "gate")` before
            the output projection (gated attention).
        seed: seed of the attention dropout.

    Weights, Keras 3 order: `query` kernel (D, Hq, head_dim) and bias (Hq, head_dim), `key` and
    `value` (D, Hkv, head_dim) and (Hkv, head_dim), `gate` (like `query`, with `use_gate`)
    between them, `attention_output` kernel (Hq, head_dim, D) and bias (D,).

    Call arguments: `query` (B, T, D), `value` (B, S, D), `key` (default `value`),
    `query_mask`/`value_mask`/`key_mask` (default: the inputs' Keras masks), `attention_mask`
    (B, T, S) True where attention is allowed, `return_attention_scores`, `training`,
    `use_causal_mask`.

    >>> import numpy as np, minikeras as keras
    >>> gqa = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> x = np.ones((1, 3, 8), "float32")
    >>> out, scores = gqa(x, x, return_attention_scores=True)
    >>> out.shape, scores.shape
    ((1, 3, 8), (1, 4, 3, 3))
    """

    _keras_name = "GroupQueryAttention"

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        who = f"GroupQueryAttention layer '{self.name}'"
        for arg, v in (
            ("head_dim", head_dim),
            ("num_query_heads", num_query_heads),
            ("num_key_value_heads", num_key_value_heads),
        ):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
                raise ValueError(
                    f"{who}: expected a positive integer for `{arg}`. Received: {arg}={v!r}"
                )
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f"{who}: `num_query_heads` must be divisible by `num_key_value_heads`. Received: "
                f"num_query_heads={num_query_heads}, num_key_value_heads={num_key_value_heads}"
            )
        if sliding_window is not None and (
            isinstance(sliding_window, bool)
            or not isinstance(sliding_window, int)
            or sliding_window <= 0
        ):
            raise ValueError(
                f"{who}: `sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window!r}"
            )
        if flash_attention and dropout > 0.0:
            raise ValueError(
                f"{who}: dropout is not supported when flash attention is enabled. "
                f"Set dropout to 0.0 to use flash attention. Received: "
                f"dropout={dropout}"
            )
        self.supports_masking = True
        self.head_dim, self.num_query_heads = int(head_dim), int(num_query_heads)
        self.num_key_value_heads = int(num_key_value_heads)
        self.num_repeats = self.num_query_heads // self.num_key_value_heads
        self.dropout, self.use_bias, self.use_gate = dropout, use_bias, use_gate
        self.sliding_window = sliding_window
        self._flash_attention = bool(flash_attention)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(self.head_dim))
        self._query_dense = None
        self._build_shapes_dict = None
        self._returned_scores = False

    def _dense(self, equation, output_shape, bias_axes, name, activation=None):
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            name=name,
            # fresh initializer objects per projection, so seeded ones do not repeat values
            kernel_initializer=initializers.get(initializers.serialize(self.kernel_initializer)),
            bias_initializer=initializers.get(initializers.serialize(self.bias_initializer)),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            dtype=self.dtype_policy,
        )

    def build(self, query_shape, value_shape=None, key_shape=None):
        """Creates the projections. `Layer.__call__` passes only the query shape; they are then
        created at the first call, when all shapes are known."""
        if value_shape is None:
            return
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self.feature_dim = query_shape[-1]
        q_heads = (None, self.num_query_heads, self.head_dim)
        kv_heads = (None, self.num_key_value_heads, self.head_dim)
        self._query_dense = self._dense("bqm,muh->bquh", q_heads, "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", kv_heads, "vh", "key")
        self._key_dense.build(key_shape)
        self._gate_dense = None
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", q_heads, "uh", "gate", "sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", kv_heads, "vh", "value")
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy, name="softmax")
        self._dropout_layer = Dropout(
            rate=self.dropout, seed=self.seed, dtype=self.dtype_policy, name="dropout"
        )
        self._output_dense = self._dense(
            "bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output"
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))
        self._finish_build(query_shape, value_shape, key_shape)

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"GroupQueryAttention layer '{self.name}': returning attention scores is not "
                "supported when flash attention is enabled."
            )
        value = _to_tensors(value, self)
        key = value if key is None else _to_tensors(key, self)
        # the inputs' Keras masks fill the mask arguments not passed, as Keras 3's Layer does
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key is not value:
            key_mask = getattr(key, "_keras_mask", None)
        steps = (query.shape[1], value.shape[1])
        mask = merge_attention_masks(
            query_mask, value_mask, key_mask, attention_mask, use_causal_mask, steps
        )
        if self.sliding_window is not None:
            rows, cols = np.arange(steps[0])[:, None], np.arange(steps[1])[None, :]
            band = (np.abs(rows - cols) < self.sliding_window)[None]  # (1, T, S)
            mask = band if mask is None else mask & band
        gate = self._gate_dense(query) if self._gate_dense is not None else None
        q = self._query_dense(query)  # (B, T, Hq, head_dim)
        k = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)  # (B, S, Hq, head_dim)
        v = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        q = q * np.asarray(self._inverse_sqrt_head_dim, dtype=q.dtype)
        scores = ops.einsum("bquh,bkuh->buqk", q, k)  # (B, Hq, T, S)
        if mask is not None:
            mask = np.expand_dims(mask, -3)  # (B, 1, T, S): the same for every head
        if return_attention_scores or self.dropout > 0.0:
            # Keras's explicit path: the Softmax layer, whose fully masked rows are zeros
            scores = self._softmax(scores, mask=mask)
            scores._keras_mask = None
        else:
            # Keras's fused `dot_product_attention` path: fully masked rows come out uniform
            if mask is not None:
                scores = ops.where(mask, scores, _large_negative(scores.dtype))
            scores = ops.softmax(scores, axis=-1)
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        out = ops.einsum("buqk,bkuh->bquh", dropped, v)  # (B, T, Hq, head_dim)
        out = self._output_dense(out if gate is None else out * gate)
        self._returned_scores = bool(return_attention_scores)
        return (out, scores) if return_attention_scores else out

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            key_shape = value_shape if key_shape is None else key_shape
            if query_shape[-1] != tuple(value_shape)[-1]:
                raise ValueError(
                    "The last dimension of `query_shape` and `value_shape` must be equal, but "
                    f"are {query_shape[-1]}, {tuple(value_shape)[-1]}. Received: "
                    f"query_shape={query_shape}, value_shape={tuple(value_shape)}"
                )
            if tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
                raise ValueError(
                    "All dimensions of `value` and `key`, except the last one, must be equal. "
                    f"Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}"
                )
        return query_shape

    def get_config(self):
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }


GroupQueryAttention = GroupedQueryAttention  # the name Keras 3 exports
