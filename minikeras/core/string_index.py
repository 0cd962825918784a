"""Grouping and looking up numpy string arrays by hash, for the lookup and hashing layers.

A `<U...` array is UTF-32 code units; `kernels/hash_table.py` hashes each string's units into
64 bits, numbers the distinct hashes in one pass and looks them up in an open-addressing table.
Every answer is checked against the strings themselves (`same_rows`), so a hash collision
makes `group` return None and `StringIndex` unusable (the callers then take `np.unique` or a
dict), never a wrong result.
"""

import numpy as np

from ..kernels import load as load_kernels


def code_units(strings):
    """A 1-D `str_` array as uint32 code units `(n, width)` (trailing units 0), no copy when
    contiguous."""
    strings = np.ascontiguousarray(strings)
    width = strings.dtype.itemsize // 4
    if width == 0:
        return np.zeros((len(strings), 1), np.uint32)
    return strings.view(np.uint32).reshape(len(strings), width)


def row_hash(strings):
    """A 64-bit hash of each element of a 1-D `str_` array; equal strings hash equally whatever
    the arrays' widths."""
    return load_kernels("hash_table").row_hash(code_units(strings))


def group(strings):
    """The distinct strings of a 1-D `str_` array in order of first appearance.

    Returns:
        `(first, inverse)` (int64): `strings[first][inverse]` equals `strings`; None when two
        different strings share a hash.
    """
    k = load_kernels("hash_table")
    units = code_units(strings)
    inverse, first = k.group(k.row_hash(units))
    if not k.same_rows(units, units, first[inverse]).all():
        return None
    return first, inverse


class StringIndex:
    """Positions of distinct `keys` (a 1-D `str_` array): `find(strings)` gives each string's
    position in `keys`, or -1. `usable` is False when two keys share a hash."""

    def __init__(self, keys):
        k = load_kernels("hash_table")
        self._units = code_units(keys)
        self._hashes = k.row_hash(self._units)
        self.usable = len(np.unique(self._hashes)) == len(keys)
        self._slots, self._bits = k.build_index(self._hashes)

    def find(self, strings):
        k = load_kernels("hash_table")
        units = code_units(strings)
        pos = k.find(self._slots, self._bits, self._hashes, k.row_hash(units))
        return np.where(k.same_rows(units, self._units, pos), pos, -1)
