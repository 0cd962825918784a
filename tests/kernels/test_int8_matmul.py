"""Tests for minikeras/kernels/int8_matmul.py: exact int32 products against an int64 numpy
reference, the Keras int8 Dense numerics against Keras 3.15.1's own outputs (the fixture model
tests/quantization/fixtures/dense_int8.*), and the quantization error against float64."""

import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.kernels import int8_matmul as K
from minikeras.quantizers import abs_max_quantize, pack_int4

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "quantization", "fixtures")


def _ints(rng, shape, low=-128, high=127):
    return rng.integers(low, high + 1, size=shape).astype(np.int8)


@pytest.mark.parametrize("m, k, n", [(1, 1, 1), (7, 33, 5), (64, 784, 130), (3, 4096, 2)])
def test_int8_matmul_is_exact(m, k, n):
    """Equal to the int64 product of the same int8 values (extremes -128 and 127 included)."""
    rng = np.random.default_rng(m * 1000 + k)
    a, b = _ints(rng, (m, k)), _ints(rng, (k, n))
    a[0, 0], b[0, 0] = -128, -128
    out = K.int8_matmul(a, b.T)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, K.int8_matmul_ref(a, b))


def test_int32_accumulator_limits():
    """At MAX_K terms of (-128) * (-128) the int32 sum is still exact; one more term raises
    instead of wrapping around."""
    a = np.full((1, K.MAX_K), -128, np.int8)
    assert K.int8_matmul(a, a)[0, 0] == K.MAX_K * 16384 <= 2**31 - 1
    longer = np.full((1, K.MAX_K + 1), 1, np.int8)
    with pytest.raises(ValueError, match="could overflow the int32 accumulator"):
        K.int8_matmul(longer, longer)
    with pytest.raises(TypeError, match="expects int8 operands"):
        K.int8_matmul(np.zeros((2, 2), np.int16), np.zeros((2, 2), np.int8))
    with pytest.raises(ValueError, match="a has 3 columns but the kernel has 2 rows"):
        K.int8_matmul(np.zeros((2, 3), np.int8), np.zeros((4, 2), np.int8))


def test_threaded_split_matches(monkeypatch):
    """Above PARALLEL_MIN the rows are split over two threads; the result is the same."""
    rng = np.random.default_rng(1)
    a, b = _ints(rng, (96, 300)), _ints(rng, (300, 40))
    monkeypatch.setattr(K, "PARALLEL_MIN", 1)
    keras.config.set_num_threads(2)
    try:
        np.testing.assert_array_equal(K.int8_matmul(a, b.T), K.int8_matmul_ref(a, b))
        x = rng.normal(size=(96, 300)).astype(np.float32)
        ks = rng.uniform(20, 60, size=40).astype(np.float32)
        np.testing.assert_array_equal(K.int8_dense(x, b.T, ks), K.int8_dense_ref(x, b, ks))
    finally:
        keras.config.set_num_threads(1)


def test_int8_dense_matches_reference_bit_for_bit():
    """The fused kernel's float32 epilogue (cast, scales' product, divide) equals numpy's."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 70)).astype(np.float32)
    x[3] = 0.0  # an all-zero row: scale 127 / 1e-7
    w = _ints(rng, (70, 20), -127, 127)
    ks = rng.uniform(5, 200, size=20).astype(np.float32)
    np.testing.assert_array_equal(K.int8_dense(x, w.T, ks), K.int8_dense_ref(x, w, ks))
    x64 = x.astype(np.float64)  # other compute dtypes take the numpy epilogue
    assert K.int8_dense(x64, w.T, ks).dtype == np.float64


def test_int8_dense_against_float64():
    """Against the float64 product of unquantized weights: with per-column abs-max int8 weights
    and per-row int8 inputs the relative (Frobenius) error stays under 2% on normal data."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(128, 256)).astype(np.float32)
    w = rng.normal(size=(256, 64)).astype(np.float32)
    q, scale = abs_max_quantize(w, axis=0)
    out = K.int8_dense(x, q.numpy().T, scale.numpy().reshape(-1))
    exact = x.astype(np.float64) @ w.astype(np.float64)
    assert np.linalg.norm(out - exact) / np.linalg.norm(exact) < 0.02


def test_int8_dense_reproduces_keras_dense_int8():
    """Keras 3.15.1's int8 Dense -> Dense model (dense_int8.weights.h5: kernel int8, bias,
    kernel_scale per layer) predicts `y_int8` on `x`; relu(int8_dense + bias) twice gives it
    bit for bit (the same float32 steps in the same order)."""
    h5py = pytest.importorskip("h5py")
    data = np.load(os.path.join(FIXTURES, "dense.npz"))
    with h5py.File(os.path.join(FIXTURES, "dense_int8.weights.h5"), "r") as f:
        layers = [
            [f[f"layers/{name}/vars/{i}"][()] for i in range(3)] for name in ("dense", "dense_1")
        ]
    h = data["x"]
    for index, (kernel, bias, kernel_scale) in enumerate(layers):
        h = K.int8_dense(h, kernel.T, kernel_scale) + bias
        if index == 0:
            h = np.maximum(h, 0)
    np.testing.assert_array_equal(h, data["y_int8"])


@pytest.mark.parametrize("n", [8, 31])
def test_int4_kernels(n):
    """A kernel packed along its output axis (Keras's int4 layout, via pack_int4(axis=-1))
    unpacks to the same int8 values transposed, and int4_matmul is the exact product."""
    rng = np.random.default_rng(n)
    values = _ints(rng, (45, n), -8, 7)
    packed = pack_int4(values, axis=-1)[0].numpy()
    np.testing.assert_array_equal(K.unpack_int4_t(packed, n), values.T)
    np.testing.assert_array_equal(K.unpack_int4_t_ref(packed, n), values.T)
    a = _ints(rng, (9, 45), -127, 127)
    np.testing.assert_array_equal(K.int4_matmul(a, packed, n), K.int8_matmul_ref(a, values))
