"""`dot_product_attention`: scaled dot-product attention in Keras 3's (batch, time, heads, depth)
layout, with bias, boolean masks, causal masking and grouped key/value heads.

Composed of recorded ops (two einsums, which run as batched GEMMs, and the softmax kernel), so
its gradient needs no code of its own.
"""

import numpy as np

from ...kernels import load as load_kernels
from .. import autodiff, dtypes
from ..tensor import Tensor
from ._base import to_tensor, unwrap
from .arithmetic import multiply
from .comparison import where
from .linalg import einsum
from .softmax import softmax
from .conversion import cast
from .shape import reshape

__all__ = ["dot_product_attention"]


def _large_negative(dtype):
    # Keras's masked-logit fill: -0.7 * (largest float32, or float16's 65504 for float16)
    return (65500.0 if dtype == np.float16 else 3.38953e38) * -0.7


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention: `softmax(scale * q k^T + bias, masked) v`, per head.

    Args:
        query: `(batch, target_time, num_heads, depth)`.
        key: `(batch, source_time, num_kv_heads, depth)`; `num_heads` must be a multiple of
            `num_kv_heads` (grouped-query attention: each key/value head serves
            `num_heads // num_kv_heads` consecutive query heads).
        value: `(batch, source_time, num_kv_heads, value_depth)`.
        bias: optional, broadcastable to `(batch, num_heads, target_time, source_time)`; added
            to the scaled logits.
        mask: optional boolean, broadcastable to `(batch, num_heads, target_time,
            source_time)`; `False` positions are excluded (a fully masked row attends
            uniformly, as in Keras).
        scale: the logit scale; defaults to `1 / sqrt(depth)`.
        is_causal: whether target position `t` attends only to source positions `<= t`.
        flash_attention: `None` or `False`; `True` raises, as on Keras's CPU backends.
        attn_logits_soft_cap: must be `None`: Keras supports it only with JAX on TPU.

    Returns:
        `(batch, target_time, num_heads, value_depth)` in the inputs' promoted dtype. The
        softmax runs in float32 for float16 inputs (Keras computes it in float32) and in
        float64 for float64 inputs.

    >>> import numpy as np, minikeras as keras
    >>> q = np.ones((2, 4, 8, 16), "float32")
    >>> keras.ops.dot_product_attention(q, q, q).shape
    (2, 4, 8, 16)
    """
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "dot_product_attention: attn_logits_soft_cap is only supported by Keras "
            "with JAX on TPU. Set attn_logits_soft_cap=None. Received: "
            f"attn_logits_soft_cap={attn_logits_soft_cap!r}"
        )
    if flash_attention:
        raise ValueError(
            "dot_product_attention: flash attention is not supported on CPU. "
            "Received: flash_attention=True"
        )
    q, k, v = (to_tensor(t, op="dot_product_attention") for t in (query, key, value))
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(
            "dot_product_attention only supports 4D inputs (batch, time, heads, "
            f"depth). Received: query.shape={q.shape}, key.shape={k.shape}, "
            f"value.shape={v.shape}."
        )
    dtype = dtypes.promote(dtypes.promote(q.dtype, k.dtype), v.dtype)
    if np.dtype(dtype).kind != "f":
        dtype = dtypes.floatx()
    q, k, v = (t if t.dtype == np.dtype(dtype) else cast(t, dtype) for t in (q, k, v))
    b, t_len, n, h = q.shape
    s_len, kv = k.shape[1], k.shape[2]
    if v.shape[2] != kv or v.shape[1] != s_len or n % kv:
        raise ValueError(
            "dot_product_attention: key and value need the same time and head "
            "axes, and query's heads must be a multiple of key's. Received: "
            f"query.shape={q.shape}, key.shape={k.shape}, value.shape={v.shape}."
        )
    g = n // kv
    scale = 1.0 / np.sqrt(k.shape[-1]) if scale is None else scale

    # logits (batch, heads, target, source); head n = kv_head * g + group member
    if g == 1:
        logits = einsum("btnh,bsnh->bnts", q, k)
    else:
        grouped = reshape(q, (b, t_len, kv, g, h))
        logits = reshape(einsum("btkgh,bskh->bkgts", grouped, k), (b, n, t_len, s_len))
    logits = multiply(logits, np.asarray(scale, dtype=logits.dtype))
    if bias is not None:
        logits = logits + to_tensor(bias, dtype=dtype, op="dot_product_attention")
    keep = None
    if mask is not None:
        keep = np.asarray(unwrap(mask, "dot_product_attention")[0]).astype(bool)
    if is_causal:
        causal = np.tril(np.ones((t_len, s_len), dtype=bool))
        keep = causal if keep is None else np.logical_and(keep, causal)
    if keep is not None:
        fill = np.asarray(_large_negative(logits.dtype), dtype=logits.dtype)
        logits = where(np.broadcast_to(keep, logits.shape), logits, fill)
    if logits.dtype == np.float16:
        probs = cast(softmax(cast(logits, "float32"), axis=-1), "float16")
    else:
        probs = softmax(logits, axis=-1)
    if g == 1:
        return einsum("bnts,bsnh->btnh", probs, v)
    probs = reshape(probs, (b, kv, g, t_len, s_len))
    return reshape(einsum("bkgts,bskh->btkgh", probs, v), (b, t_len, n, v.shape[-1]))


def fused_attention(q, k, v, mask=None):
    """Inference-only multi-head attention `softmax(q k^T) v` per (batch, head), with the scores
    kept in cache (`kernels/attention.py`): q `(B, T, H, K)` (scaled), k `(B, S, H, K)`, v
    `(B, S, H, V)` float32 tensors; `mask` None or boolean, broadcastable to `(B, T, S)` with
    a batch axis of B or 1 (False: not attended; the `Softmax` layer's masking). Returns
    `(B, T, H, V)`, or None when a gradient would be recorded, the inputs are not float32 or the
    mask has another shape (the caller then runs the separate ops)."""
    if not all(isinstance(t, Tensor) and t.dtype == np.float32 and t.ndim == 4 for t in (q, k, v)):
        return None
    if autodiff.records(q, k, v):
        return None
    if mask is not None:
        mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        b, t, s = q.shape[0], q.shape[1], k.shape[1]
        if mask.ndim != 3 or mask.shape[0] not in (1, b):
            return None
        try:
            mask = np.broadcast_to(
                mask if mask.dtype == bool else mask > 0.5, (mask.shape[0], t, s)
            )
        except ValueError:
            return None
    return Tensor(load_kernels("attention").attention(q.data, k.data, v.data, mask))
