"""Matrix decompositions and the solvers built on them (`keras.ops.linalg`): cholesky, eig, eigh,
qr, svd, lu_factor, solve_triangular, lstsq, pinv, slogdet/logdet, matrix_rank, cholesky_inverse.

All are batched over leading axes. Outputs of a multi-output decomposition are separate graph
nodes on the same input, each with the part of the input gradient its own output contributes
(the gradient is linear in the output gradients, so the engine's sum is the whole gradient).
Symmetric-input ops (cholesky, eigh) return the symmetrised gradient, as JAX (Keras's reference
backend) does: they read one triangle, but stand for a symmetric matrix.
"""

import numpy as np

from ..tensor import Tensor
from ._base import result_float, unwrap

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "eig",
    "eigh",
    "qr",
    "svd",
    "lu_factor",
    "solve_triangular",
    "lstsq",
    "pinv",
    "slogdet",
    "logdet",
    "matrix_rank",
]


def _t(a):
    return np.swapaxes(a, -1, -2)


def _sym(g):
    return 0.5 * (g + _t(g))


def _matrix(x, op, square=False):
    a, ta = unwrap(x, op)
    a = result_float(np.asarray(a))
    if a.ndim < 2 or (square and a.shape[-1] != a.shape[-2]):
        kind = "square matrices (..., n, n)" if square else "matrices (..., m, n)"
        raise ValueError(f"{op} expects {kind}. Received: shape={a.shape}")
    return a, ta


def _tri_solve(t, b, lower, trans=False):
    """Solves `t x = b` (or `t^T x = b`) for triangular `t` (only that triangle is read)."""
    t = np.tril(t) if lower else np.triu(t)
    return np.linalg.solve(_t(t) if trans else t, b)


