"""Scatter-add of rows: the gradient of a row lookup (`take(table, ids, axis=0)`, Embedding)."""

import numba
import numpy as np


def scatter_add_rows_ref(out, ids, rows):
    """Reference: `out[ids[i]] += rows[i]` for every i (repeated ids accumulate)."""
    np.add.at(out, ids, rows)
    return out


@numba.njit(cache=True)
def scatter_add_rows(out, ids, rows):
    """`out[ids[i], :] += rows[i, :]` in place; ids (n,), rows (n, width), out (vocab, width).

    Callers check that every id lies in [0, len(out)) before calling.
    """
    n, width = rows.shape
    for i in range(n):
        r = ids[i]
        for j in range(width):
            out[r, j] += rows[i, j]
    return out
