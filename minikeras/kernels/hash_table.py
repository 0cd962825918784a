"""Open-addressing hash tables over 64-bit keys, for grouping and looking up strings.

The lookup and hashing layers see numpy string arrays (`<U...`, UTF-32 code units). `row_hash`
turns each row of code units into a 64-bit polynomial hash (trailing padding adds nothing, so
equal strings hash equally whatever the arrays' widths); `group` numbers the distinct keys of
an array in order of first appearance, and `find` looks keys up in an index built by
`build_index`, both in one pass with linear probing in a power-of-two table (slot = the
multiplicative hash's top bits) that stays at most half full and so in cache for vocabularies
of tens of thousands. `same_rows` checks two code-unit arrays row against row, so that callers
verify every answer against the strings themselves: a hash collision costs time, never a wrong
result. Each function has its numpy reference beside it (`*_ref`), which the tests hold it to.
"""

import numba
import numpy as np

PRIME = np.uint64(1099511628211)  # the 64-bit FNV prime, as the polynomial's base
MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio: the slot's multiplicative hash
MIN_BITS = 10


def row_hash_ref(codes):
    """Reference for `row_hash`: `sum_j codes[:, j] * PRIME**j` modulo 2**64."""
    h = np.zeros(codes.shape[0], np.uint64)
    power = np.uint64(1)
    with np.errstate(over="ignore"):
        for j in range(codes.shape[1]):
            h += codes[:, j].astype(np.uint64) * power
            power = power * PRIME
    return h


@numba.njit(cache=True, nogil=True)
def row_hash(codes):
    """The 64-bit polynomial hash of each row of uint32 `codes (n, width)`."""
    n, width = codes.shape
    out = np.empty(n, np.uint64)
    for i in range(n):
        h = np.uint64(0)
        power = np.uint64(1)
        for j in range(width):
            h += np.uint64(codes[i, j]) * power
            power *= PRIME
        out[i] = h
    return out


@numba.njit(cache=True, nogil=True)
def _slot(key, bits):
    return np.int64((key * MIX) >> np.uint64(64 - bits))


@numba.njit(cache=True, nogil=True)
def _insert_all(keys, count, bits):
    slots = np.full(1 << bits, -1, np.int64)
    mask = (1 << bits) - 1
    for u in range(count):
        s = _slot(keys[u], bits)
        while slots[s] >= 0:
            s = (s + 1) & mask
        slots[s] = u
    return slots


def group_ref(keys):
    """Reference for `group`: `np.unique`'s grouping, renumbered by first appearance."""
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inverse.reshape(-1)], first[order].astype(np.int64)


@numba.njit(cache=True, nogil=True)
def group(keys):
    """Numbers the distinct values of uint64 `keys (n,)` by first appearance.

    Returns:
        `(inverse (n,), first (u,))`, int64: `keys[first][inverse] == keys`, and `first` is
        increasing.
    """
    n = keys.shape[0]
    bits = MIN_BITS
    slots = np.full(1 << bits, -1, np.int64)
    uniques = np.empty(n, np.uint64)
    first = np.empty(n, np.int64)
    inverse = np.empty(n, np.int64)
    count = 0
    for i in range(n):
        key = keys[i]
        mask = (1 << bits) - 1
        s = _slot(key, bits)
        while True:
            u = slots[s]
            if u < 0:
                slots[s] = count
                uniques[count] = key
                first[count] = i
                inverse[i] = count
                count += 1
                if 2 * count > mask + 1:  # keep the table at most half full
                    bits += 1
                    slots = _insert_all(uniques, count, bits)
                break
            if uniques[u] == key:
                inverse[i] = u
                break
            s = (s + 1) & mask
    return inverse, first[:count].copy()


@numba.njit(cache=True, nogil=True)
def build_index(keys):
    """A table of the positions of uint64 `keys (u,)` (distinct) for `find`.

    Returns:
        `(slots, bits)`: int64 slots (a position or -1), `2**bits` of them.
    """
    bits = MIN_BITS
    while (1 << bits) < 2 * keys.shape[0]:
        bits += 1
    return _insert_all(keys, keys.shape[0], bits), bits


def find_ref(keys, queries):
    """Reference for `find`: each query's position in `keys`, -1 when absent."""
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], queries)
    pos = np.minimum(pos, max(len(keys) - 1, 0))
    if not len(keys):
        return np.full(len(queries), -1, np.int64)
    hit = keys[order][pos] == queries
    return np.where(hit, order[pos], -1).astype(np.int64)


@numba.njit(cache=True, nogil=True)
def find(slots, bits, keys, queries):
    """Each of uint64 `queries (n,)`'s position in `keys` (indexed by `build_index(keys)`), -1
    when absent."""
    mask = (1 << bits) - 1
    out = np.empty(queries.shape[0], np.int64)
    for i in range(queries.shape[0]):
        q = queries[i]
        s = _slot(q, bits)
        found = -1
        while True:
            u = slots[s]
            if u < 0:
                break
            if keys[u] == q:
                found = u
                break
            s = (s + 1) & mask
        out[i] = found
    return out


def same_rows_ref(a, b, rows):
    """Reference for `same_rows`: whether row `i` of `a` equals row `rows[i]` of `b`, the
    shorter row padded with zeros (-1 in `rows` never matches)."""
    width = max(a.shape[1], b.shape[1])
    pa = np.zeros((a.shape[0], width), np.uint32)
    pb = np.zeros((b.shape[0] + 1, width), np.uint32)
    pa[:, : a.shape[1]] = a
    pb[:-1, : b.shape[1]] = b
    return (rows >= 0) & np.all(pa == pb[rows], axis=1)


@numba.njit(cache=True, nogil=True)
def same_rows(a, b, rows):
    """Whether row `i` of uint32 `a (n, wa)` equals row `rows[i]` of uint32 `b (m, wb)`, the
    shorter padded with zeros; `rows[i] == -1` gives False."""
    n, wa = a.shape
    wb = b.shape[1]
    out = np.empty(n, np.bool_)
    for i in range(n):
        r = rows[i]
        if r < 0:
            out[i] = False
            continue
        same = True
        for j in range(max(wa, wb)):
            x = a[i, j] if j < wa else np.uint32(0)
            y = b[r, j] if j < wb else np.uint32(0)
            if x != y:
                same = False
                break
        out[i] = same
    return out
