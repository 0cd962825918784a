"""The max/average pooling kernels against their numpy references."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers import randn
from minikeras.kernels import pool as kp

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)


@st.composite
def geometries(draw):
    """Random pooling geometry: windows always hold a real cell, strides may exceed windows."""
    ksize, strides, pad, in_sp, out_sp = [], [], [], [], []
    for _ in range(3):
        k, s = draw(st.integers(1, 3)), draw(st.integers(1, 4))
        before, after = draw(st.integers(0, k - 1)), draw(st.integers(0, k - 1))
        n = draw(st.integers(max(1, k - before - after, before + 1), 7))
        o = (n + before + after - k) // s + 1
        o = min(o, (n - 1 + before) // s + 1)  # the last window must start inside the input
        ksize.append(k), strides.append(s), pad.append(before), in_sp.append(n), out_sp.append(o)
    shape = (draw(st.integers(1, 2)), *in_sp, draw(st.integers(1, 3)))
    return shape, (tuple(ksize), tuple(strides), tuple(pad), tuple(out_sp))


@SETTINGS
@given(geometries())
def test_max_pool_and_grad_match_references(g):
    shape, geom = g
    x = randn(*shape, dtype="float32")
    out, arg = kp.max_pool(x, *geom)
    np.testing.assert_array_equal(out, kp.max_pool_ref(x, *geom))
    # the argmax points at an input cell that holds the maximum
    flat = x.reshape(shape[0], -1, shape[-1])
    b, c = np.arange(shape[0])[:, None, None, None, None], np.arange(shape[-1])
    np.testing.assert_array_equal(flat[b, arg, c], out)
    dout = randn(*out.shape, seed=1, dtype="float32")
    np.testing.assert_allclose(
        kp.max_pool_grad(dout, arg, x.shape), kp.max_pool_grad_ref(dout, arg, x.shape), atol=1e-6
    )


@SETTINGS
@given(geometries())
def test_avg_pool_and_grad_match_references(g):
    shape, geom = g
    x = randn(*shape, dtype="float32")
    out = kp.avg_pool(x, *geom)
    np.testing.assert_allclose(out, kp.avg_pool_ref(x, *geom), rtol=1e-5, atol=1e-6)
    dout = randn(*out.shape, seed=1, dtype="float32")
    np.testing.assert_allclose(
        kp.avg_pool_grad(dout, x.shape, *geom[:3]),
        kp.avg_pool_grad_ref(dout, x.shape, *geom[:3]),
        rtol=1e-5,
        atol=1e-6,
    )


def test_max_pool_ties_go_to_the_first_cell_and_float64_works():
    x = np.ones((1, 1, 1, 4, 1))
    out, arg = kp.max_pool(x, (1, 1, 2), (1, 1, 2), (0, 0, 0), (1, 1, 2))
    assert out.dtype == np.float64
    assert arg.ravel().tolist() == [0, 2]


@pytest.mark.parametrize("shape", [(2, 1, 6, 8, 5), (1, 2, 7, 9, 3)])  # odd sizes drop the edge
def test_max_pool_2x2_fast_path_matches_reference(shape):
    x = randn(*shape, dtype="float32")
    x[0, 0, 0, 0, 0] = x[0, 0, 1, 1, 0] = 9.0  # a tie inside one window: the first cell wins
    geom = ((1, 2, 2), (1, 2, 2), (0, 0, 0), (shape[1], shape[2] // 2, shape[3] // 2))
    out, arg = kp.max_pool(x, *geom)
    np.testing.assert_array_equal(out, kp.max_pool_ref(x, *geom))
    assert arg[0, 0, 0, 0, 0] == 0
    flat = x.reshape(shape[0], -1, shape[-1])
    b, c = np.arange(shape[0])[:, None, None, None, None], np.arange(shape[-1])
    np.testing.assert_array_equal(flat[b, arg, c], out)
    dout = randn(*out.shape, seed=1, dtype="float32")
    np.testing.assert_allclose(
        kp.max_pool_grad(dout, arg, x.shape), kp.max_pool_grad_ref(dout, arg, x.shape), atol=1e-6
    )


def test_avg_pool_divides_by_real_cells_only():
    x = np.arange(3.0).reshape(1, 1, 1, 3, 1)  # [0, 1, 2], window 2, stride 2, one pad after
    out = kp.avg_pool(x, (1, 1, 2), (1, 1, 2), (0, 0, 0), (1, 1, 2))
    assert out.ravel().tolist() == [0.5, 2.0]
    dx = kp.avg_pool_grad(np.ones_like(out), x.shape, (1, 1, 2), (1, 1, 2), (0, 0, 0))
    assert dx.ravel().tolist() == [0.5, 0.5, 1.0]


def test_grad_kernels_reject_mismatched_shapes():
    dout, arg = np.ones((1, 1, 1, 2, 1)), np.zeros((1, 1, 1, 3, 1), np.int64)
    with pytest.raises(ValueError, match="max_pool_grad"):
        kp.max_pool_grad(dout, arg, (1, 1, 1, 4, 1))
    with pytest.raises(ValueError, match="avg_pool_grad"):
        kp.avg_pool_grad(dout, (1, 1, 1, 4, 2), (1, 1, 2), (1, 1, 2), (0, 0, 0))


@pytest.mark.parametrize("threads", [1, 2])
def test_max_pool_2x2_without_argmax_gives_the_same_maxima(monkeypatch, threads):
    """The inference path (`with_argmax=False`) makes the argmax path's comparisons: the same
    maxima, ties and NaN included (a NaN in a window's first cell wins, later ones do not)."""
    monkeypatch.setattr(kp.threads, "num_threads", lambda: threads)
    monkeypatch.setattr(kp, "PARALLEL_MIN", 1)
    x = randn(3, 1, 7, 8, 5, dtype="float32")
    x[0, 0, 0, 0, 0], x[0, 0, 0, 3, 1], x[1, 0, 2, 2, 2] = np.nan, np.nan, -0.0
    x[1, 0, 2, 3, 2] = 0.0
    geom = ((1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 3, 4))
    out, arg = kp.max_pool(x, *geom, with_argmax=False)
    assert arg is None
    want, _ = kp.max_pool(x, *geom)
    np.testing.assert_array_equal(out, want)
    assert np.isnan(out[0, 0, 0, 0, 0]) and not np.isnan(out[0, 0, 0, 1, 1])
    np.testing.assert_array_equal(np.signbit(out), np.signbit(want))
    # other windows keep the argmax path
    three = ((1, 3, 3), (1, 1, 1), (0, 0, 0), (1, 5, 6))
    out3, arg3 = kp.max_pool(x, *three, with_argmax=False)
    want3, want_arg3 = kp.max_pool(x, *three)
    np.testing.assert_array_equal(out3, want3)
    np.testing.assert_array_equal(arg3, want_arg3)
