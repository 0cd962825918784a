"""Vectorised grouping of numpy string arrays, for the lookup and hashing layers.

Sorting a million strings (`np.unique`) costs ~200 ms; hashing each string's UTF-32 code units
into a 64-bit integer costs ~15 ms, after which the layers sort or search integers. Every
answer is verified against the strings themselves, so a hash collision costs time (a fallback
to `np.unique`), never a wrong result.
"""

import numpy as np

_PRIME = np.uint64(1099511628211)  # the 64-bit FNV prime, as the polynomial's base
MIN_SIZE = 1024  # below this, np.unique on the strings (and per-element dicts) are as fast


def row_hash(strings):
    """A 64-bit polynomial hash of each element of a 1-D `str_` array (`<U...`).

    Trailing padding (code unit 0) adds nothing, so equal strings hash equally whatever the
    arrays' widths.
    """
    strings = np.ascontiguousarray(strings)
    width = strings.dtype.itemsize // 4
    h = np.zeros(len(strings), np.uint64)
    if width == 0:
        return h
    codes = strings.view(np.uint32).reshape(len(strings), width)
    power = np.uint64(1)
    with np.errstate(over="ignore"):
        for j in range(width):
            h += codes[:, j] * power
            power = power * _PRIME
    return h


def unique_inverse(flat):
    """`np.unique(flat, return_inverse=True)` for a 1-D array, without sorting strings: the
    uniques come in no particular order (callers only map them)."""
    if flat.dtype.kind != "U" or flat.size < MIN_SIZE:
        return np.unique(flat, return_inverse=True)
    _, first, inverse = np.unique(row_hash(flat), return_index=True, return_inverse=True)
    uniques = flat[first]
    if not np.array_equal(uniques[inverse], flat):  # two strings shared a hash
        return np.unique(flat, return_inverse=True)
    return uniques, inverse.reshape(-1)


class StringTable:
    """A `{str: int}` table looked up by hash: `lookup(flat, default)` gives each string's
    value (or `default`) with one binary search per element over the sorted key hashes."""

    def __init__(self, table):
        keys = np.array(list(table), dtype=str) if table else np.array([], dtype="<U1")
        values = np.fromiter(table.values(), dtype=np.int64, count=len(table))
        hashes = row_hash(keys)
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.keys, self.values = hashes[order], keys[order], values[order]
        # two keys sharing a hash would hide one of them: such a table is not usable
        self.usable = len(keys) > 0 and bool(np.all(np.diff(self.hashes) != 0))

    def lookup(self, flat, default):
        h = row_hash(flat)
        pos = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        found = (self.hashes[pos] == h) & (self.keys[pos] == flat)
        return np.where(found, self.values[pos], default)


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
