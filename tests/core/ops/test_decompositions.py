"""Tests for minikeras/core/ops/decompositions.py against Keras 3.15.1 (jax) values and input
gradients (tests/data/keras/linalg_k3.npz, make_linalg_fixtures.py) and float64 finite
differences."""

import os

import numpy as np
import pytest

from helpers import check_grad, randn
from minikeras import ops
from minikeras.core.autodiff import gradients
from minikeras.core.tensor import Tensor

K3 = np.load(os.path.join(os.path.dirname(__file__), "..", "..", "data", "keras", "linalg_k3.npz"))

# name -> (function, fixture inputs), as make_linalg_fixtures.py called Keras
CASES = {
    "cholesky": (ops.cholesky, ["SPD"]),
    "cholesky_upper": (lambda x: ops.cholesky(x, upper=True), ["SPD"]),
    "cholesky_batch": (ops.cholesky, ["SPD_BATCH"]),
    "cholesky_inverse": (lambda x: ops.cholesky_inverse(ops.cholesky(x)), ["SPD"]),
    "eigh": (ops.eigh, ["SPD"]),
    "eigh_values": (lambda x: ops.eigh(x)[0], ["SPD"]),
    "qr": (ops.qr, ["A"]),
    "qr_complete": (lambda x: ops.qr(x, mode="complete"), ["A"]),
    "svd_values": (lambda x: ops.svd(x, compute_uv=False), ["A"]),
    "svd_reduced": (lambda x: ops.svd(x, full_matrices=False), ["A"]),
    "lstsq": (ops.lstsq, ["A", "B"]),
    "solve_triangular_lower": (lambda a, b: ops.solve_triangular(a, b, lower=True), ["SPD", "B3"]),
    "solve_triangular_upper": (ops.solve_triangular, ["SPD", "B3"]),
    "solve_triangular_vec": (
        lambda a, b: ops.solve_triangular(a, b[:, 0], lower=True),
        ["SPD", "B3"],
    ),
    "solve_triangular_batch": (lambda a: ops.solve_triangular(a, a, lower=True), ["BATCH"]),
    "lu_factor": (ops.lu_factor, ["M"]),
    "lu_factor_batch": (ops.lu_factor, ["BATCH"]),
    "slogdet": (ops.slogdet, ["M"]),
    "logdet": (ops.logdet, ["SPD"]),
    "pinv": (ops.pinv, ["A"]),
    "pinv_wide": (ops.pinv, ["W_T"]),
    "matrix_rank": (ops.matrix_rank, ["A"]),
}
# differentiable in Keras (jax) but not here: lu_factor; qr's "complete" mode with m > n
NO_GRAD_HERE = {"lu_factor", "lu_factor_batch", "qr_complete"}


