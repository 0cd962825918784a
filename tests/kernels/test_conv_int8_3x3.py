"""kernels/conv_int8_3x3.py: the direct int8 3x3 convolution + bias + ReLU + 2x2 max pooling of
one-channel images equals its reference (`conv_int8_ref`'s numpy windows through Keras's int8
Dense steps, then numpy's pooling) bit for bit: the float32 products of integers are exact."""

import numpy as np
import pytest

from minikeras.kernels import conv_int8_3x3 as k3

# (x shape, filters, pad, conv output shape): valid, "same" with odd sizes, one block, edges
CASES = [
    ((3, 28, 28, 1), 32, (0, 0), (26, 26)),
    ((2, 7, 8, 1), 6, (1, 1), (7, 8)),
    ((2, 5, 9, 1), 3, (0, 0), (3, 7)),
    ((1, 4, 4, 1), 40, (1, 1), (4, 4)),
    ((2, 40, 37, 1), 17, (1, 1), (40, 37)),  # rows wider than one 16-lane vector
]


def _operands(x_shape, filters, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape).astype(np.float32)
    x[0, :3] *= 50.0  # windows of very different scales
    x[-1, 1:4, 1:4] = 0.0  # an all-zero window: its scale is 127 / epsilon
    kernel = rng.integers(-127, 128, size=(3, 3, 1, filters)).astype(np.int8)
    scale = rng.uniform(50, 400, size=filters).astype(np.float32)
    bias = (rng.normal(size=filters) - 1.0).astype(np.float32)
    return x, kernel, scale, bias


@pytest.mark.parametrize("x_shape, filters, pad, out_shape", CASES)
def test_equals_reference_bit_for_bit(x_shape, filters, pad, out_shape):
    x, kernel, scale, bias = _operands(x_shape, filters, sum(x_shape))
    for b, relu in ((bias, True), (bias, False), (np.zeros(0, np.float32), False)):
        got = k3.conv3x3_pool(x, kernel, scale, b, relu, pad, out_shape, 1e-7)
        ref = k3.conv3x3_pool_ref(x, kernel, scale, b, relu, pad, out_shape, 1e-7)
        assert got.shape == (x_shape[0], out_shape[0] // 2, out_shape[1] // 2, filters)
        np.testing.assert_array_equal(got, ref)
        if relu:
            assert (got == 0).any() and (got > 0).any()


def test_is_the_float_convolution_within_int8_rounding():
    """Against float64: each pooled value within the rounding bound of its windows (half a
    quantization step per input value, times the dequantized kernel's absolute sum)."""
    x, kernel, scale, _ = _operands((2, 9, 9, 1), 4, 3)
    got = k3.conv3x3_pool(x, kernel, scale, np.zeros(0, np.float32), False, (0, 0), (7, 7), 1e-7)
    w = kernel.reshape(9, 4).astype(np.float64) / scale
    full = np.zeros((2, 7, 7, 4))
    bound = 0.0
    for i in range(7):
        for j in range(7):
            win = x[:, i : i + 3, j : j + 3, 0].reshape(2, 9).astype(np.float64)
            full[:, i, j] = win @ w
            step = np.abs(win).max() / 127
            bound = max(bound, 0.5 * step * np.abs(w).sum(axis=0).max())
    exact = full[:, :6, :6].reshape(2, 3, 2, 3, 2, 4).max(axis=(2, 4))
    assert np.abs(got - exact).max() <= bound + 1e-5


def test_threads_split_images_to_the_same_bits():
    x, kernel, scale, bias = _operands((5, 10, 9, 1), 4, 1)
    one = k3.conv3x3_pool(x, kernel, scale, bias, True, (1, 1), (10, 9), 1e-7, n_threads=1)
    two = k3.conv3x3_pool(x, kernel, scale, bias, True, (1, 1), (10, 9), 1e-7, n_threads=2)
    np.testing.assert_array_equal(one, two)


def test_rejects_other_operands():
    x, kernel, scale, bias = _operands((1, 6, 6, 1), 2, 0)
    with pytest.raises(ValueError, match="one channel"):
        k3.conv3x3_pool(np.repeat(x, 2, -1), kernel, scale, bias, True, (0, 0), (4, 4), 1e-7)
    with pytest.raises(ValueError, match="float32"):
        k3.conv3x3_pool(x.astype(np.float64), kernel, scale, bias, True, (0, 0), (4, 4), 1e-7)