# -- cholesky -------------------------------------------------------------------------------
def cholesky(x, upper=False):
    """Cholesky factor of symmetric positive-definite matrices: `L` with `x = L L^T`.

    Args:
        x: tensor of shape `(..., n, n)`; only its lower triangle is read.
        upper: return the upper factor `U = L^T` (`x = U^T U`) instead.

    Returns:
        A triangular tensor of the same shape.

    Raises:
        ValueError: if a matrix is not positive definite.

    >>> import minikeras as keras
    >>> keras.ops.cholesky([[4.0, 2.0], [2.0, 5.0]]).numpy().tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    a, ta = _matrix(x, "cholesky", square=True)
    try:
        low = np.linalg.cholesky(a)
    except np.linalg.LinAlgError as e:
        raise ValueError(f"cholesky: the input is not positive definite ({e}).") from None

    def backward(d):
        # Murray (2016): Abar = L^-T phi(L^T Lbar) L^-1, phi = lower triangle with half diagonal
        d = _t(d) if upper else d
        p = np.tril(_t(low) @ d)
        p = p - 0.5 * np.eye(p.shape[-1], dtype=p.dtype) * p
        g = _tri_solve(low, _t(_tri_solve(low, p, True, trans=True)), True, trans=True)
        return (_sym(g).astype(a.dtype, copy=False),)

    out = _t(low) if upper else low
    return Tensor.from_op(np.ascontiguousarray(out), (ta,), backward, "cholesky")


def cholesky_inverse(x, upper=False):
    """Inverse of `A` from its Cholesky factor: `(L L^T)^-1` (or `(U^T U)^-1` with `upper`).

    Args:
        x: triangular factor of shape `(..., n, n)`; only its lower (or, with `upper`, upper)
            triangle is read.
        upper: whether `x` is the upper factor.

    Returns:
        A tensor of shape `(..., n, n)`.

    >>> import minikeras as keras
    >>> keras.ops.cholesky_inverse([[2.0, 0.0], [1.0, 2.0]]).numpy().round(4).tolist()
    [[0.3125, -0.125], [-0.125, 0.25]]
    """
    from .linalg import inv, matmul
    from .shape import swapaxes
    from .creation import tril, triu

    _matrix(x, "cholesky_inverse", square=True)
    f = triu(x) if upper else tril(x)  # only the factor's triangle is read, as in Keras
    t = swapaxes(f, -1, -2)
    return inv(matmul(t, f) if upper else matmul(f, t))


# -- eig ------------------------------------------------------------------------------------
def eig(x):
    """Eigenvalues and eigenvectors of general square matrices (complex results, as Keras).

    Args:
        x: tensor of shape `(..., n, n)`, real or complex (integers compute in floatx).

    Returns:
        A tuple `(w, v)`: `w` of shape `(..., n)`, `v` of shape `(..., n, n)` with unit-norm
        eigenvectors as columns (`x v = v diag(w)`); complex64 for float32/complex64 inputs,
        complex128 for float64/complex128 (LAPACK's geev, as Keras on torch). Not differentiable:
        a gradient through `eig` raises `NotImplementedError`.

    >>> import minikeras as keras
    >>> w, v = keras.ops.eig([[0.0, -1.0], [1.0, 0.0]])
    >>> w.numpy().tolist()
    [1j, -1j]
    """
    a, ta = _matrix(x, "eig", square=True)
    if a.dtype.itemsize < 4 or a.dtype.kind not in "fc":  # float16 / bfloat16: LAPACK has none
        a = a.astype(np.float32)
    out = np.result_type(a.dtype, np.complex64)
    w, v = np.linalg.eig(a)  # real arrays when every eigenvalue is real: complex, as Keras

    def backward(d):  # not reached: the engine refuses complex outputs outside COMPLEX_GRAD_OPS
        raise NotImplementedError("The gradient of 'eig' is not implemented.")

    return (
        Tensor.from_op(w.astype(out), (ta,), backward, "eig"),
        Tensor.from_op(v.astype(out), (ta,), backward, "eig"),
    )


# -- eigh -----------------------------------------------------------------------------------
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices.

    Args:
        x: tensor of shape `(..., n, n)`; only its lower triangle is read.

    Returns:
        A tuple `(w, v)`: `w` of shape `(..., n)`, `v` of shape `(..., n, n)` with the
        eigenvectors as columns (`x v = v diag(w)`). Gradients assume distinct eigenvalues.

    >>> import minikeras as keras
    >>> w, v = keras.ops.eigh([[2.0, 0.0], [0.0, 1.0]])
    >>> w.numpy().tolist()
    [1.0, 2.0]
    """
    a, ta = _matrix(x, "eigh", square=True)
    w, v = np.linalg.eigh(a)

    def back_w(d):  # dA = V diag(dw) V^T
        return (((v * d[..., None, :]) @ _t(v)).astype(a.dtype, copy=False),)

    def back_v(d):  # dA = V (F o (V^T dV)) V^T, F_ij = 1 / (w_j - w_i) off the diagonal
        diff = w[..., None, :] - w[..., :, None]
        n = w.shape[-1]
        f = np.where(np.eye(n, dtype=bool), 0, 1 / np.where(np.eye(n, dtype=bool), 1, diff))
        g = v @ (f * (_t(v) @ d)) @ _t(v)
        return (_sym(g).astype(a.dtype, copy=False),)

    return (Tensor.from_op(w, (ta,), back_w, "eigh"), Tensor.from_op(v, (ta,), back_v, "eigh"))


# -- qr -------------------------------------------------------------------------------------
def _copyltu(m):
    return np.tril(m) + _t(np.tril(m, -1))


def qr(x, mode="reduced"):
    """QR decomposition `x = q r`, `q` with orthonormal columns and `r` upper triangular.

    Args:
        x: tensor of shape `(..., m, n)`.
        mode: "reduced" (`q` is (m, k), `r` is (k, n), k = min(m, n)) or "complete"
            (`q` is (m, m), `r` is (m, n)).

    Returns:
        A tuple `(q, r)`. Gradients are defined for m >= n (and "complete" with m == n).

    >>> import minikeras as keras
    >>> q, r = keras.ops.qr([[3.0, 0.0], [4.0, 5.0]])
    >>> r.numpy().round(4).tolist()
    [[-5.0, -4.0], [0.0, 3.0]]
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete'. Received: mode={mode!r}")
    a, ta = _matrix(x, "qr")
    q, r = np.linalg.qr(a, mode=mode)
    m, n = a.shape[-2:]

    def check():
        if m < n or (mode == "complete" and m != n):
            raise NotImplementedError(
                f"qr: gradients are implemented for m >= n in 'reduced' mode (and square "
                f"inputs in 'complete' mode). Received: shape={a.shape}, mode={mode!r}"
            )

    def solve_rt(b):  # b R^-T: solve R y = b^T, R upper triangular (n, n)
        return _t(_tri_solve(r[..., :n, :], _t(b), False))

    def back_q(d):
        # Abar = (Qbar + Q copyltu(M)) R^-T with M = R Rbar^T - Qbar^T Q (the Qbar part)
        check()
        return (solve_rt(d + q @ _copyltu(-(_t(d) @ q))).astype(a.dtype, copy=False),)

    def back_r(d):  # the Rbar part: M = R Rbar^T
        check()
        return (solve_rt(q @ _copyltu(r @ _t(d))).astype(a.dtype, copy=False),)

    return Tensor.from_op(q, (ta,), back_q, "qr"), Tensor.from_op(r, (ta,), back_r, "qr")


# -- svd ------------------------------------------------------------------------------------
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u diag(s) vh`.

    Args:
        x: tensor of shape `(..., m, n)`.
        full_matrices: `u` is (m, m) and `vh` (n, n); else (m, k) and (k, n), k = min(m, n).
        compute_uv: return `(u, s, vh)`; else only `s`.

    Returns:
        `s` of shape `(..., k)` in descending order, or the tuple `(u, s, vh)`. Gradients:
        always for `s`; for `u` and `vh` with `full_matrices=False` (as JAX) and distinct
        non-zero singular values.

    >>> import minikeras as keras
    >>> keras.ops.svd([[3.0, 0.0], [0.0, -2.0]], compute_uv=False).numpy().tolist()
    [3.0, 2.0]
    """
    a, ta = _matrix(x, "svd")
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    k = s.shape[-1]

    def back_s(d):  # dA = U diag(ds) V^T
        return (((u * d[..., None, :]) @ vh).astype(a.dtype, copy=False),)

    if not compute_uv:
        return Tensor.from_op(s, (ta,), back_s, "svd")

    eye = np.eye(k, dtype=bool)
    s2 = s[..., None, :] ** 2 - s[..., :, None] ** 2  # s_j^2 - s_i^2
    f = np.where(eye, 0, 1 / np.where(eye, 1, s2))
    v = _t(vh)

    def no_full():
        if full_matrices and a.shape[-1] != a.shape[-2]:
            raise NotImplementedError(
                "svd: gradients of u and vh need full_matrices=False (as in JAX) for "
                f"non-square inputs. Received: shape={a.shape}"
            )

    def back_u(d):  # Townsend (2016), the u part
        no_full()
        d = d[..., :k]
        j = f * (_t(u) @ d - _t(d) @ u)
        g = u @ (j * s[..., None, :]) @ vh
        g = g + ((d - u @ (_t(u) @ d)) / s[..., None, :]) @ vh
        return (g.astype(a.dtype, copy=False),)

    def back_vh(d):  # the v part, with vbar = dvh^T
        no_full()
        dv = _t(d[..., :k, :])
        j = f * (_t(v) @ dv - _t(dv) @ v)
        g = u @ (s[..., :, None] * j) @ vh
        g = g + u @ _t((dv - v @ (_t(v) @ dv)) / s[..., None, :])
        return (g.astype(a.dtype, copy=False),)

    if full_matrices:
        u_out, _, vh_out = np.linalg.svd(a, full_matrices=True)
    else:
        u_out, vh_out = u, vh
    return (
        Tensor.from_op(u_out, (ta,), back_u, "svd"),
        Tensor.from_op(s, (ta,), back_s, "svd"),
        Tensor.from_op(vh_out, (ta,), back_vh, "svd"),
    )


# -- lu_factor ------------------------------------------------------------------------------
def _lu_one(a):
    a = a.copy()
    m, n = a.shape
    piv = np.zeros(min(m, n), dtype=np.int32)
    for j in range(min(m, n)):
        p = j + int(np.argmax(np.abs(a[j:, j])))
        piv[j] = p
        if p != j:
            a[[j, p]] = a[[p, j]]
        if a[j, j] != 0:
            a[j + 1 :, j] /= a[j, j]
            a[j + 1 :, j + 1 :] -= np.outer(a[j + 1 :, j], a[j, j + 1 :])
    return a, piv


def lu_factor(x):
    """LU factorisation with partial pivoting, in scipy's packed form (`scipy.linalg.lu_factor`).

    Args:
        x: tensor of shape `(..., m, n)`.

    Returns:
        A tuple `(lu, pivots)`: `lu` holds `U` in its upper triangle and the unit-diagonal `L`
        below it; `pivots` (int32, shape `(..., min(m, n))`) says row `i` was swapped with row
        `pivots[i]`. Not differentiable here.

    >>> import minikeras as keras
    >>> lu, piv = keras.ops.lu_factor([[1.0, 2.0], [4.0, 4.0]])
    >>> lu.numpy().tolist(), piv.numpy().tolist()
    ([[4.0, 4.0], [0.25, 1.0]], [1, 1])
    """
    a, _ = _matrix(x, "lu_factor")
    flat = a.reshape((-1,) + a.shape[-2:])
    parts = [_lu_one(m) for m in flat]
    lu = np.stack([p[0] for p in parts]).reshape(a.shape)
    piv = np.stack([p[1] for p in parts]).reshape(a.shape[:-2] + (min(a.shape[-2:]),))
    return Tensor(lu), Tensor(piv)


# -- solvers --------------------------------------------------------------------------------
def solve_triangular(a, b, lower=False):
    """Solves `a x = b` for triangular `a` (only its lower or upper triangle is read).

    Args:
        a: tensor of shape `(..., n, n)`.
        b: tensor of shape `(..., n, k)`, or `(..., n)` for one right-hand side.
        lower: use the lower triangle of `a` (default: the upper).

    Returns:
        `x`, shaped like `b`.

    >>> import minikeras as keras
    >>> x = keras.ops.solve_triangular([[2.0, 0.0], [1.0, 1.0]], [2.0, 3.0], lower=True)
    >>> x.numpy().tolist()
    [1.0, 2.0]
    """
    ta_arr, ta = _matrix(a, "solve_triangular", square=True)
    bb, tb = unwrap(b, "solve_triangular")
    bb = np.asarray(bb)
    dtype = np.result_type(ta_arr.dtype, result_float(bb).dtype)
    t = (np.tril(ta_arr) if lower else np.triu(ta_arr)).astype(dtype)
    vec = bb.ndim == ta_arr.ndim - 1
    b2 = bb[..., None] if vec else bb
    x = np.linalg.solve(t, b2.astype(dtype))

    def backward(d):
        d2 = d[..., None] if vec else d
        gb = np.linalg.solve(_t(t), d2)  # bbar = A^-T xbar
        ga = -gb @ _t(x)
        ga = np.tril(ga) if lower else np.triu(ga)
        return ga.astype(ta_arr.dtype, copy=False), (gb[..., 0] if vec else gb)

    out = x[..., 0] if vec else x
    return Tensor.from_op(out, (ta, tb), backward, "solve_triangular")


def _pinv_grad(a, p, g):
    """Abar for P = pinv(A) and Pbar = g (Golub & Pereyra; constant rank)."""
    eye_m = np.eye(a.shape[-2], dtype=a.dtype)
    eye_n = np.eye(a.shape[-1], dtype=a.dtype)
    return (
        -_t(p) @ g @ _t(p)
        + (eye_m - a @ p) @ _t(g) @ p @ _t(p)
        + _t(p) @ p @ _t(g) @ (eye_n - p @ a)
    )


def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse (through the SVD).

    Args:
        x: tensor of shape `(..., m, n)`.
        rcond: singular values at or below `rcond * largest` count as zero (default numpy's).

    Returns:
        A tensor of shape `(..., n, m)`; differentiable where the rank is constant.

    >>> import minikeras as keras
    >>> keras.ops.pinv([[2.0, 0.0], [0.0, 0.0]]).numpy().tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    a, ta = _matrix(x, "pinv")
    p = np.linalg.pinv(a) if rcond is None else np.linalg.pinv(a, rcond=rcond)
    return Tensor.from_op(p, (ta,), lambda d: (_pinv_grad(a, p, d),), "pinv")


def lstsq(a, b, rcond=None):
    """Least-squares solution of `a x = b` (minimum norm when `a` is rank deficient).

    Args:
        a: tensor of shape `(m, n)`.
        b: tensor of shape `(m,)` or `(m, k)`.
        rcond: cut-off for small singular values (numpy's default when None).

    Returns:
        `x` of shape `(n,)` or `(n, k)`; differentiable in both arguments (full rank).

    >>> import minikeras as keras
    >>> keras.ops.lstsq([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [1.0, 2.0, 5.0]).numpy().tolist()
    [1.0, 2.0]
    """
    aa, ta = _matrix(a, "lstsq")
    bb, tb = unwrap(b, "lstsq")
    bb = np.asarray(bb)
    if aa.ndim != 2 or bb.ndim not in (1, 2) or bb.shape[0] != aa.shape[0]:
        raise ValueError(
            f"lstsq expects a of shape (m, n) and b of shape (m,) or (m, k). Received: "
            f"a.shape={aa.shape}, b.shape={bb.shape}"
        )
    dtype = np.result_type(aa.dtype, result_float(bb).dtype)
    aa, b2 = aa.astype(dtype, copy=False), bb.astype(dtype)
    x = np.linalg.lstsq(aa, b2, rcond=rcond)[0].astype(dtype, copy=False)

    def backward(d):
        p = np.linalg.pinv(aa)
        d2, b3 = (d[:, None], b2[:, None]) if b2.ndim == 1 else (d, b2)
        ga = _pinv_grad(aa, p, d2 @ b3.T)
        gb = p.T @ d2
        return ga, (gb[:, 0] if b2.ndim == 1 else gb)

    return Tensor.from_op(x, (ta, tb), backward, "lstsq")


# -- determinants ---------------------------------------------------------------------------
def slogdet(x):
    """Sign and log of the absolute determinant, stable where `det` over/underflows.

    Args:
        x: tensor of shape `(..., n, n)`.

    Returns:
        A tuple `(sign, logabsdet)`, each of shape `(...)`; `logabsdet` is differentiable
        (gradient `x^-T`).

    >>> import minikeras as keras
    >>> sign, logabs = keras.ops.slogdet([[-2.0, 0.0], [0.0, 3.0]])
    >>> float(sign), round(float(logabs), 4)
    (-1.0, 1.7918)
    """
    a, ta = _matrix(x, "slogdet", square=True)
    sign, logabs = np.linalg.slogdet(a)
    sign, logabs = np.asarray(sign, a.dtype), np.asarray(logabs, a.real.dtype)  # complex: real

    def backward(d):
        return (np.asarray(d)[..., None, None] * _t(np.linalg.inv(a)),)

    return Tensor(sign), Tensor.from_op(logabs, (ta,), backward, "slogdet")


def logdet(x):
    """`log|det(x)|`, as Keras 3's `ops.logdet` (the second output of `slogdet`).

    Args:
        x: tensor of shape `(..., n, n)`.

    Returns:
        A tensor of shape `(...)`.

    >>> import minikeras as keras
    >>> round(float(keras.ops.logdet([[2.0, 0.0], [0.0, 3.0]])), 4)
    1.7918
    """
    sign, logabs = slogdet(x)
    if sign.dtype.kind != "c":
        return logabs
    from .complex_numbers import angle

    return logabs + 1j * angle(sign)  # complex: log(det), as Keras on torch (JAX: log|det|)


def matrix_rank(x, tol=None):
    """Number of singular values above `tol` (default `max(m, n) * eps * largest`), as numpy.

    Args:
        x: tensor of shape `(..., m, n)`.
        tol: the threshold.

    Returns:
        An int32 tensor of shape `(...)`.

    >>> import minikeras as keras
    >>> int(keras.ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1
    """
    a, _ = _matrix(x, "matrix_rank")
    return Tensor(np.asarray(np.linalg.matrix_rank(a, tol=tol), dtype=np.int32))
