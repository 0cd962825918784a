"""`keras.tree`: Keras 3's utilities for nested structures (lists, tuples, namedtuples, dicts).

Keras 3 semantics (its optree implementation): dict values are visited in sorted key order
(an `OrderedDict` in its own order), `None` is a leaf, and rebuilt dicts keep the key order
of the structure they copy. minikeras's internal helpers in `layers/node.py` are separate
(they visit dicts in insertion order).
"""

from .tree_api import (
    MAP_TO_NONE,
    assert_same_paths,
    assert_same_structure,
    flatten,
    flatten_with_path,
    is_nested,
    lists_to_tuples,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
    pack_sequence_as,
    traverse,
)

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]
