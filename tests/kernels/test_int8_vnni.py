"""kernels/int8_vnni.py: the AVX-512 VNNI int8 product equals the exact int64 product, and its
int8 Dense (quantization, product, rescale, bias, ReLU) equals Keras 3.15.1's steps
(`int8_matmul.int8_dense_ref`, checked against Keras's own int8 Dense fixture in
test_int8_matmul.py) bit for bit. Skipped only where the CPU has no VNNI (the layer then takes
`int8_gemm`, tested in test_int8_gemm.py)."""

import numpy as np
import pytest

from minikeras.kernels import int8_matmul as i8
from minikeras.kernels import int8_vnni as v
from minikeras.kernels import threads

needs_vnni = pytest.mark.skipif(not v.available(), reason="this CPU has no AVX-512 VNNI")


def _ints(rng, shape, low=-127, high=127):
    return rng.integers(low, high + 1, size=shape).astype(np.int8)


# edges: one row/column/term, rows not a multiple of MR, k not a multiple of 4, n not a
# multiple of NR, several panels, and the mlp's first layer
SHAPES = [(1, 1, 1), (3, 5, 2), (4, 4, 64), (5, 7, 65), (13, 130, 129), (64, 784, 300)]


@needs_vnni
@pytest.mark.parametrize("m,k,n", SHAPES)
def test_product_equals_exact_integer_product(m, k, n):
    rng = np.random.default_rng(m * 1000 + k + n)
    a, b = _ints(rng, (m, k)), _ints(rng, (k, n))
    out = v.int8_matmul(a, b)
    assert out.dtype == np.int32 and out.shape == (m, n)
    np.testing.assert_array_equal(out, i8.int8_matmul_ref(a, b))


@needs_vnni
def test_extreme_values_and_the_offset_correction():
    """All +-127 (the unsigned side holds q + 128 in 1..255): the largest sums, and the column
    sum correction at its largest."""
    k = 1001
    a = np.full((6, k), 127, np.int8)
    a[1] = -127
    a[2, ::2] = -127
    b = np.full((k, 70), -127, np.int8)
    b[:, 1::2] = 127
    np.testing.assert_array_equal(v.int8_matmul(a, b), i8.int8_matmul_ref(a, b))


def test_rejects_bad_operands():
    a = np.zeros((2, 3), np.int8)
    with pytest.raises(TypeError, match="int8 kernel"):
        v.int8_matmul(a, np.zeros((3, 2), np.float32))
    with pytest.raises(ValueError, match="3 columns but the kernel has 4 rows"):
        v.int8_matmul(a, np.zeros((4, 2), np.int8))
    with pytest.raises(TypeError, match="int8 inputs"):
        v.int8_matmul(a.astype(np.int16), np.zeros((3, 2), np.int8))
    assert v.MAX_K * 255 * 127 < 2**31 <= (v.MAX_K + 1) * 255 * 127


@needs_vnni
@pytest.mark.parametrize("m,k,n", SHAPES)
@pytest.mark.parametrize("bias,relu", [(False, False), (True, True)])
def test_dense_equals_keras_steps(m, k, n, bias, relu):
    rng = np.random.default_rng(m + 7 * k + n)
    x = (rng.standard_normal((m, k)) * 3).astype(np.float32)
    x[0, : min(k, 2)] = 0.0
    kernel = _ints(rng, (k, n))
    scale = rng.uniform(1.0, 300.0, n).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32) if bias else None
    expected = i8.int8_dense_ref(x, kernel, scale)
    if bias:
        expected = expected + b
    if relu:
        expected = np.maximum(expected, np.float32(0))
    got = v.int8_dense(x, kernel, scale, b, relu)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@needs_vnni
def test_zero_rows_and_threads_agree(monkeypatch):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 300)).astype(np.float32)
    x[5] = 0.0  # an all-zero row: scale 127 / 1e-7, all products 0
    kernel, scale = _ints(rng, (300, 700)), rng.uniform(1, 2, 700).astype(np.float32)
    one = v.int8_dense(x, kernel, scale)
    monkeypatch.setattr(threads, "num_threads", lambda: 2)
    two = v.int8_dense(x, kernel, scale)  # panels split over two threads
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, i8.int8_dense_ref(x, kernel, scale))
    assert v.int8_dense(np.zeros((0, 300), np.float32), kernel, scale).shape == (0, 700)


def test_input_quantization_equals_keras_steps():
    rng = np.random.default_rng(4)
    x = (rng.standard_normal((9, 33)) * 3).astype(np.float32)
    x[0] = 0.0  # all-zero row: scale 127 / 1e-7
    x[1, 3] = 0.5 / (127 / (np.abs(x[1]).max() + np.float32(1e-7)))  # near a rounding tie
    x[2, :4] = [np.inf, -1.0, 2.0, 0.0]  # an infinite value: scale 0
    a, scales = v.quantize_rows_u8(x, 1e-7)
    q_ref, s_ref = i8.quantize_rows(np.where(np.isinf(x), 0, x))
    s_ref[2] = 0.0
    np.testing.assert_array_equal(scales, s_ref[:, 0])
    rows = a.reshape(12, 36)  # rows padded to a multiple of MR, columns to a multiple of 4
    got = rows[:9, :33].astype(np.int16) - 128
    np.testing.assert_array_equal(got[[0, 1, 3, 4, 5, 6, 7, 8]], q_ref[[0, 1, 3, 4, 5, 6, 7, 8]])
    assert (rows[9:] == 128).all() and (rows[:, 33:] == 128).all()
    x[5, 7] = np.nan
    assert np.isnan(v.quantize_rows_u8(x, 1e-7)[1][5])  # numpy's max propagates the NaN
