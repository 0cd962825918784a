"""`Attention`: dot-product (Luong-style) attention over `[query, value, (key)]`."""

import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from ... import random
from ..layer import Layer
from .attention_utils import as_bool, causal_mask


class Attention(Layer):
    """Dot-product attention: `softmax(scores(query, key)) @ value`.

    Scores are `query @ key^T` (`score_mode="dot"`, times the learned scalar `scale` when
    `use_scale`) or `concat_score_weight * sum(tanh(scale * (query + key)), -1)`
    (`score_mode="concat"`). Masked key positions get a score of -1e9 before the softmax.

    Args:
        use_scale: learn a scalar `scale` (initialised to 1) multiplying the scores.
        score_mode: `"dot"` or `"concat"` (which adds the scalar weight `concat_score_weight`).
        dropout: dropout rate on the attention weights (training only).
        seed: seed of that dropout.

    Call arguments:
        inputs: `[query (B, Tq, dim), value (B, Tv, dim)]` or `[query, value, key (B, Tv, dim)]`.
        mask: `[query_mask (B, Tq), value_mask (B, Tv)]` (default: the inputs' Keras masks).
            Masked value positions get no attention; masked query positions output zeros.
        return_attention_scores: also return the attention weights (B, Tq, Tv).
        use_causal_mask: position i attends only to positions j <= i.

    >>> import numpy as np, minikeras as keras
    >>> q, v = np.ones((1, 2, 4), "float32"), np.ones((1, 3, 4), "float32")
    >>> keras.layers.Attention()([q, v]).shape
    (1, 2, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of "
                f"{{'dot', 'concat'}}. Received: score_mode={score_mode}"
            )
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float))
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}': expected `dropout` in "
                f"[0, 1]. Received: dropout={dropout!r}"
            )
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        if self.dropout > 0:  # as Keras 3, a generator only when the layer drops
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._returned_scores = False

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_dims(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                shape=(), initializer="ones", name="concat_score_weight"
            )

    def _check_dims(self, shapes):
        q, k = tuple(shapes[0]), tuple(shapes[2] if len(shapes) > 2 else shapes[1])
        v = tuple(shapes[1])
        who = f"{type(self).__name__} layer '{self.name}'"
        if len(q) != 3 or len(v) != 3 or len(k) != 3:
            raise ValueError(
                f"{who} expects 3-D inputs (batch, steps, dim). Received shapes: "
                f"query={q}, value={v}, key={k}"
            )
        if q[-1] is not None and k[-1] is not None and q[-1] != k[-1]:
            raise ValueError(
                f"{who}: query and key must have the same last dimension. "
                f"Received shapes: query={q}, key={k}"
            )
        if v[1] is not None and k[1] is not None and v[1] != k[1]:
            raise ValueError(
                f"{who}: value and key must have the same number of steps. "
                f"Received shapes: value={v}, key={k}"
            )

    def _calculate_scores(self, query, key):
        """Scores (B, Tq, Tv) of every query step against every key step."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)))
            return scores * self.scale if self.scale is not None else scores
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * ops.sum(ops.tanh(pairs), axis=-1)

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = as_bool(mask[0]) if mask else None
        v_mask = as_bool(mask[1]) if mask else None
        scores = self._calculate_scores(query, key)  # (B, Tq, Tv)
        keep = None if v_mask is None else v_mask[:, None, :]  # (B, 1, Tv)
        if use_causal_mask:
            causal = causal_mask(*scores.shape[-2:])  # (1, Tq, Tv): j <= i
            keep = causal if keep is None else keep & causal
        if keep is not None:
            # masked positions: the score minus a large value, so exp() makes them ~0
            big = 65504.0 if scores.dtype == np.float16 else 1.0e9
            scores = scores - np.asarray(big * ~keep, dtype=scores.dtype)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        result = ops.matmul(weights, value)  # (B, Tq, dim)
        if q_mask is not None:
            result = result * q_mask[..., None].astype(result.dtype)
        self._returned_scores = bool(return_attention_scores)
        return (result, weights) if return_attention_scores else result

    def compute_mask(self, inputs, mask=None):
        returned, self._returned_scores = self._returned_scores, False
        if not mask or mask[0] is None:
            return None
        q_mask = mask[0] if isinstance(mask[0], Tensor) else Tensor(np.asarray(mask[0]))
        return [q_mask, None] if returned else q_mask

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        # (a build receives a list of shapes; a lone shape is a tuple of ints)
        if not isinstance(inputs, (list, tuple)) or any(
            d is None or isinstance(d, (int, np.integer)) for d in inputs
        ):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely "
                f"[query, value] or [query, value, key]. Received: inputs={inputs}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely "
                "[query, value] or [query, value, key]. Received length: "
                f"{len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, "
                    f"value_mask]. Received: mask={mask}."
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received "
                    f"a mask list of length {len(mask)}."
                )

    def get_config(self):
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