def _input(name):
    if name == "W_T":
        return K3["W"].T.copy()
    if name == "SPD_BATCH":
        return np.stack([K3["SPD"][:3, :3], K3["SPD"][1:, 1:]])
    return K3[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_dtypes_and_gradients_match_keras(name):
    fn, names = CASES[name]
    xs = [Tensor(_input(n), requires_grad=True) for n in names]
    ys = fn(*xs)
    ys = ys if isinstance(ys, tuple) else (ys,)
    for i, y in enumerate(ys):
        ref = K3[f"{name}__y{i}"]
        assert np.asarray(y).dtype == ref.dtype and np.asarray(y).shape == ref.shape
        np.testing.assert_allclose(np.asarray(y), ref, rtol=2e-5, atol=2e-6, err_msg=f"out {i}")
    if f"{name}__g0" not in K3 or name in NO_GRAD_HERE:
        return
    loss = None
    for i, y in enumerate(ys):
        if y.dtype.kind == "f":
            term = ops.sum(y * K3[f"{name}__w{i}"])
            loss = term if loss is None else loss + term
    for i, g in enumerate(gradients(loss, xs)):
        np.testing.assert_allclose(
            np.asarray(g),
            K3[f"{name}__g{i}"],
            rtol=1e-4,
            atol=2e-5,
            err_msg=f"gradient of input {i}",
        )


def _spd(n, seed, batch=()):
    m = randn(*batch, n, n, seed=seed)
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def _sym(t):
    return (t + ops.swapaxes(t, -1, -2)) * 0.5


def test_symmetric_input_gradients_finite_differences():
    """cholesky and eigh read one triangle of a symmetric matrix; their gradient is the
    symmetrised one (as JAX's), which finite differences of f((x + x^T) / 2) give."""
    x = _spd(4, 1, (2,))
    check_grad(lambda t: ops.cholesky(_sym(t)), x)
    check_grad(lambda t: ops.cholesky(_sym(t), upper=True), x)
    check_grad(lambda t: ops.eigh(_sym(t))[0], x)
    check_grad(lambda t: ops.eigh(_sym(t))[1], x, rtol=1e-4, atol=1e-5)
    check_grad(lambda t: ops.cholesky_inverse(ops.cholesky(_sym(t))), x)


def test_other_gradients_finite_differences():
    tall = randn(2, 5, 3, seed=2)
    check_grad(lambda t: ops.qr(t)[0], tall)
    check_grad(lambda t: ops.qr(t)[1], tall)
    check_grad(lambda t: ops.svd(t, compute_uv=False), tall)
    check_grad(lambda t: ops.svd(t, full_matrices=False)[0], tall, rtol=1e-4, atol=1e-5)
    check_grad(lambda t: ops.svd(t, full_matrices=False)[2], tall, rtol=1e-4, atol=1e-5)
    check_grad(ops.pinv, tall)
    check_grad(ops.pinv, np.swapaxes(tall, -1, -2).copy())
    check_grad(lambda a, b: ops.lstsq(a, b), randn(6, 3, seed=3), randn(6, 2, seed=4))
    check_grad(lambda a, b: ops.lstsq(a, b), randn(6, 3, seed=3), randn(6, seed=5))
    tri = randn(2, 4, 4, seed=6) + 4 * np.eye(4)
    check_grad(lambda a, b: ops.solve_triangular(a, b, lower=True), tri, randn(2, 4, 3, seed=7))
    check_grad(lambda a, b: ops.solve_triangular(a, b), tri, randn(2, 4, seed=8))
    check_grad(lambda t: ops.slogdet(t)[1], randn(2, 3, 3, seed=9))
    check_grad(ops.logdet, _spd(3, 10))


def test_properties_and_errors():
    """Reconstructions hold; a non-positive-definite cholesky and a bad qr mode raise ValueError;
    lu_factor's pivots are int32 in scipy's row-swap form (Keras 3.15.1's dtype)."""
    a = randn(3, 4, 4, seed=11)
    lu, piv = ops.lu_factor(a)
    assert piv.dtype == np.int32 and piv.shape == (3, 4)
    for b in range(3):  # rebuild P A = L U from the packed form
        m = np.asarray(lu)[b]
        low, up = np.tril(m, -1) + np.eye(4), np.triu(m)
        perm = np.arange(4)
        for i, p in enumerate(np.asarray(piv)[b]):
            perm[[i, p]] = perm[[p, i]]
        np.testing.assert_allclose(low @ up, a[b][perm], atol=1e-12)
    u, s, vh = ops.svd(a)
    np.testing.assert_allclose(
        (np.asarray(u) * np.asarray(s)[..., None, :]) @ np.asarray(vh), a, atol=1e-12
    )
    assert int(ops.matrix_rank(np.ones((3, 3)))) == 1
    assert ops.cholesky(np.array([[4, 2], [2, 5]], "int32")).dtype == "float32"
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValueError, match="mode"):
        ops.qr(a, mode="r")
    with pytest.raises(ValueError, match="square"):
        ops.cholesky(np.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="full_matrices"):
        gradients(
            ops.sum(ops.svd(Tensor(randn(4, 3), requires_grad=True))[0]), [Tensor(randn(4, 3))]
        )


def test_linalg_namespace_holds_the_decompositions():
    for name in [
        "cholesky",
        "cholesky_inverse",
        "eigh",
        "qr",
        "svd",
        "lu_factor",
        "lstsq",
        "solve_triangular",
        "pinv",
        "matrix_rank",
    ]:
        assert getattr(ops.linalg, name) is getattr(ops, name)
    assert "slogdet" in dir(ops.numpy) or hasattr(ops, "slogdet")


def test_cholesky_inverse_reads_only_the_factor_triangle():
    """Keras 3.15.1 (jax) on a full (non-triangular) matrix: only the lower (upper) triangle
    counts as the factor."""
    x = np.random.default_rng(3).normal(size=(3, 3)).astype("float32")
    x = x + 3 * np.eye(3, dtype="float32")
    lower = [
        [0.07836924493312836, 0.025568043813109398, 0.0901787132024765],
        [0.025568043813109398, 0.15592606365680695, 0.019978532567620277],
        [0.0901787132024765, 0.019978532567620277, 0.2194274514913559],
    ]
    upper = [
        [0.07931544631719589, 0.07738635689020157, -0.008784114383161068],
        [0.07738635689020157, 0.155678853392601, 0.018571428954601288],
        [-0.008784114383161068, 0.018571428954601288, 0.2194274514913559],
    ]
    np.testing.assert_allclose(ops.cholesky_inverse(x).numpy(), lower, rtol=1e-5)
    np.testing.assert_allclose(ops.cholesky_inverse(x, upper=True).numpy(), upper, rtol=1e-5)
