"""`MultiHeadAttention`: scaled dot-product attention over several learned projections."""

import inspect
import math

import numpy as np

from ... import constraints, initializers, regularizers
from ...core import ops
from ...core.ops.attention import fused_attention
from ..activations.softmax import Softmax
from ..core_layers.einsum_dense import EinsumDense
from ..layer import _to_tensors
from ..regularization.dropout import Dropout
from .attention_utils import attention_equations, merge_attention_masks, projection_equation
from .projected_attention import ProjectedAttention


class MultiHeadAttention(ProjectedAttention):
    """Multi-head attention (Vaswani et al., 2017), with Keras 3's weights and masking.

    `query`, `key` and `value` are projected into `num_heads` heads, attention weights are
    `softmax(Q K^T / sqrt(key_dim))` over the key positions (masked positions excluded), and the
    weighted values of all heads are projected back to the query's feature size.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default `key_dim`).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: output feature shape (default: the query's last dimension).
        attention_axes: axes of the query attention runs over (default all but batch and
            features).
        sliding_window: `None` (full attention) or a positive int `w`: query position `t` sees
            only key positions `s` with `|t - s| < w` (a symmetric band over axis 1; with
            `use_causal_mask=True` the causal sliding window). Keras 3.15+.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: for the four projections.
        use_gate: gated attention (Qiu et al., 2025, arXiv:2505.06708): the heads' outputs are
            multiplied by `sigmoid(gate projection of the query)`, shaped like the values, before
            the output projection. Keras 3.15+.
        seed: seed of the attention dropout.

    Weights, Keras 3 order: `query_dense` kernel (Dq, H, K) and bias (H, K), `key_dense`,
    with `use_gate` the `gate` projection (Dq, H, V), `value_dense` (V = value_dim),
    `output_dense` kernel (H, V, Dout) and bias (Dout,).

    Call arguments: `query` (B, T, Dq), `value` (B, S, Dv), `key` (B, S, Dk, default value),
    `query_mask`/`value_mask`/`key_mask` (default: the inputs' Keras masks), `attention_mask`
    (B, T, S) with True where attention is allowed, `return_attention_scores`, `training`,
    `use_causal_mask`.

    >>> import numpy as np, minikeras as keras
    >>> mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = np.ones((1, 3, 8), "float32")
    >>> out, scores = mha(x, x, return_attention_scores=True)
    >>> out.shape, scores.shape
    ((1, 3, 8), (1, 2, 3, 3))
    """

    _keras_name = "MultiHeadAttention"

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        sliding_window=None,  # Keras 3's position: after attention_axes
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
        for arg, value in (
            ("num_heads", num_heads),
            ("key_dim", key_dim),
            ("value_dim", value_dim if value_dim else 1),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise ValueError(
                    f"MultiHeadAttention layer '{self.name}': expected a positive "
                    f"integer for `{arg}`. Received: {arg}={value!r}"
                )
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float))
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}': expected `dropout` in "
                f"[0, 1]. Received: dropout={dropout!r}"
            )
        if flash_attention and dropout > 0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please "
                "set dropout to 0.0 to use flash attention."
            )
        self.supports_masking = True
        self._num_heads, self._key_dim = int(num_heads), int(key_dim)
        self._value_dim = int(value_dim) if value_dim else self._key_dim
        self._dropout, self._use_bias = float(dropout), use_bias
        if output_shape:
            output_shape = (output_shape,) if isinstance(output_shape, int) else output_shape
            try:
                output_shape = tuple(int(d) for d in output_shape)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape}. When specified, the "
                    "`output_shape` should be of type tuple, list, or int."
                ) from None
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple. "
                f"Received: attention_axes={attention_axes}"
            )
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        if sliding_window is not None and (
            isinstance(sliding_window, bool)
            or not isinstance(sliding_window, (int, np.integer))
            or sliding_window <= 0
        ):
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}': `sliding_window` must be `None` or a "
                f"positive integer. Received: sliding_window={sliding_window!r}"
            )
        self._sliding_window = None if sliding_window is None else int(sliding_window)
        self._use_gate = bool(use_gate)
        self._gate_dense = None
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        self._query_dense = self._key_dense = self._value_dense = self._output_dense = None
        self._build_shapes_dict = None
        self._returned_scores = False

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # -- building ------------------------------------------------------------------------------
    def _sublayer_kwargs(self):
        # fresh initializer objects per projection, so that seeded ones do not repeat values
        return {
            "kernel_initializer": initializers.get(
                initializers.serialize(self._kernel_initializer)
            ),
            "bias_initializer": initializers.get(initializers.serialize(self._bias_initializer)),
            "kernel_regularizer": self._kernel_regularizer,
            "bias_regularizer": self._bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self._kernel_constraint,
            "bias_constraint": self._bias_constraint,
            "dtype": self.dtype_policy,
        }

    def _projection(self, rank, heads_dim, name, activation=None):
        equation, bias_axes = projection_equation(rank - 1, 1, 2)
        return EinsumDense(
            equation,
            output_shape=[None] * (rank - 2) + [self._num_heads, heads_dim],
            bias_axes=bias_axes if self._use_bias else None,
            activation=activation,
            name=name,
            **self._sublayer_kwargs(),
        )

    def build(self, query_shape, value_shape=None, key_shape=None):
        """Creates the four projections. `Layer.__call__` passes only the query shape; the
        projections are then created at the first call, when all shapes are known."""
        if value_shape is None:
            return
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        who = f"MultiHeadAttention layer '{self.name}'"
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"{who}: all dimensions of `value` and `key`, except the last one, "
                f"must be equal. Received: value_shape={value_shape} and "
                f"key_shape={key_shape}"
            )
        rank = len(query_shape)
        if rank < 3 or len(value_shape) != rank:
            raise ValueError(
                f"{who} expects `query` and `value` of the same rank >= 3, shaped "
                f"(batch, <positions>, features). Received: query_shape="
                f"{query_shape}, value_shape={value_shape}"
            )
        axes = (
            tuple(range(1, rank - 1))
            if self._attention_axes is None
            else tuple(a if a >= 0 else rank + a for a in self._attention_axes)
        )
        if not axes or any(not 1 <= a <= rank - 2 for a in axes):
            raise ValueError(
                f"{who}: `attention_axes` must name axes of the query other than the "
                f"batch and feature axes (1 to {rank - 2} for a rank-{rank} query). "
                f"Received: attention_axes={self._attention_axes}"
            )
        self._attention_axes = axes
        self._query_dense = self._projection(rank, self._key_dim, "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(len(key_shape), self._key_dim, "key")
        self._key_dense.build(key_shape)
        if self._use_gate:  # created between key and value: Keras 3's weight order
            self._gate_dense = self._projection(rank, self._value_dim, "gate", "sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection(rank, self._value_dim, "value")
        self._value_dense.build(value_shape)
        self._dot_equation, self._combine_equation, scores_rank = attention_equations(
            rank + 1, axes
        )
        norm_axes = list(range(scores_rank - len(axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy, name="softmax")
        self._dropout_layer = Dropout(
            rate=self._dropout, seed=self.seed, dtype=self.dtype_policy, name="dropout"
        )
        out_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes = projection_equation(rank - 1, 2, len(out_shape))
        self._output_dense = EinsumDense(
            equation,
            output_shape=[None] * (rank - 2) + list(out_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name="attention_output",
            **self._sublayer_kwargs(),
        )
        self._output_dense.build(query_shape[:-1] + (self._num_heads, self._value_dim))
        self._finish_build(query_shape, value_shape, key_shape)

    # -- computing -----------------------------------------------------------------------------
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
        value = _to_tensors(value, self)
        key = value if key is None else _to_tensors(key, self)
        # the inputs' Keras masks take precedence, as in Keras
        if getattr(query, "_keras_mask", None) is not None:
            query_mask = query._keras_mask
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key is not value:
            key_mask = getattr(key, "_keras_mask", None)
        mask = merge_attention_masks(
            query_mask,
            value_mask,
            key_mask,
            attention_mask,
            use_causal_mask,
            steps=(query.shape[1], value.shape[1]),
        )
        if self._sliding_window is not None:  # (1, T, S): |t - s| < window
            t, s = np.arange(query.shape[1]), np.arange(value.shape[1])
            band = (np.abs(t[:, None] - s[None, :]) < self._sliding_window)[None]
            mask = band if mask is None else np.logical_and(mask, band)
        gate = self._gate_dense(query) if self._use_gate else None  # (B, T, H, V)
        q = self._query_dense(query)  # (B, T, H, K)
        k = self._key_dense(key)  # (B, S, H, K)
        v = self._value_dense(value)  # (B, S, H, V)
        # Keras's hook (the causal mask is already in `mask`)
        args = (q, k, v, mask, training, return_attention_scores)
        out, scores = self._compute_attention(*args[: _hook_arity(type(self))])
        out = self._finish(out, gate)
        self._returned_scores = bool(return_attention_scores)
        return (out, scores) if return_attention_scores else out

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        """The attention of the projected `query (B, T, N, key_dim)`, `key (B, S, N, key_dim)`
        and `value (B, S, N, value_dim)`: Keras's hook, which subclasses override for another
        attention (keras.io's "vision transformer on small datasets" scales the query by a
        learned temperature here).

        Args:
            attention_mask: boolean `(B, T, S)` (or broadcastable), False where a query position
                may not attend to a key position; None for none.
            training: whether dropout applies.
            return_attention_scores: whether the caller wants the scores.
            use_causal_mask: also mask future key positions (Keras passes it only when the
                causal mask is the only one; `call` here always merges it into the mask).

        Returns:
            `(attention_output (B, T, N, value_dim), attention_scores (B, N, T, S) or None)`;
            in predict the default computes the output in one kernel and returns no scores
            unless asked for them.
        """
        if use_causal_mask:
            steps = (query.shape[1], value.shape[1])
            attention_mask = merge_attention_masks(None, None, None, attention_mask, True, steps)
        query = query * np.asarray(self._inverse_sqrt_key_dim, dtype=query.dtype)
        fused = self._fused(query, key, value, attention_mask, return_attention_scores)
        if fused is not None:  # predict: softmax(q k^T) v per (batch, head) in cache
            return fused, None
        scores = ops.einsum(self._dot_product_equation, key, query)  # (B, H, T, S)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores  # (B, T, H, V)

    def _masked_softmax(self, attention_scores, attention_mask=None):
        """The layer's Softmax of the scores `(B, N, T, S)` with the mask `(B, T, S)` broadcast
        over the heads (Keras's hook, for `_compute_attention` overrides)."""
        mask = attention_mask
        if mask is not None:
            mask = np.asarray(getattr(mask, "data", mask))
            at = -2 * len(self._attention_axes) - 1
            while mask.ndim < len(attention_scores.shape):
                mask = np.expand_dims(mask, at)
        scores = self._softmax(attention_scores, mask=mask)
        scores._keras_mask = None
        return scores

    @property
    def _dot_product_equation(self):
        """Keras's name of the scores' einsum equation (`key, query -> scores`)."""
        return self._dot_equation

    def _finish(self, out, gate):
        """The attention's `(B, T, H, V)` result through the gate and the output projection."""
        if gate is not None:
            out = ops.multiply(out, gate)
        return self._output_dense(out)

    def _fused(self, q, k, v, mask, return_attention_scores):
        """`ops.attention.fused_attention(q, k, v, mask)` where it gives the separate ops'
        result (up to float32 rounding): attention over the one time axis of a rank-3 query, no
        dropout, no scores asked for, the layer's own Softmax (whose masking the kernel
        applies); None otherwise (or when the op declines: a gradient recorded, not float32, a
        mask it cannot broadcast)."""
        if (
            return_attention_scores
            or self._dropout > 0
            or self._attention_axes != (1,)
            or type(self._softmax) is not Softmax
        ):
            return None
        return fused_attention(q, k, v, mask)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if (
            value_shape is not None
            and key_shape is not None
            and tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]
        ):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must "
                f"be equal. Received: value_shape={value_shape} and "
                f"key_shape={key_shape}"
            )
        return query_shape[:-1] + self._output_shape if self._output_shape else query_shape

    # -- config --------------------------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            # tuples, as Keras 3 saves them
            "output_shape": None if self._output_shape is None else tuple(self._output_shape),
            "attention_axes": None if self._attention_axes is None else tuple(self._attention_axes),
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # Keras 2 configs carry the build shapes
        shapes = {k: config.pop(k, None) for k in ("query_shape", "value_shape", "key_shape")}
        layer = cls(**config)
        if shapes["query_shape"] is not None and shapes["value_shape"] is not None:
            layer.build(*(None if s is None else tuple(s) for s in shapes.values()))
        return layer


_ARITY = {}


def _hook_arity(cls):
    """How many positional arguments `cls._compute_attention` takes after `self`, at most 6
    (query, key, value, attention_mask, training, return_attention_scores). Keras 3.15.1 passes
    all six and so rejects an override with the older five-argument signature, which keras.io's
    "vision transformer on small datasets" (and earlier Keras 3 releases, which passed five)
    use; minikeras passes what the override takes, so that example runs as written."""
    arity = _ARITY.get(cls)
    if arity is None:
        params = list(inspect.signature(cls._compute_attention).parameters.values())[1:]
        if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
            arity = 6
        else:
            positional = (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
            )
            arity = min(6, sum(p.kind in positional for p in params))
        _ARITY[cls] = arity
    return arity
