"""`AdditiveAttention`: Bahdanau-style attention over `[query, value, (key)]`."""

from ...core import ops
from .attention import Attention


class AdditiveAttention(Attention):
    """Additive attention: scores `sum(scale * tanh(query + key), -1)`, then as `Attention`.

    Args:
        use_scale: learn a per-feature `scale` vector (dim,) (glorot_uniform); without it the
            tanh terms are summed unweighted.
        dropout: dropout rate on the attention weights (training only).

    Inputs, masks, `return_attention_scores` and `use_causal_mask` are as for `Attention`.

    >>> import numpy as np, minikeras as keras
    >>> q, v = np.ones((1, 2, 4), "float32"), np.ones((1, 3, 4), "float32")
    >>> keras.layers.AdditiveAttention()([q, v]).shape
    (1, 2, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_dims(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(
                shape=(input_shape[0][-1],), initializer="glorot_uniform", name="scale"
            )

    def _calculate_scores(self, query, key):
        # (B, Tq, 1, dim) + (B, 1, Tv, dim) -> (B, Tq, Tv, dim), summed over dim
        terms = ops.tanh(ops.expand_dims(query, -2) + ops.expand_dims(key, -3))
        if self.scale is not None:
            terms = self.scale * terms
        return ops.sum(terms, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
