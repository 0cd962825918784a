"""Matrix products: matmul (batched, broadcast), dot, tensordot, einsum.

The GEMM itself is numpy's `matmul` (BLAS): a hand-tiled numba GEMM reaches about a third of
BLAS on this hardware, and `np.dot` inside numba would add SciPy as a dependency.
"""

import numpy as np

from ..tensor import Tensor
from ._base import unwrap

__all__ = ["matmul", "dot", "tensordot", "einsum", "outer", "inner", "trace"]


def _swap(a):
    return np.swapaxes(a, -1, -2) if a.ndim >= 2 else a


def matmul(x1, x2):
    """Matrix product with numpy semantics: batched and broadcast over leading dims.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
    """
    a, ta = unwrap(x1, "matmul")
    b, tb = unwrap(x2, "matmul")
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul needs tensors of rank >= 1. Received shapes {a.shape} and {b.shape}.")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ValueError(
            f"matmul: inner dimensions differ: {a.shape} @ {b.shape} "
            f"({a.shape[-1]} != {b.shape[-2 if b.ndim > 1 else 0]})."
        )
    try:
        out = np.matmul(a, b)
    except ValueError as e:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not match ({e}).") from None

    def backward(d):
        # promote 1-D operands to matrices, as numpy does, then drop the added axis again
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        d2 = d
        if a.ndim == 1:
            d2 = np.expand_dims(d2, -2)
        if b.ndim == 1:
            d2 = np.expand_dims(d2, -1)
        da = np.matmul(d2, _swap(b2)) if ta.requires_grad else None
        db = np.matmul(_swap(a2), d2) if tb.requires_grad else None
        if da is not None and a.ndim == 1:
            da = da[..., 0, :]
        if db is not None and b.ndim == 1:
            db = db[..., 0]
        return da, db

    return Tensor.from_op(out, (ta, tb), backward, "matmul")


def dot(x1, x2):
    """`numpy.dot` semantics for rank <= 2 (matmul); scalars multiply."""
    a, b = unwrap(x1)[0], unwrap(x2)[0]
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        from .elementwise import multiply

        return multiply(x1, x2)
    return matmul(x1, x2)


def _parse(subscripts, operands):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
    else:
        ins = subscripts
        letters = [c for c in ins.replace(",", "").replace(".", "")]
        out = ("..." if "..." in ins else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1)
        )
    return ins.split(","), out


def einsum(subscripts, *operands):
    """Einstein summation, differentiable in every operand.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.einsum("ab,bc->ac", np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
    """
    pairs = [unwrap(o, "einsum") for o in operands]
    arrays = [np.asarray(p[0]) for p in pairs]
    parents = tuple(p[1] for p in pairs)
    ins, out_sub = _parse(subscripts, arrays)
    if len(ins) != len(arrays):
        raise ValueError(f"einsum: {subscripts!r} names {len(ins)} operands, got {len(arrays)}.")
    try:
        out = np.einsum(f"{','.join(ins)}->{out_sub}", *arrays, optimize=len(arrays) > 2)
    except ValueError as e:
        shapes = [a.shape for a in arrays]
        raise ValueError(f"einsum {subscripts!r} on shapes {shapes}: {e}") from None

    def backward(d):
        grads = []
        for i, (sub, arr) in enumerate(zip(ins, arrays)):
            if not parents[i].requires_grad:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(ins) if j != i]
            avail = set(out_sub + "".join(others))
            kept = "".join(c for c in sub if c in avail or c == ".")
            spec = ",".join([out_sub] + others) + "->" + kept
            g = np.einsum(spec, d, *[a for j, a in enumerate(arrays) if j != i])
            if kept != sub:  # letters summed out within this operand only: broadcast back
                for pos, c in enumerate(sub):
                    if c != "." and c not in avail:
                        g = np.expand_dims(g, pos)
                g = np.broadcast_to(g, arr.shape)
            grads.append(g)
        return tuple(grads)

    return Tensor.from_op(np.asarray(out), parents, backward, "einsum")


def tensordot(x1, x2, axes=2):
    """`numpy.tensordot`, differentiable (implemented through `einsum`)."""
    a, b = np.asarray(unwrap(x1)[0]), np.asarray(unwrap(x2)[0])
    if isinstance(axes, int):
        ax_a = list(range(a.ndim - axes, a.ndim))
        ax_b = list(range(axes))
    else:
        ax_a, ax_b = [list(np.atleast_1d(t)) for t in axes]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in [i % a.ndim for i in ax_a]]
    out += [c for k, c in enumerate(sb) if k not in [j % b.ndim for j in ax_b]]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", x1, x2)


def outer(x1, x2):
    return einsum("i,j->ij", x1, x2)


def inner(x1, x2):
    return einsum("...i,...i->...", x1, x2)


def trace(x):
    return einsum("ii->", x)
