"""The direct 3x3 convolution + bias + ReLU + 2x2 max pooling of one-channel images
(`kernels/direct3x3.py`) against its float64 numpy reference; `conv.conv(..., pool=True)` runs
it for one-channel 3x3 layers."""

import numpy as np
import pytest

from helpers import randn
from minikeras.kernels import conv as kc, direct3x3

# (x shape, filters, pad, conv output shape): valid, "same" with odd sizes, edge blocks
CASES = [
    ((2, 28, 28, 1), 32, (0, 0), (26, 26)),
    ((3, 7, 8, 1), 6, (1, 1), (7, 8)),
    ((2, 5, 9, 1), 3, (0, 0), (3, 7)),
    ((1, 4, 4, 1), 2, (1, 1), (4, 4)),
]


@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("x_shape, filters, pad, out_shape", CASES)
def test_conv3x3_pool_matches_reference(x_shape, filters, pad, out_shape, relu):
    """Measured max |kernel - float64 reference| / max |reference|: 0.6e-7 to 1.8e-7."""
    x = randn(*x_shape, dtype="float32")
    k = randn(3, 3, 1, filters, seed=1, dtype="float32")
    bias = randn(filters, seed=2, dtype="float32") - np.float32(3)  # ReLU cuts some maxima
    got = direct3x3.conv3x3_pool(x, k, bias, relu, pad, out_shape)
    ref = direct3x3.conv3x3_pool_ref(x, k, bias, relu, pad, out_shape)
    assert got.shape == (x_shape[0], out_shape[0] // 2, out_shape[1] // 2, filters)
    assert np.abs(got - ref).max() <= 5e-7 * np.abs(ref).max()
    if relu:
        assert (got == 0).any()


def test_threads_split_images_to_the_same_bits():
    x, k = randn(5, 10, 9, 1, dtype="float32"), randn(3, 3, 1, 4, seed=1, dtype="float32")
    bias = randn(4, seed=2, dtype="float32")
    one = direct3x3.conv3x3_pool(x, k, bias, True, (1, 1), (10, 9), n_threads=1)
    two = direct3x3.conv3x3_pool(x, k, bias, True, (1, 1), (10, 9), n_threads=2)
    np.testing.assert_array_equal(one, two)


def test_rejects_more_channels():
    x = randn(1, 5, 5, 2, dtype="float32")
    with pytest.raises(ValueError, match="one input channel"):
        direct3x3.conv3x3_pool(x, randn(3, 3, 2, 2, dtype="float32"), np.zeros(2, np.float32),
                               True, (0, 0), (3, 3))  # fmt: skip


def test_conv_pool_of_one_channel_runs_direct(monkeypatch):
    calls = []
    pool = direct3x3.conv3x3_pool
    monkeypatch.setattr(direct3x3, "conv3x3_pool", lambda *a: calls.append(1) or pool(*a))
    x, w = randn(2, 1, 9, 8, 1, dtype="float32"), randn(1, 3, 3, 1, 5, seed=1, dtype="float32")
    bias = randn(5, seed=2, dtype="float32")
    geom = ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 7, 6))
    got = kc.conv(x, w, *geom, epilogue=(bias, True), pool=True)
    assert calls == [1]
    want = direct3x3.conv3x3_pool_ref(x[:, 0], w[0], bias, True, (0, 0), (7, 6))
    np.testing.assert_allclose(got[:, 0], want, rtol=1e-6, atol=1e-6)
    kc.conv(x, w, *geom, epilogue=(bias, True))  # not pooled: im2col + GEMM
    assert calls == [1]
