"""Vectorised grouping of numpy string arrays, for the lookup and hashing layers.

Sorting a million strings (`np.unique`) costs ~200 ms; hashing each string's UTF-32 code units
and grouping or looking up the hashes in a hash table (`core/string_index.py`, compiled) costs
a few ms. Every answer is verified against the strings themselves, so a hash collision costs
time (a fallback to `np.unique` or a dict), never a wrong result.
"""

import numpy as np

from ...core import string_index

MIN_SIZE = 1024  # below this, np.unique on the strings (and per-element dicts) are as fast


def unique_inverse(flat):
    """`np.unique(flat, return_inverse=True)` for a 1-D array, without sorting strings: the
    uniques come in order of first appearance (callers only map them)."""
    if flat.dtype.kind != "U" or flat.size < MIN_SIZE:
        return np.unique(flat, return_inverse=True)
    grouped = string_index.group(flat)
    if grouped is None:  # two strings shared a hash
        return np.unique(flat, return_inverse=True)
    first, inverse = grouped
    return flat[first], inverse


class StringTable:
    """A `{str: int}` table looked up by hash: `lookup(flat, default)` gives each string's
    value (or `default`) with one probe of a hash table per element."""

    def __init__(self, table):
        keys = np.array(list(table), dtype=str) if table else np.array([], dtype="<U1")
        self.values = np.fromiter(table.values(), dtype=np.int64, count=len(table))
        self._index = string_index.StringIndex(keys)
        # two keys sharing a hash would hide one of them: such a table is not usable
        self.usable = len(keys) > 0 and self._index.usable

    def lookup(self, flat, default):
        pos = self._index.find(flat)
        return np.where(pos >= 0, self.values[pos], default)


def value_counts(flat):
    """`(values, counts)` of the distinct elements of a 1-D int or str array, vectorised:
    `np.bincount` over a compact int range, else grouping (`unique_inverse`)."""
    if flat.dtype.kind in "iu" and flat.size:
        low, high = int(flat.min()), int(flat.max())
        if high - low <= max(1 << 20, 4 * flat.size):
            counts = np.bincount((flat - low).astype(np.int64), minlength=high - low + 1)
            present = np.flatnonzero(counts)
            return (present + low).astype(flat.dtype), counts[present]
    uniques, inverse = unique_inverse(flat)
    return uniques, np.bincount(inverse, minlength=len(uniques))
