"""Two-operand einsum as one batched GEMM: transpose and reshape each operand to
`(*batch, rows, contracted)` (the batch axes kept apart, so heads strided inside a
`(batch, time, heads, dim)` array need no copy), `np.matmul` them (BLAS per matrix), and reshape /
transpose the product to the requested output.

`np.einsum` without `optimize` runs its own unblocked loop: the attention scores of a small
transformer (`"aecd,abcd->acbe"`, 32x128x4x16 operands) take about 30x longer there than through
BLAS. Each (equation, shapes) is planned once and the plan is cached. An equation that does not
map onto a GEMM (a repeated subscript such as a trace or diagonal, one operand, non-float dtypes)
goes to `np.einsum`, `optimize=True` for three or more operands; so do malformed equations, so
numpy reports their errors.

Pure numpy (no numba): the GEMM is BLAS's.
"""

import numpy as np

from . import threads

_PLANS = {}
_MAX_PLANS = 4096
_GEMM_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def einsum_ref(subscripts, *operands):
    """Reference for `einsum`; the tests hold the GEMM path to this."""
    return np.einsum(subscripts, *operands)


def einsum(subscripts, *operands):
    """`np.einsum(subscripts, *operands)` (explicit `->` form): two float32 / float64 operands
    are contracted by a batched GEMM (in their common dtype, as numpy computes), three or more by
    `np.einsum(..., optimize=True)` (pairwise through BLAS), and the rest by plain `np.einsum`
    (its `optimize` path would accept equations its plain path refuses)."""
    if len(operands) == 2:
        a, b = np.asarray(operands[0]), np.asarray(operands[1])
        if a.dtype in _GEMM_DTYPES and b.dtype in _GEMM_DTYPES:
            if a.dtype != b.dtype:  # float32 with float64: numpy sums in float64
                a, b = a.astype(np.float64), b.astype(np.float64)
            key = (subscripts, a.shape, b.shape)
            plan = _PLANS.get(key, False)
            if plan is False:
                if len(_PLANS) >= _MAX_PLANS:
                    _PLANS.clear()
                plan = _PLANS[key] = _plan(subscripts, a.shape, b.shape)
            if plan is not None:
                return _run(plan, a, b)
        operands = (a, b)
    return np.einsum(subscripts, *operands, optimize=len(operands) > 2)


def _labels(sub, ndim):
    """Labels of an operand's axes: its letters, and ("...", k) for the k-th `...` dim counted
    from the right (so `...` dims of different ranks broadcast as in numpy). None if the term
    does not fit `ndim` axes."""
    if "..." not in sub:
        return list(sub) if len(sub) == ndim and "." not in sub else None
    head, _, tail = sub.partition("...")
    n = ndim - len(head) - len(tail)
    if n < 0 or "." in head + tail:
        return None
    return list(head) + [("...", k) for k in range(n - 1, -1, -1)] + list(tail)


