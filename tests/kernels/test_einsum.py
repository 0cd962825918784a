"""Tests for minikeras/kernels/einsum.py: the batched-GEMM einsum against `np.einsum` (its
reference) on equations that map onto one matmul and on those that fall back."""

import numpy as np
import pytest

from minikeras.kernels import einsum as E
from tests.helpers import randn

# (equation, shapes, whether it maps onto one GEMM)
EQUATIONS = [
    ("ij,jk->ik", [(3, 4), (4, 5)], True),
    ("ij,jk->ki", [(3, 4), (4, 5)], True),  # transposed output: b @ a, no copy
    ("ij,kj->ik", [(3, 4), (5, 4)], True),  # a @ b.T
    ("ji,jk->ik", [(4, 3), (4, 5)], True),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], True),
    ("bij,bjk->kbi", [(2, 3, 4), (2, 4, 5)], True),  # output interleaves the groups
    ("abc,cde->abde", [(2, 3, 4), (4, 5, 6)], True),  # EinsumDense (MHA projections)
    ("abcd,cde->abe", [(2, 3, 4, 5), (4, 5, 6)], True),  # MHA output projection
    ("aecd,abcd->acbe", [(2, 5, 3, 4), (2, 6, 3, 4)], True),  # MHA scores
    ("acbe,aecd->abcd", [(2, 3, 6, 5), (2, 5, 3, 4)], True),  # MHA combine
    ("abde,cde->abc", [(2, 3, 5, 6), (4, 5, 6)], True),  # their gradients
    ("abde,abc->cde", [(2, 3, 5, 6), (2, 3, 4)], True),
    ("i,i->", [(4,), (4,)], True),
    ("i,j->ij", [(3,), (2,)], True),
    ("ij,j->i", [(3, 4), (4,)], True),
    ("ij,ik->", [(3, 4), (3, 2)], True),
    ("abc,cd->ad", [(2, 3, 4), (4, 5)], True),  # b summed within the first operand only
    ("ab,cd->", [(2, 3), (4, 5)], True),
    ("ij,ij->ij", [(1, 3), (4, 3)], True),  # a size-1 axis broadcasts
    ("ij,ij->i", [(3, 1), (3, 4)], True),
    ("...ij,jk->...ik", [(2, 5, 3), (3, 4)], True),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 6)], True),  # broadcast batch dims
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)], True),  # an empty `...` on one side
    ("...i,...i->...", [(2, 3), (1, 3)], True),
    ("a...,a...->...", [(2, 3, 4), (2, 1, 4)], True),
    ("ab...,b->a...", [(2, 3, 4, 5), (3,)], True),
    ("ab,b->a", [(3, 0), (0,)], True),  # empty contraction: zeros
    ("ii,i->i", [(3, 3), (3,)], False),  # a diagonal
    ("iij,j->i", [(3, 3, 2), (2,)], False),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)], False),
    ("ij->ji", [(3, 4)], False),
    ("ij,jk", [(2, 3), (3, 4)], False),  # implicit output
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("spec,shapes,gemm", EQUATIONS, ids=[e[0] for e in EQUATIONS])
def test_einsum_matches_reference(spec, shapes, gemm, dtype):
    arrays = [randn(*s, seed=k).astype(dtype) for k, s in enumerate(shapes)]
    got, want = E.einsum(spec, *arrays), E.einsum_ref(spec, *arrays)
    assert got.shape == np.shape(want) and got.dtype == np.result_type(want)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    if len(arrays) == 2:
        assert (E._plan(spec, *[a.shape for a in arrays]) is not None) == gemm


def test_einsum_plans_once_per_equation_and_shapes(monkeypatch):
    calls = []
    plan = E._plan
    monkeypatch.setattr(E, "_plan", lambda *a: calls.append(a) or plan(*a))
    a, b = randn(2, 7, 3), randn(2, 3, 6)
    for _ in range(3):
        E.einsum("bij,bjk->bik", a, b)
    E.einsum("bij,bjk->bik", randn(2, 5, 3), b)
    assert calls == [("bij,bjk->bik", (2, 7, 3), (2, 3, 6)), ("bij,bjk->bik", (2, 5, 3), (2, 3, 6))]


def test_einsum_gemm_path_does_not_use_np_einsum(monkeypatch):
    """The attention scores go through np.matmul, never numpy's unblocked einsum loop."""
    q, k = randn(2, 6, 3, 4).astype("float32"), randn(2, 5, 3, 4).astype("float32")
    want = np.einsum("aecd,abcd->acbe", k, q)
    monkeypatch.setattr(np, "einsum", None)
    np.testing.assert_allclose(E.einsum("aecd,abcd->acbe", k, q), want, rtol=1e-5, atol=1e-5)


def test_einsum_strided_operands():
    """Non-contiguous views (flipped, strided) give numpy's values."""
    a = randn(4, 6, 5)[:, ::2, ::-1]
    b = randn(5, 4).T[::-1]
    np.testing.assert_allclose(
        E.einsum("bij,bj->bi", a, b), np.einsum("bij,bj->bi", a, b), rtol=1e-12, atol=1e-12
    )


def test_einsum_errors_are_numpys():
    with pytest.raises(ValueError, match="operand"):
        E.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError):
        E.einsum("...ij,jk->ik", np.ones((2, 3, 4)), np.ones((4, 5)))


def test_einsum_mixed_float_dtypes_compute_in_float64():
    a, b = randn(3, 4).astype("float32"), randn(4, 5)
    got = E.einsum("ij,jk->ik", a, b)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, np.einsum("ij,jk->ik", a, b), rtol=1e-12, atol=1e-12)
