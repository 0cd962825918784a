"""kernels/conv_int8.py: the int8 convolution equals its numpy reference (numpy windows through
Keras's int8 Dense steps, `int8_matmul.int8_dense_ref`) bit for bit, on VNNI and on the
float32-sgemm fallback, on one thread and split over two, for the geometries the ops pass."""

import numpy as np
import pytest

from minikeras.kernels import conv_int8 as c8
from minikeras.kernels import int8_vnni, threads

# (x shape (b, D, H, W, c), kernel size, filters, strides, dilation, pad, out shape)
GEOMETRIES = [
    ((3, 1, 9, 8, 3), (1, 3, 3), 5, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 7, 6)),
    ((2, 1, 9, 10, 4), (1, 3, 2), 70, (1, 2, 2), (1, 1, 1), (0, 1, 0), (1, 5, 5)),
    ((2, 1, 10, 9, 2), (1, 3, 3), 3, (1, 1, 1), (1, 2, 2), (0, 2, 2), (1, 10, 9)),
    ((2, 4, 5, 5, 2), (2, 2, 2), 3, (1, 1, 1), (1, 1, 1), (0, 0, 0), (3, 4, 4)),
    ((40, 1, 13, 13, 32), (1, 3, 3), 64, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 11, 11)),
    # fewer than 64 filters on many rows: the kernel padded to one full VNNI panel
    ((8, 1, 12, 12, 1), (1, 3, 3), 32, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 10, 10)),
    # one channel, strided along D and H, unit along W: a row of windows at a time
    ((3, 3, 9, 9, 1), (2, 3, 3), 20, (1, 2, 1), (1, 1, 1), (0, 0, 0), (2, 4, 7)),
    # long windows, strided: quantized straight from x (no float rows)
    ((5, 1, 11, 11, 24), (1, 3, 3), 16, (1, 2, 2), (1, 1, 1), (0, 0, 0), (1, 5, 5)),
]


def _case(rng, shape, ksize, filters):
    x = rng.normal(size=shape).astype(np.float32)
    x[0] *= 9.0
    kernel = rng.integers(-127, 128, size=ksize + (shape[-1], filters)).astype(np.int8)
    scale = rng.uniform(50, 400, size=filters).astype(np.float32)
    bias = rng.normal(size=filters).astype(np.float32)
    return x, kernel, scale, bias


@pytest.mark.parametrize("vnni", [True, False])
@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_equals_reference_bit_for_bit(monkeypatch, geometry, n_threads, vnni):
    if vnni and not int8_vnni.available():
        pytest.skip("this CPU has no AVX-512 VNNI (the fallback is the vnni=False case)")
    monkeypatch.setattr(threads, "num_threads", lambda: n_threads)
    if not vnni:
        monkeypatch.setattr(int8_vnni, "available", lambda: False)
    shape, ksize, filters, strides, dilation, pad, out_shape = geometry
    rng = np.random.default_rng(sum(shape) + filters)
    x, kernel, scale, bias = _case(rng, shape, ksize, filters)
    for b, relu in ((bias, True), (np.zeros(0, np.float32), False)):
        args = (b, relu, strides, dilation, pad, out_shape, 1e-7)
        out = c8.conv_int8(x, kernel, scale, *args)
        ref = c8.conv_int8_ref(x, kernel, scale, *args)
        assert out.dtype == np.float32 and out.shape == (shape[0], *out_shape, filters)
        np.testing.assert_array_equal(out, ref)


def test_reference_is_the_float_convolution_within_int8_rounding():
    """The reference itself: against a float64 correlation of the dequantized kernel, each
    output is off by at most the rounding of its window (half a step of the window's scale per
    value, times the kernel's absolute sum)."""
    rng = np.random.default_rng(1)
    x, kernel, scale, _ = _case(rng, (2, 1, 6, 6, 3), (1, 3, 3), 4)
    out = c8.conv_int8_ref(
        x, kernel, scale, np.zeros(0), False, (1, 1, 1), (1, 1, 1), (0,) * 3, (1, 4, 4), 1e-7
    )
    w = kernel.astype(np.float64) / scale
    exact = np.zeros((2, 4, 4, 4))
    bound = np.zeros((2, 4, 4, 4))
    for i in range(4):
        for j in range(4):
            win = x[:, 0, i : i + 3, j : j + 3].reshape(2, -1).astype(np.float64)
            exact[:, i, j] = win @ w.reshape(-1, 4)
            step = np.abs(win).max(axis=1, keepdims=True) / 127
            bound[:, i, j] = 0.5 * step * np.abs(w.reshape(-1, 4)).sum(axis=0) + 1e-5
    assert np.all(np.abs(out[:, 0] - exact) <= bound)


