"""kernels/hash_table.py: the hash, the grouping, the index and the row check equal their numpy
references, including tables that grow past their first size and colliding slots."""

import numpy as np
import pytest

from minikeras.kernels import hash_table as h


def _units(strings):
    a = np.ascontiguousarray(np.asarray(strings, dtype=str))
    return a.view(np.uint32).reshape(len(a), a.dtype.itemsize // 4)


def test_row_hash_equals_reference():
    units = _units(["", "a", "ab", "ba", "日本", "w123456789" * 4])
    np.testing.assert_array_equal(h.row_hash(units), h.row_hash_ref(units))
    assert h.row_hash(units)[0] == 0  # padding adds nothing
    assert len(set(h.row_hash(units).tolist())) == 6


@pytest.mark.parametrize("n,distinct", [(0, 1), (1, 1), (50, 3), (20000, 3000), (5000, 5000)])
def test_group_equals_reference(n, distinct):
    rng = np.random.default_rng(n + distinct)
    pool = rng.integers(0, 2**63, distinct, dtype=np.int64).astype(np.uint64)
    keys = pool[rng.integers(0, distinct, n)]
    inverse, first = h.group(keys)
    ref_inverse, ref_first = h.group_ref(keys)
    np.testing.assert_array_equal(inverse, ref_inverse)
    np.testing.assert_array_equal(first, ref_first)
    np.testing.assert_array_equal(keys[first][inverse], keys)


def test_group_with_keys_that_share_slots():
    # keys equal in their top bits land in the same slot: probing must keep them apart
    keys = (np.arange(3000, dtype=np.uint64) * np.uint64(7)) % np.uint64(2000)
    inverse, first = h.group(keys)
    np.testing.assert_array_equal(keys[first][inverse], keys)
    assert len(first) == len(np.unique(keys))


@pytest.mark.parametrize("u", [0, 1, 700, 5000])
def test_find_equals_reference(u):
    rng = np.random.default_rng(u)
    keys = np.unique(rng.integers(0, 2**63, u, dtype=np.int64)).astype(np.uint64)
    rng.shuffle(keys)
    queries = np.concatenate([keys, rng.integers(0, 2**63, 300, dtype=np.int64).astype(np.uint64)])
    rng.shuffle(queries)
    slots, bits = h.build_index(keys)
    assert len(slots) == 1 << bits >= 2 * len(keys)
    np.testing.assert_array_equal(h.find(slots, bits, keys, queries), h.find_ref(keys, queries))


def test_same_rows_equals_reference():
    a = _units(["ab", "a", "", "abc", "x"])
    b = _units(["ab", "a", "abc", ""]).astype(np.uint32)
    b_wide = _units(["ab", "a", "abc", "", "zzzzzz"])
    for other in (b, b_wide):
        rows = np.array([0, 1, 3, 2, -1])
        np.testing.assert_array_equal(h.same_rows(a, other, rows), h.same_rows_ref(a, other, rows))
    np.testing.assert_array_equal(
        h.same_rows(a, b, np.array([0, 1, 3, 2, -1])), [True, True, True, True, False]
    )
    np.testing.assert_array_equal(h.same_rows(a, b, np.array([1, 0, 0, 0, 0])), [False] * 5)
