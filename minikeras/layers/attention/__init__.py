"""Attention layers."""

from .additive_attention import AdditiveAttention
from .attention import Attention
from .grouped_query_attention import GroupedQueryAttention, GroupQueryAttention
from .multi_head_attention import MultiHeadAttention

# Keras 3 exports `GroupQueryAttention` (the class `GroupedQueryAttention`): `.keras` configs
# name it by the export, legacy `.h5` configs by the class
__all__ = [
    "AdditiveAttention",
    "Attention",
    "GroupQueryAttention",
    "GroupedQueryAttention",
    "MultiHeadAttention",
]
