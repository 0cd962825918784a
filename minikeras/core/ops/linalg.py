"""Matrix products: matmul (batched, broadcast), dot, tensordot, einsum.

The GEMM itself is numpy's `matmul` (BLAS): a hand-tiled numba GEMM reaches about a third of
BLAS on this hardware, and `np.dot` inside numba would add SciPy as a dependency.
"""

import numpy as np

from ...kernels import threads
from ...kernels.einsum import einsum as contract
from ..tensor import Tensor
from ._base import (
    _CONST,
    contraction_axes,
    half_float,
    ints_as_floats,
    keras_dtype,
    keras_operands,
    unwrap,
)
from .complex_numbers import conjugate  # vdot conjugates its first operand, as numpy's
from .reduce import norm  # noqa: F401  (keras.ops.linalg.norm)

__all__ = ["matmul", "dot", "vdot", "tensordot", "einsum", "outer", "inner", "trace"]
__all__ += ["diagonal", "diag", "inv", "det", "solve"]


def _swap(a):
    return np.swapaxes(a, -1, -2) if a.ndim >= 2 else a


def gemm(a, b):
    """np.matmul; 2-D float products of at least `threads.GEMM_PARALLEL_MIN` multiply-adds go to
    `kernels.threads.matmul`, which splits them over minikeras's threads when there are more."""
    if a.ndim == 2 and b.ndim == 2 and a.dtype.kind == "f" and a.dtype == b.dtype:
        if a.shape[0] * a.shape[1] * b.shape[1] >= threads.GEMM_PARALLEL_MIN:
            return threads.matmul(a, b)
    elif a.ndim >= 2 and b.ndim >= 2:  # stacks: split by rows or stack entries
        return threads.batched_matmul(a, b)
    return np.matmul(a, b)


def _operand(x):
    """`unwrap(x)` with Tensors and float arrays taken directly (the common cases)."""
    if type(x) is Tensor:
        return x.data, x
    if type(x) is np.ndarray and x.dtype.kind == "f":
        return x, _CONST
    return unwrap(x, "matmul")


