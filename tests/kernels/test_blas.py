"""`kernels/blas.py`: numpy's own BLAS gemm called from numba through its address, against the
numpy product, and the plain loop used when no such gemm is found."""

import numpy as np
import pytest

from minikeras.kernels import blas


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gemm_address_is_found_in_numpys_blas(dtype):
    """numpy's wheels bundle an ILP64 OpenBLAS (`scipy_cblas_?gemm64_`); the address is cached."""
    address = blas.gemm_address(dtype)
    assert address != 0 and blas.gemm_address(dtype) == address


def test_no_gemm_for_other_dtypes():
    assert blas.gemm_address(np.float16) == 0 and blas.gemm_address(np.int32) == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("through_blas", [True, False])
@pytest.mark.parametrize("m,n,k", [(1, 1, 1), (5, 7, 3), (64, 40, 33), (3, 4, 0)])
def test_gemm_matches_reference_on_leading_blocks(dtype, through_blas, m, n, k):
    """c[:m, :n] = a[:m, :k] @ b[:k, :n] inside larger arrays; the rest of c is untouched."""
    rng = np.random.default_rng(m * 100 + n)
    a = rng.standard_normal((m + 2, k + 3)).astype(dtype)
    b = rng.standard_normal((k + 1, n + 4)).astype(dtype)
    c = np.full((m + 1, n + 5), 7.0, dtype)
    address = blas.gemm_address(dtype) if through_blas else 0
    blas.gemm(address, m, n, k, a, b, c)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(c[:m, :n], blas.gemm_ref(a[:m, :k], b[:k, :n]), rtol=tol, atol=tol)
    assert (c[m:] == 7).all() and (c[:, n:] == 7).all()


def test_gemm_sizes_outside_the_arrays_raise():
    a, b, c = np.ones((2, 3), np.float32), np.ones((3, 4), np.float32), np.ones((2, 4), np.float32)
    with pytest.raises(ValueError, match="gemm: sizes outside the arrays"):
        blas.gemm(blas.gemm_address(np.float32), 2, 4, 4, a, b, c)
    with pytest.raises(ValueError, match="gemm: sizes outside the output"):
        blas.gemm(blas.gemm_address(np.float32), 2, 4, 3, a, b, c[:1])