def _plan(subscripts, sa, sb):
    """How to compute `subscripts` on shapes `sa`, `sb` with one matmul, or None."""
    if "->" not in subscripts:
        return None
    lhs, out = subscripts.replace(" ", "").split("->")
    terms = lhs.split(",")
    if len(terms) != 2:
        return None
    la, lb = _labels(terms[0], len(sa)), _labels(terms[1], len(sb))
    if la is None or lb is None:
        return None
    ell = max(sum(isinstance(x, tuple) for x in la), sum(isinstance(x, tuple) for x in lb))
    if ell and "..." not in out:
        return None  # numpy refuses to sum `...` dims away in the explicit form
    n_out = len(out) - 3 + ell if "..." in out else len(out)
    lo = _labels(out, n_out)
    if lo is None or len(set(la)) < len(la) or len(set(lb)) < len(lb) or len(set(lo)) < len(lo):
        return None  # a repeated subscript (a diagonal or trace), or a malformed term
    size_a, size_b = dict(zip(la, sa)), dict(zip(lb, sb))
    if any(x not in size_a and x not in size_b for x in lo):
        return None
    # a label of size 1 on one side and n on the other broadcasts: drop it from the size-1 side
    drop_a, drop_b = set(), set()
    for x in set(la) & set(lb):
        if size_a[x] != size_b[x]:
            if size_a[x] == 1:
                drop_a.add(x)
            elif size_b[x] == 1:
                drop_b.add(x)
            else:
                return None  # numpy reports the mismatch
    keep_a = [x for x in la if x not in drop_a]
    keep_b = [x for x in lb if x not in drop_b]
    set_a, set_b, set_o = set(keep_a), set(keep_b), set(lo)
    batch = [x for x in lo if x in set_a and x in set_b]
    rows = [x for x in lo if x in set_a and x not in set_b]
    cols = [x for x in lo if x in set_b and x not in set_a]
    inner = [x for x in keep_a if x in set_b and x not in set_o]
    # summed within one operand only (or dropped as broadcast): reduced before the GEMM
    only_a = [x for x in keep_a if x not in set_b and x not in set_o]
    only_b = [x for x in keep_b if x not in set_a and x not in set_o]
    sizes = {**size_b, **size_a}
    for x in drop_a:
        sizes[x] = size_b[x]
    for x in drop_b:
        sizes[x] = size_a[x]
    # a @ b gives (batch, rows, cols); b @ a gives (batch, cols, rows): take the one already in
    # the output's order, so no transpose (copy) is needed after the product
    swap = batch + rows + cols != lo and batch + cols + rows == lo
    if swap:
        la, sa, lb, sb, rows, cols, only_a, only_b = lb, sb, la, sa, cols, rows, only_b, only_a
        drop_a, drop_b = drop_b, drop_a
    left = _operand_plan(la, sa, drop_a | set(only_a), (batch, rows, inner), sizes)
    right = _operand_plan(lb, sb, drop_b | set(only_b), (batch, inner, cols), sizes)
    prod = batch + rows + cols
    out_perm = tuple(prod.index(x) for x in lo)
    out_shape = tuple(sizes[x] for x in prod)
    return swap, left, right, out_shape, None if out_perm == tuple(range(len(lo))) else out_perm


def _operand_plan(labels, shape, summed, groups, sizes):
    """(sum axes, squeezed shape, transpose, matmul shape) taking an operand with axes `labels`
    to the `groups` layout: (*batch, rows, inner) for the left operand, (*batch, inner, cols) for
    the right one. Axes in `summed` are reduced first (only a reshape when all have size 1)."""
    axes = tuple(i for i, x in enumerate(labels) if x in summed)
    squeeze = None
    if axes and all(shape[i] == 1 for i in axes):
        squeeze = tuple(n for i, n in enumerate(shape) if i not in axes)
        axes = ()
    kept = [x for x in labels if x not in summed]
    perm = tuple(kept.index(x) for g in groups for x in g)
    # batch axes stay separate (matmul loops over them by strides: merging them could copy);
    # the two matrix axes each merge their group
    batch, rows, inner = groups
    shape = tuple(sizes[x] for x in batch) + tuple(
        int(np.prod([sizes[x] for x in g], dtype=np.int64)) for g in (rows, inner)
    )
    return axes, squeeze, None if perm == tuple(range(len(perm))) else perm, shape


def _prepare(x, op):
    axes, squeeze, perm, shape = op
    if axes:
        x = x.sum(axis=axes)
    elif squeeze is not None:
        x = x.reshape(squeeze)
    if perm is not None:
        x = x.transpose(perm)
    x = x.reshape(shape)  # a view when each matrix group's axes are adjacent, else a copy
    s = x.itemsize
    if x.strides[-1] != s and x.strides[-2] != s and x.shape[-2] > 1 and x.shape[-1] > 1:
        x = np.ascontiguousarray(x)  # neither inner axis has unit stride: not a BLAS layout
    return x


def _run(plan, a, b):
    swap, left, right, out_shape, out_perm = plan
    if swap:
        a, b = b, a
    out = threads.batched_matmul(_prepare(a, left), _prepare(b, right)).reshape(out_shape)
    if out_perm is not None:
        out = np.ascontiguousarray(out.transpose(out_perm))
    return out