def _checked_matmul(a, b):
    """gemm(a, b) with the rank and shape errors of `matmul`."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul needs tensors of rank >= 1. Received shapes {a.shape} and {b.shape}."
        )
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ValueError(
            f"matmul: inner dimensions differ: {a.shape} @ {b.shape} "
            f"({a.shape[-1]} != {b.shape[-2 if b.ndim > 1 else 0]})."
        )
    try:
        return gemm(a, b)
    except ValueError as e:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not match ({e}).") from None


def matmul(x1, x2):
    """Matrix product with numpy semantics: batched and broadcast over leading axes.

    Args:
        x1: tensor of shape `(..., m, k)`, or `(k,)` (treated as a row vector).
        x2: tensor of shape `(..., k, n)`, or `(k,)` (treated as a column vector).

    Returns:
        A tensor of shape `(..., m, n)` (vector axes dropped).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
    """
    a, ta = _operand(x1)
    b, tb = _operand(x2)
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype:
        a, b = keras_operands(a, b)  # int @ float32 -> float32, as Keras 3 (numpy: float64)
    elif a.dtype == np.int8:  # int8 @ int8 accumulates and returns int32, as Keras 3
        a, b = a.astype(np.int32), b.astype(np.int32)
    half = half_float(a.dtype) if a.dtype.itemsize == 2 else None
    if half is not None:
        # float16 / bfloat16: products summed in float32 by sgemm, the result rounded back (as
        # Keras's jax backend returns bfloat16 @ bfloat16 in bfloat16; numpy's own float16
        # matmul has no BLAS and is ~300x slower, ml_dtypes' bfloat16 one returns float32)
        a, b = a.astype(np.float32), b.astype(np.float32)
    sa, sb = a.shape, b.shape
    if len(sa) == 2 and len(sb) == 2 and sa[1] == sb[0]:
        # a plain 2-D product: BLAS directly below gemm's split bound, without gemm's checks
        # (a call to gemm measured +0.35 us, and this op's fixed cost shows on small products)
        small = sa[0] * sa[1] * sb[1] < threads.GEMM_PARALLEL_MIN
        out = np.matmul(a, b) if small else gemm(a, b)
    else:
        out = _checked_matmul(a, b)
    if half is not None:
        out = out.astype(half)

    def backward(d):
        if half is not None:
            da, db = _matmul_grads(d.astype(np.float32))
            return (None if da is None else da.astype(half)), (
                None if db is None else db.astype(half)
            )
        return _matmul_grads(d)

    def _matmul_grads(d):
        # promote 1-D operands to matrices, as numpy does, then drop the added axis again
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        d2 = d  # (..., m, n), with the axes numpy dropped for 1-D operands put back
        if a.ndim == 1 and b.ndim == 1:
            d2 = d[..., None, None]
        elif a.ndim == 1:
            d2 = d[..., None, :]
        elif b.ndim == 1:
            d2 = d[..., None]
        da = gemm(d2, _swap(b2)) if ta.requires_grad else None
        db = gemm(_swap(a2), d2) if tb.requires_grad else None
        if da is not None and a.ndim == 1:
            da = da[..., 0, :]
        if db is not None and b.ndim == 1:
            db = db[..., 0]
        return da, db

    def backward_ops(d, out):
        return _matmul_ops(d, a if ta is _CONST else ta, b if tb is _CONST else tb, ta, tb)

    return Tensor.from_op(out, (ta, tb), backward, "matmul", backward_ops)


def _matmul_ops(d, x1, x2, ta, tb):
    """matmul's backward with ops (for higher-order gradients), 1-D operands as above; `x1` and
    `x2` are the operands as given (Tensors, or the constants behind `_CONST` parents)."""
    from .. import autodiff
    from .shape import expand_dims, squeeze, swapaxes

    n1, n2 = np.ndim(x1), np.ndim(x2)
    a2 = expand_dims(x1, 0) if n1 == 1 else x1
    b2 = expand_dims(x2, -1) if n2 == 1 else x2
    if n1 == 1 and n2 == 1:
        d = expand_dims(expand_dims(d, -1), -1)
    elif n1 == 1:
        d = expand_dims(d, -2)
    elif n2 == 1:
        d = expand_dims(d, -1)
    da = db = None
    if autodiff.wanted(ta):
        da = matmul(d, swapaxes(b2, -1, -2))
        da = squeeze(da, -2) if n1 == 1 else da
    if autodiff.wanted(tb):
        db = matmul(swapaxes(a2, -1, -2), d)
        db = squeeze(db, -1) if n2 == 1 else db
    return da, db


def dot(x1, x2):
    """Dot product with `numpy.dot` semantics.

    Scalars multiply, rank <= 2 is `matmul`, and otherwise the last axis of `x1` contracts with
    the second-to-last axis of `x2`.

    Args:
        x1, x2: tensors.

    Returns:
        The product tensor.

    >>> import minikeras as keras
    >>> keras.ops.dot([1.0, 2.0], [3.0, 4.0]).numpy().tolist()
    11.0
    """
    a, b = np.asarray(unwrap(x1, "dot")[0]), np.asarray(unwrap(x2, "dot")[0])
    if a.ndim == 0 or b.ndim == 0:
        from .arithmetic import multiply

        return multiply(x1, x2)
    if a.ndim <= 2 and b.ndim <= 2:
        if a.dtype == b.dtype == np.int8:  # Keras 3's dot keeps int8 (its matmul gives int32)
            from .conversion import cast

            return cast(matmul(x1, x2), "int8")
        return matmul(x1, x2)
    return tensordot(x1, x2, axes=([a.ndim - 1], [b.ndim - 2 if b.ndim > 1 else 0]))


def vdot(x1, x2):
    """Dot product of the flattened inputs (`x1` conjugated when complex, as `numpy.vdot`).

    Args:
        x1, x2: tensors with the same number of elements.

    Returns:
        A scalar tensor.

    >>> import minikeras as keras
    >>> keras.ops.vdot([[1.0, 2.0]], [[3.0], [4.0]]).numpy().tolist()
    11.0
    """
    from .shape import reshape

    return einsum("i,i->", conjugate(reshape(x1, (-1,))), reshape(x2, (-1,)))


def _parse(subscripts, operands):
    if not isinstance(subscripts, str):
        raise TypeError(
            "einsum: the first argument must be the subscripts string (e.g. 'ij,jk->ik'). "
            f"Received: {type(subscripts).__name__}"
        )
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


def _letter_dims(sub, arr):
    """Pairs of (letter, size) for an operand; `...` dims are left out."""
    head, _, tail = sub.partition("...")
    dims = arr.shape[: len(head)] + (arr.shape[arr.ndim - len(tail) :] if tail else ())
    return list(zip(head + tail, dims))


def _einsum_grad(d, i, ins, out_sub, arrays, differentiable=False):
    """Gradient of an einsum with respect to operand `i`, shaped like that operand: itself an
    einsum of `d` with the other operands, computed by the `einsum` op (so recorded) when
    `differentiable` and `d` and `arrays` are Tensors."""
    sub, arr = ins[i], arrays[i]
    others = [s for j, s in enumerate(ins) if j != i]
    extra = [a for j, a in enumerate(arrays) if j != i]
    avail = set(out_sub + "".join(others))
    sizes = dict(_letter_dims(sub, arr))
    unique = "".join(dict.fromkeys(sub.replace("...", "")))
    # letters (and `...` dims) summed within this operand only come back through a ones operand
    summed = "".join(c for c in unique if c not in avail)
    k = len(others)
    if summed:
        others.append(summed)
        extra.append(np.ones([sizes[c] for c in summed], d.dtype))
    target = unique
    if "..." in sub:  # keep `...` where the operand has it
        head, _, tail = sub.partition("...")
        target = (
            "".join(dict.fromkeys(head))
            + "..."
            + "".join(c for c in dict.fromkeys(tail) if c not in head)
        )
        if "..." not in out_sub:  # its `...` dims were summed: bring them back with ones
            others.append("...")
            extra.append(np.ones(arr.shape[len(head) : arr.ndim - len(tail)], d.dtype))
    if "..." not in target and "..." in out_sub + "".join(others):
        target = "..." + target  # numpy keeps broadcast dims; the engine sums them away
    spec = ",".join([out_sub] + others) + "->" + target
    if differentiable:
        if len(unique) != len(sub.replace("...", "")):
            raise NotImplementedError(
                f"Second-order gradients are not supported for the op 'einsum' with a repeated "
                f"subscript (a diagonal). Received: {sub!r}"
            )
        return einsum(spec, d, *extra)
    if summed:  # contract without the ones operand (a GEMM for two operands), then broadcast
        core = [out_sub] + others[:k] + others[k + 1 :]
        core_target = "".join(c for c in target if c not in summed)
        g = contract(",".join(core) + "->" + core_target, d, *extra[:k], *extra[k + 1 :])
        g = _unsum(g, target, summed, sizes)
    else:
        g = contract(spec, d, *extra)
    if len(unique) == len(sub.replace("...", "")):
        return g
    if "..." in sub:
        raise ValueError(f"einsum: no gradient for {sub!r}: a repeated subscript next to '...'.")
    # a repeated letter (a diagonal, as in "ii->i"): scatter onto the diagonal positions
    g = g.sum(axis=tuple(range(g.ndim - len(unique))))  # broadcast dims from other operands
    grid = np.indices(g.shape, sparse=True)
    full = np.zeros(arr.shape, g.dtype)
    full[tuple(grid[unique.index(c)] for c in sub)] = g
    return full


def _unsum(g, target, summed, sizes):
    """`g`, laid out as `target` without the letters in `summed`, broadcast along those letters
    (a gradient does not depend on the letters its operand alone sums over)."""
    head, dots, tail = target.partition("...")
    n_dots = g.ndim - len(head + tail) + len(summed)
    shape, full, i = [], [], 0
    for tok in list(head) + ([dots] if dots else []) + list(tail):
        if tok == "...":
            shape += g.shape[i : i + n_dots]
            i += n_dots
        elif tok in summed:
            shape.append(1)
        else:
            shape.append(g.shape[i])
            i += 1
        full += shape[len(full) :] if tok not in summed else [sizes[tok]]
    return np.broadcast_to(g.reshape(shape), full).copy()


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over the operands, differentiable in every operand.

    Args:
        subscripts: the `numpy.einsum` specification, such as `"ab,bc->ac"` (`...` allowed).
        *operands: the input tensors, one per comma-separated term.
        **kwargs: backend options Keras passes on (such as `optimize`); ignored here.

    Returns:
        The result tensor.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.einsum("ab,bc->ac", np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
    """
    pairs = [unwrap(o, "einsum") for o in operands]
    arrays = [np.asarray(p[0]) for p in pairs]
    if all(a.dtype == np.int8 for a in arrays):  # int8 operands give int32, as Keras 3
        arrays = [a.astype(np.int32) for a in arrays]
    arrays = ints_as_floats(arrays)  # int32 with float32 operands: float32, as Keras 3
    half = half_float(arrays[0].dtype) if arrays else None
    if half is not None and all(a.dtype == half for a in arrays):
        arrays = [a.astype(np.float32) for a in arrays]  # summed in float32, as in `matmul`
    else:
        half = None
    parents = tuple(p[1] for p in pairs)
    ins, out_sub = _parse(subscripts, arrays)
    if len(ins) != len(arrays):
        raise ValueError(f"einsum: {subscripts!r} names {len(ins)} operands, got {len(arrays)}.")
    try:
        out = contract(f"{','.join(ins)}->{out_sub}", *arrays)  # two operands: one GEMM
    except ValueError as e:
        shapes = [a.shape for a in arrays]
        raise ValueError(f"einsum {subscripts!r} on shapes {shapes}: {e}") from None

    def backward(d):
        if half is not None:
            grads = backward_float32(d.astype(np.float32))
            return tuple(None if g is None else g.astype(half) for g in grads)
        return backward_float32(d)

    def backward_float32(d):
        return tuple(
            _einsum_grad(d, i, ins, out_sub, arrays) if p.requires_grad else None
            for i, p in enumerate(parents)
        )

    def backward_ops(d, out):
        operands = [a if p is _CONST else p for a, p in zip(arrays, parents)]
        return tuple(
            _einsum_grad(d, i, ins, out_sub, operands, True) if p.requires_grad else None
            for i, p in enumerate(parents)
        )

    out = np.asarray(out)
    if half is not None:
        out = out.astype(half)
    return Tensor.from_op(out, parents, backward, "einsum", backward_ops)