def test_rejects_bad_operands():
    x = np.zeros((1, 1, 4, 4, 2), np.float32)
    k = np.zeros((1, 2, 2, 2, 3), np.int8)
    s = np.ones(3, np.float32)
    geo = ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3), 1e-7)
    with pytest.raises(TypeError, match="int8 5-D kernel"):
        c8.conv_int8(x, k.astype(np.float32), s, np.zeros(0), False, *geo)
    with pytest.raises(ValueError, match="groups are not supported"):
        c8.conv_int8(np.zeros((1, 1, 4, 4, 4), np.float32), k, s, np.zeros(0), False, *geo)


# pooled 2-D cases (x shape, kernel size, filters, strides, dilation, pad, conv output shape):
# one channel 3x3 (conv_int8_3x3's direct loop), valid and "same" with odd sizes; many channels
# on the VNNI window path (64 filters, and 20 padded to a panel); the im2col path (padded)
POOLED = [
    ((3, 1, 12, 12, 1), (1, 3, 3), 32, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 10, 10)),
    ((2, 1, 7, 9, 1), (1, 3, 3), 5, (1, 1, 1), (1, 1, 1), (0, 1, 1), (1, 7, 9)),
    ((4, 1, 13, 13, 32), (1, 3, 3), 64, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 11, 11)),
    ((3, 1, 10, 10, 8), (1, 3, 3), 20, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 8, 8)),
    ((2, 1, 9, 9, 3), (1, 3, 3), 6, (1, 1, 1), (1, 1, 1), (0, 1, 1), (1, 9, 9)),
    ((2, 1, 11, 10, 1), (1, 3, 2), 4, (1, 2, 1), (1, 1, 1), (0, 0, 0), (1, 5, 9)),
]


@pytest.mark.parametrize("vnni", [True, False])
@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("geometry", POOLED)
def test_pooled_equals_the_convolution_then_the_pooling(monkeypatch, geometry, n_threads, vnni):
    """`pool=True` gives the 2x2 max pooling of the unpooled output, bit for bit, on every path
    (the output rows of odd sizes dropped as MaxPooling2D's "valid" drops them)."""
    if vnni and not int8_vnni.available():
        pytest.skip("this CPU has no AVX-512 VNNI (the fallback is the vnni=False case)")
    monkeypatch.setattr(threads, "num_threads", lambda: n_threads)
    if not vnni:
        monkeypatch.setattr(int8_vnni, "available", lambda: False)
    shape, ksize, filters, strides, dilation, pad, out_shape = geometry
    rng = np.random.default_rng(7 * sum(shape) + filters)
    x, kernel, scale, bias = _case(rng, shape, ksize, filters)
    bias -= 2.0  # ReLU then cuts some maxima
    for b, relu in ((bias, True), (np.zeros(0, np.float32), False)):
        args = (b, relu, strides, dilation, pad, out_shape, 1e-7)
        full = c8.conv_int8(x, kernel, scale, *args)
        pooled = c8.conv_int8(x, kernel, scale, *args, pool=True)
        oh, ow = out_shape[1] // 2, out_shape[2] // 2
        want = full[:, :, : 2 * oh, : 2 * ow].reshape(shape[0], 1, oh, 2, ow, 2, filters)
        want = want.max(axis=(3, 5))
        assert pooled.shape == (shape[0], 1, oh, ow, filters)
        np.testing.assert_array_equal(pooled, want)
        np.testing.assert_array_equal(pooled, c8.conv_int8_ref(x, kernel, scale, *args, True))
        if relu:
            assert (pooled == 0).any() and (pooled > 0).any()


def test_pool_needs_a_2d_output():
    x, kernel, scale, _ = _case(np.random.default_rng(0), (1, 3, 5, 5, 1), (2, 3, 3), 2)
    with pytest.raises(ValueError, match="2-D output"):
        c8.conv_int8(x, kernel, scale, np.zeros(0, np.float32), False, (1, 1, 1), (1, 1, 1),
                     (0, 0, 0), (2, 3, 3), 1e-7, pool=True)  # fmt: skip
