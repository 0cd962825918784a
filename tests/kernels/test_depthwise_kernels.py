"""The direct depthwise convolution kernels against their numpy references."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers import randn
from minikeras import ops
from minikeras.kernels import depthwise as kd

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)


def _axis(draw, mode):
    """(n, k, stride, dilation, before, after) for one spatial axis with at least one output."""
    k, s, d = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k_eff = (k - 1) * d + 1
    if mode == "valid":
        n = draw(st.integers(k_eff, 7))
        return n, k, s, d, 0, 0
    if mode == "same":  # TensorFlow's rule: out = ceil(n / s), the smaller half before
        n = draw(st.integers(1, 7))
        total = max((-(-n // s) - 1) * s + k_eff - n, 0)
        return n, k, s, d, total // 2, total - total // 2
    before, after = draw(st.integers(0, k_eff - 1)), draw(st.integers(0, k_eff - 1))
    n = draw(st.integers(max(1, k_eff - before - after), 7))
    return n, k, s, d, before, after


@st.composite
def geometries(draw):
    mode = draw(st.sampled_from(["valid", "same", "explicit"]))
    (nh, kh, sh, dh, pt, pb), (nw, kw, sw, dw, pl, pr) = _axis(draw, mode), _axis(draw, mode)
    nb, nc, dm = draw(st.integers(1, 2)), draw(st.integers(1, 4)), draw(st.integers(1, 2))
    return dict(
        x_shape=(nb, nh, nw, nc),
        w_shape=(kh, kw, nc, dm),
        geom=((sh, sw), (dh, dw), (pt, pb, pl, pr)),
    )


def _close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


@SETTINGS
@given(geometries())
def test_depthwise_kernels_match_references(g):
    x = randn(*g["x_shape"], dtype="float32")
    w = randn(*g["w_shape"], seed=1, dtype="float32")
    out = kd.depthwise_conv2d(x, w, *g["geom"])
    _close(out, kd.depthwise_conv2d_ref(x, w, *g["geom"]))
    dout = randn(*out.shape, seed=2, dtype="float32")
    hw = g["x_shape"][1:3]
    _close(
        kd.depthwise_conv2d_grad_input(dout, w, hw, *g["geom"]),
        kd.depthwise_conv2d_grad_input_ref(dout, w, hw, *g["geom"]),
    )
    khw, dm = g["w_shape"][:2], g["w_shape"][3]
    _close(
        kd.depthwise_conv2d_grad_kernel(x, dout, khw, dm, *g["geom"]),
        kd.depthwise_conv2d_grad_kernel_ref(x, dout, khw, dm, *g["geom"]),
    )


def test_reference_on_a_hand_computed_case():
    # one channel, 2x2 ones kernel, stride 1, one zero row/column of padding after: window sums
    x = np.arange(9.0).reshape(1, 3, 3, 1)
    out = kd.depthwise_conv2d_ref(x, np.ones((2, 2, 1, 1)), (1, 1), (1, 1), (0, 1, 0, 1))
    expected = [[8, 12, 7], [20, 24, 13], [13, 15, 8]]
    np.testing.assert_array_equal(out[0, :, :, 0], expected)
    np.testing.assert_array_equal(
        kd.depthwise_conv2d(x, np.ones((2, 2, 1, 1)), (1, 1), (1, 1), (0, 1, 0, 1)), out
    )


def test_float64_stays_float64():
    x, w = randn(1, 5, 4, 3), randn(3, 3, 3, 2, seed=1)
    out = kd.depthwise_conv2d(x, w, (2, 1), (1, 1), (1, 1, 1, 1))
    assert out.dtype == np.float64 and out.shape == (1, 3, 4, 6)
    np.testing.assert_allclose(out, kd.depthwise_conv2d_ref(x, w, (2, 1), (1, 1), (1, 1, 1, 1)))


def test_kernels_reject_mismatched_shapes():
    x, w = np.zeros((1, 5, 5, 3), "float32"), np.zeros((3, 3, 2, 1), "float32")
    with pytest.raises(ValueError):
        kd.depthwise_conv2d(x, w, (1, 1), (1, 1), (0, 0, 0, 0))  # 2 kernel channels, 3 inputs
    with pytest.raises(ValueError):
        kd.depthwise_conv2d(
            x[:, :2], np.zeros((3, 3, 3, 1), "float32"), (1, 1), (1, 1), (0, 0, 0, 0)
        )
    w = np.zeros((3, 3, 3, 1), "float32")
    with pytest.raises(ValueError):  # dout of the wrong spatial size for the geometry
        kd.depthwise_conv2d_grad_input(
            np.zeros((1, 4, 3, 3), "float32"), w, (5, 5), (1, 1), (1, 1), (0, 0, 0, 0)
        )
    with pytest.raises(ValueError):  # dout channels are not C * dm
        kd.depthwise_conv2d_grad_kernel(
            x, np.zeros((1, 3, 3, 4), "float32"), (3, 3), 1, (1, 1), (1, 1), (0, 0, 0, 0)
        )


def test_op_channels_first_and_1d_use_the_same_result():
    x, w = randn(2, 7, 6, 3, dtype="float32"), randn(3, 3, 3, 2, seed=1, dtype="float32")
    last = ops.depthwise_conv(x, w, 2, "same").numpy()
    ref = kd.depthwise_conv2d_ref(x, w, (2, 2), (1, 1), (1, 1, 0, 1))
    _close(last, ref)
    first = ops.depthwise_conv(np.moveaxis(x, -1, 1), w, 2, "same", data_format="channels_first")
    np.testing.assert_array_equal(first.numpy(), np.moveaxis(last, -1, 1))
    x1, w1 = x[:, 0], w[0]  # 1-D: (2, 6, 3) with a (3, 3, 2) kernel, dilation 2, valid
    out1 = ops.depthwise_conv(x1, w1, 1, "valid", dilation_rate=2).numpy()
    _close(out1, kd.depthwise_conv2d_ref(x1[:, None], w1[None], (1, 1), (1, 2), (0, 0, 0, 0))[:, 0])
