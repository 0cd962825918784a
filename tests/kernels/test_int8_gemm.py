"""kernels/int8_gemm.py: int8 products through float32 BLAS equal the int32 accumulation bit for
bit (integers below 2**24 are exact in float32), and the fused int8 Dense product equals Keras
3.15.1's steps (`int8_matmul.int8_dense_ref`, itself checked against Keras's own int8 Dense
fixture in test_int8_matmul.py) exactly."""

import numpy as np
import pytest

from minikeras.kernels import int8_gemm as g
from minikeras.kernels import int8_matmul as i8


def _ints(rng, shape, low=-127, high=127):
    return rng.integers(low, high + 1, size=shape).astype(np.int8)


@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (3, 5, 2), (64, 784, 300), (7, 1040, 9)])
def test_blas_product_equals_int32_accumulation(m, k, n):
    rng = np.random.default_rng(m + k + n)
    a, b = _ints(rng, (m, k)), _ints(rng, (k, n))
    out = g.int8_matmul_blas(a.astype(np.float32), b)
    assert out.dtype == np.float32  # one chunk: float32 holds the exact integers
    np.testing.assert_array_equal(out.astype(np.int64), g.int8_matmul_blas_ref(a, b))


def test_worst_case_magnitudes_are_exact():
    """Every term at +-127 * 127: the largest sums a chunk of EXACT_K terms can reach."""
    k = g.EXACT_K
    a = np.full((2, k), 127, np.int8)
    a[1, ::2] = -127
    b = np.full((k, 3), 127, np.int8)
    b[::3, 1] = -127
    out = g.int8_matmul_blas(a, b)
    np.testing.assert_array_equal(out.astype(np.int64), a.astype(np.int64) @ b.astype(np.int64))
    assert k * 127 * 127 < 2**24 <= (k + 1) * 127 * 127


@pytest.mark.parametrize("k,max_k", [(2500, g.EXACT_K), (300, 64)])
def test_long_rows_are_summed_in_int32_chunks(k, max_k):
    rng = np.random.default_rng(k)
    a, b = _ints(rng, (5, k)), _ints(rng, (k, 70))
    a[:, :] = 127  # sums beyond 2**24, where one float32 sgemm would round
    b[:, :10] = 127
    out = g.int8_matmul_blas(a, b, tile=32, max_k=max_k)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, g.int8_matmul_blas_ref(a, b))


def test_quantize_rows_matches_keras_steps():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((9, 33)) * 3).astype(np.float32)
    x[0] = 0.0  # all-zero row: scale 127 / 1e-7
    x[1, 3] = 0.5 / (127 / (np.abs(x[1]).max() + np.float32(1e-7)))  # near a rounding tie
    q, s = g.quantize_rows_f32(x, 1e-7)
    q_ref, s_ref = i8.quantize_rows(x)
    np.testing.assert_array_equal(q, q_ref.astype(np.float32))
    np.testing.assert_array_equal(s, s_ref[:, 0])


@pytest.mark.parametrize("m", [1, 3, 8, 100])
def test_int8_dense_equals_reference_exactly(m):
    rng = np.random.default_rng(m)
    x = rng.standard_normal((m, 200)).astype(np.float32)
    kernel = _ints(rng, (200, 40))
    ks = (rng.random(40) * 50 + 1).astype(np.float32)
    ref = i8.int8_dense_ref(x, kernel, ks)
    np.testing.assert_array_equal(g.int8_dense(x, kernel, ks), ref)
    kt = np.ascontiguousarray(kernel.T)
    np.testing.assert_array_equal(g.int8_dense(x, kernel, ks, kernel_t=kt), ref)


@pytest.mark.parametrize("relu", [False, True])
def test_rescale_rows_with_bias_and_relu(relu):
    rng = np.random.default_rng(1)
    acc = rng.integers(-(2**20), 2**20, size=(6, 11)).astype(np.int32)
    ks = (rng.random(11) + 0.5).astype(np.float32)
    xs = (rng.random(6) + 0.5).astype(np.float32)
    bias = rng.standard_normal(11).astype(np.float32)
    out = g.rescale_rows(acc, ks, xs, bias, relu)
    np.testing.assert_array_equal(out, g.rescale_rows_ref(acc, ks, xs, bias, relu))
    # against float64: the float32 steps lose at most a few ulps
    exact = acc / (ks.astype(np.float64) * xs[:, None]) + bias
    exact = np.maximum(exact, 0) if relu else exact
    np.testing.assert_allclose(out, exact, rtol=1e-6, atol=1e-6)