@keras_dtype(weak=False)  # float64 -> float32, as Keras 3's result_type
def tensordot(x1, x2, axes=2):
    """Tensor contraction over the given axes, as `numpy.tensordot` (computed through `einsum`).

    Args:
        x1, x2: tensors.
        axes: an int `n` (the last `n` axes of `x1` with the first `n` of `x2`) or a pair of
            axis lists.

    Returns:
        The contracted tensor: the free axes of `x1`, then those of `x2`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    a, b = np.asarray(unwrap(x1, "tensordot")[0]), np.asarray(unwrap(x2, "tensordot")[0])
    ax_a, ax_b = contraction_axes(axes, a.shape, b.shape)
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in [i % a.ndim for i in ax_a]]
    out += [c for k, c in enumerate(sb) if k not in [j % b.ndim for j in ax_b]]
    y = einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", x1, x2)
    if a.dtype == b.dtype == np.int8:  # Keras 3's tensordot keeps int8 (its einsum gives int32)
        from .conversion import cast

        return cast(y, "int8")
    return y


def outer(x1, x2):
    """Outer product of the flattened inputs.

    Args:
        x1, x2: tensors.

    Returns:
        A tensor of shape `(size(x1), size(x2))`.

    >>> import minikeras as keras
    >>> keras.ops.outer([1, 2], [1, 10]).numpy().tolist()
    [[1, 10], [2, 20]]
    """
    from .shape import reshape

    return einsum("i,j->ij", reshape(x1, (-1,)), reshape(x2, (-1,)))


@keras_dtype(weak=False)  # result_type: float64 -> float32, as Keras 3
def inner(x1, x2):
    """Inner product as `numpy.inner`: contracts the last axes; the others form an outer product.

    Args:
        x1, x2: tensors with the same last dimension (or scalars).

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-1]`.

    >>> import minikeras as keras
    >>> keras.ops.inner([1.0, 2.0], [3.0, 4.0]).numpy().tolist()
    11.0
    """
    a, b = np.asarray(unwrap(x1, "inner")[0]), np.asarray(unwrap(x2, "inner")[0])
    if a.ndim == 0 or b.ndim == 0:
        from .arithmetic import multiply

        return multiply(x1, x2)
    return tensordot(x1, x2, axes=([-1], [-1]))


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of the `(axis1, axis2)` planes, as a new last axis (as `numpy.diagonal`).

    Args:
        x: tensor of rank >= 2.
        offset: the diagonal: 0 is the main one, positive above it, negative below.
        axis1, axis2: the axes that form each matrix.

    Returns:
        A tensor with `axis1` and `axis2` removed and the diagonal appended.

    >>> import minikeras as keras
    >>> keras.ops.diagonal([[1, 2], [3, 4]]).numpy().tolist()
    [1, 4]
    """
    a, ta = unwrap(x, "diagonal")
    a = np.asarray(a)
    if a.ndim < 2:
        raise ValueError(f"diagonal needs a tensor of rank >= 2. Received: shape={a.shape}")
    out = np.diagonal(a, offset, axis1, axis2).copy()
    n = out.shape[-1]
    rows = np.arange(n) + max(-offset, 0)
    cols = np.arange(n) + max(offset, 0)

    def backward(d):
        g = np.zeros(a.shape, d.dtype)
        np.moveaxis(g, (axis1, axis2), (-2, -1))[..., rows, cols] = d  # writes through the view
        return (g,)

    return Tensor.from_op(out, (ta,), backward, "diagonal")


def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the diagonal of the `(axis1, axis2)` planes.

    Args:
        x: tensor of rank >= 2.
        offset: the diagonal: 0 is the main one, positive above it, negative below.
        axis1, axis2: the axes that form each matrix.

    Returns:
        A tensor with `axis1` and `axis2` removed.

    >>> import minikeras as keras
    >>> keras.ops.trace([[1, 2], [3, 4]]).numpy().tolist()
    5
    """
    from .reduce import sum as rsum

    return rsum(diagonal(x, offset, axis1, axis2), axis=-1)


def diag(x, k=0):
    """Builds a diagonal matrix from a vector, or extracts a diagonal from a matrix.

    Args:
        x: a 1-D tensor (placed on diagonal `k` of a square matrix) or a 2-D tensor.
        k: the diagonal: 0 is the main one, positive above it, negative below.

    Returns:
        A 2-D tensor for a 1-D input, a 1-D tensor for a 2-D input.

    >>> import minikeras as keras
    >>> keras.ops.diag([1, 2]).numpy().tolist()
    [[1, 0], [0, 2]]
    """
    a, ta = unwrap(x, "diag")
    a = np.asarray(a)
    if a.ndim == 2:
        return diagonal(x, k)
    if a.ndim != 1:
        raise ValueError(f"diag needs a 1-D or 2-D tensor. Received: shape={a.shape}")
    return Tensor.from_op(np.diag(a, k), (ta,), lambda d: (np.diagonal(d, k),), "diag")


def inv(x):
    """Inverse of square matrices, batched over leading axes.

    Args:
        x: tensor of shape `(..., n, n)` of invertible matrices.

    Returns:
        A tensor of the same shape.

    >>> import minikeras as keras
    >>> keras.ops.inv([[2.0, 0.0], [0.0, 4.0]]).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    a, ta = unwrap(x, "inv")
    out = np.linalg.inv(_square("inv", a))
    # d(A^-1) = -A^-1 dA A^-1, so dA = -A^-T dout A^-T
    return Tensor.from_op(out, (ta,), lambda d: (-_swap(out) @ d @ _swap(out),), "inv")


def det(x):
    """Determinant of square matrices, batched over leading axes.

    Args:
        x: tensor of shape `(..., n, n)`.

    Returns:
        A tensor of shape `(...)`.

    >>> import minikeras as keras
    >>> print(keras.ops.det([[2.0, 1.0], [1.0, 3.0]]).numpy().round(4))
    5.0
    """
    a, ta = unwrap(x, "det")
    a = _square("det", a)
    out = np.asarray(np.linalg.det(a))

    def backward(d):
        # d det(A) / dA = det(A) * A^-T
        return ((d * out)[..., None, None] * _swap(np.linalg.inv(a)),)

    return Tensor.from_op(out, (ta,), backward, "det")


def solve(a, b):
    """Solves the linear system `a @ x = b` for `x`.

    Args:
        a: square matrices of shape `(..., n, n)`.
        b: a vector of shape `(n,)` or matrices of shape `(..., n, k)`.

    Returns:
        `x`, shaped like `b`.

    >>> import minikeras as keras
    >>> keras.ops.solve([[2.0, 0.0], [0.0, 4.0]], [1.0, 2.0]).numpy().tolist()
    [0.5, 0.5]
    """
    m, tm = unwrap(a, "solve")
    v, tv = unwrap(b, "solve")
    m, v = _square("solve", m), np.asarray(v)
    vec = v.ndim == 1
    out = np.linalg.solve(m, v[..., None] if vec else v)

    def backward(d):
        d = d[..., None] if vec else d
        db = np.linalg.solve(_swap(m), d)  # A^T db = dout, dA = -db x^T
        da = -db @ _swap(out)
        return da, db[..., 0] if vec else db

    return Tensor.from_op(out[..., 0] if vec else out, (tm, tv), backward, "solve")


def _square(op, a):
    a = np.asarray(a)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{op} needs square matrices (..., n, n). Received: shape={a.shape}")
    return a
