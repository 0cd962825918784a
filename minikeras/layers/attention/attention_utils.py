"""Helpers shared by the attention layers: einsum equations and boolean masks."""

import string

import numpy as np

from ...core.tensor import Tensor
from ..node import KerasTensor


def projection_equation(free_dims, bound_dims, output_dims):
    """EinsumDense equation and bias axes mapping `free + bound` input axes to `free + output`
    axes, e.g. (2, 1, 2) -> `"abc,cde->abde"`, `"de"` (the query projection of a 3-D query)."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims : free_dims + bound_dims]
    out = letters[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out


def attention_equations(rank, attention_axes):
    """Einsum equations of the scores and of the weighted sum, for projected tensors of `rank`
    axes `(batch, <other>, <attention axes>, heads, channels)`.

    Scores are `(<batch axes incl. heads>, <query attention axes>, <key attention axes>)`.
    """
    letters = string.ascii_lowercase
    query = letters[:rank]
    batch_axes = [i for i in range(rank - 1) if i not in attention_axes]  # heads included
    extra = iter(letters[rank:])
    key = "".join(next(extra) if i in attention_axes else query[i] for i in range(rank))
    scores = "".join(
        [query[i] for i in batch_axes]
        + [query[i] for i in attention_axes]
        + [key[i] for i in attention_axes]
    )
    return f"{key},{query}->{scores}", f"{scores},{key}->{query}", len(scores)


def shape_of(x):
    if x is None:
        return None
    return tuple(x.shape if isinstance(x, (Tensor, KerasTensor)) else np.shape(x))


def as_bool(mask):
    if mask is None:
        return None
    return np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)


def causal_mask(query_steps, key_steps):
    """(1, T, S) boolean mask, True where key position j <= query position i."""
    return np.tril(np.ones((1, query_steps, key_steps), dtype=bool))


def merge_attention_masks(query_mask, value_mask, key_mask, attention_mask, causal, steps):
    """All masks merged with AND into one boolean array broadcastable to (B, T, S), or None.

    `query_mask` (B, T) becomes (B, T, 1), `value_mask`/`key_mask` (B, S) become (B, 1, S), the
    causal mask is (1, T, S) for `steps = (T, S)`.
    """
    parts = [] if attention_mask is None else [as_bool(attention_mask)]
    if query_mask is not None:
        parts.append(as_bool(query_mask)[..., None])
    for m in (value_mask, key_mask):
        if m is not None:
            parts.append(np.expand_dims(as_bool(m), -2))
    if causal:
        parts.append(causal_mask(*steps))
    if not parts:
        return None
    mask = parts[0]
    for part in parts[1:]:
        mask = mask & part
    return mask
