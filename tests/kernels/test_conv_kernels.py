"""The im2col/col2im kernels and the conv GEMM wrappers against their numpy references."""

import numpy as np

import minikeras as keras
import pytest
from hypothesis import given, settings, strategies as st

from helpers import randn
from minikeras.kernels import conv as kc

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)


@st.composite
def geometries(draw):
    """A random valid 3-D window geometry: sizes 1.., stride may exceed the kernel, dilation."""
    groups = draw(st.integers(1, 3))
    cg = draw(st.integers(1, 3))
    ksize, strides, dilation, pad, in_sp, out_sp = [], [], [], [], [], []
    for _ in range(3):
        k, s, d = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 2))
        k_eff = (k - 1) * d + 1
        before, after = draw(st.integers(0, k_eff - 1)), draw(st.integers(0, k_eff - 1))
        n = draw(st.integers(max(1, k_eff - before - after), 7))
        ksize.append(k), strides.append(s), dilation.append(d), pad.append(before)
        in_sp.append(n), out_sp.append((n + before + after - k_eff) // s + 1)
    batch = draw(st.integers(1, 2))
    filters = groups * draw(st.integers(1, 3))
    return dict(
        x_shape=(batch, *in_sp, groups * cg),
        kernel_shape=(*ksize, cg, filters),
        geom=(tuple(strides), tuple(dilation), tuple(pad), tuple(out_sp)),
        groups=groups,
    )


@SETTINGS
@given(geometries())
def test_im2col_and_col2im_match_references(g):
    x = randn(*g["x_shape"], dtype="float32")
    strides, dilation, pad, out_shape = g["geom"]
    ksize = g["kernel_shape"][:3]
    args = (ksize, strides, dilation, pad, out_shape, g["groups"])
    ref = kc.im2col_ref(x, *args)
    cols = np.full(ref.shape, np.nan, dtype="float32")
    kc.im2col(x, 0, *args, cols)
    np.testing.assert_array_equal(cols, ref)
    rows = int(np.prod(out_shape))  # a chunk of images starting at image 1
    if x.shape[0] > 1:
        part = np.full((rows, ref.shape[1]), np.nan, dtype="float32")
        kc.im2col(x, 1, *args, part)
        np.testing.assert_array_equal(part, ref[rows : 2 * rows])
    dcols = randn(*cols.shape, seed=1, dtype="float32")
    dx = np.zeros_like(x)
    kc.col2im(dcols, 0, *args, dx)
    np.testing.assert_allclose(dx, kc.col2im_ref(dcols, x.shape, *args), rtol=1e-5, atol=1e-5)


@SETTINGS
@given(geometries())
def test_conv_forward_and_gradients_match_references(g):
    x = randn(*g["x_shape"], dtype="float32")
    w = randn(*g["kernel_shape"], seed=1, dtype="float32")
    strides, dilation, pad, out_shape = g["geom"]
    geom = (strides, dilation, pad)
    out = kc.conv(x, w, *geom, out_shape, g["groups"])
    ref = kc.conv_ref(x, w, *geom, out_shape, g["groups"])
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)
    dout = randn(*out.shape, seed=2, dtype="float32")
    dk = kc.conv_grad_kernel(x, dout, w.shape, *geom, g["groups"])
    dk_ref = kc.conv_grad_kernel_ref(x, dout, w.shape, *geom, g["groups"])
    np.testing.assert_allclose(dk, dk_ref, rtol=1e-4, atol=1e-4)
    dx = kc.conv_grad_input(dout, w, x.shape, *geom, g["groups"])
    dx_ref = kc.conv_grad_input_ref(dout, w, x.shape, *geom, g["groups"])
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-4, atol=1e-4)
    dx2, dk2 = kc.conv_grads(x, dout, w, *geom, g["groups"])  # both in one pass
    np.testing.assert_allclose(dx2, dx_ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dk2, dk_ref, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("chunk_bytes", [1, 2000, 1 << 20])
def test_both_gradients_in_one_pass_match_references(monkeypatch, chunk_bytes):
    # one image per chunk, a few, and the whole batch: the shared buffer is im2col rows first,
    # then dout @ kernel^T, in every chunk
    monkeypatch.setattr(kc, "CHUNK_BYTES", chunk_bytes)
    x, w = randn(5, 1, 7, 6, 3, dtype="float64"), randn(1, 3, 2, 3, 4, seed=1, dtype="float64")
    geom, out_shape = ((1, 2, 1), (1, 1, 2), (0, 1, 0)), (1, 4, 4)
    dout = randn(5, *out_shape, 4, seed=2, dtype="float64")
    dx, dk = kc.conv_grads(x, dout, w, *geom)
    np.testing.assert_allclose(dx, kc.conv_grad_input_ref(dout, w, x.shape, *geom), rtol=1e-12)
    np.testing.assert_allclose(dk, kc.conv_grad_kernel_ref(x, dout, w.shape, *geom), rtol=1e-12)
    _, cols = kc.conv(x, w, *geom, out_shape, keep_cols=True)  # kept rows: the two-call path
    dx_kept, dk_kept = kc.conv_grads(x, dout, w, *geom, cols=cols)
    np.testing.assert_allclose(dx_kept, dx, rtol=1e-12)
    np.testing.assert_allclose(dk_kept, dk, rtol=1e-12)
    with pytest.raises(ValueError, match="conv_grads"):
        kc.conv_grads(x, dout[:, :, :3], w[..., :3], *geom)


def test_chunked_batches_match_references(monkeypatch):
    # a tiny chunk budget forces one image per GEMM: chunk edges must not drop or repeat rows
    monkeypatch.setattr(kc, "CHUNK_BYTES", 1)
    x, w = randn(5, 2, 6, 5, 4, dtype="float32"), randn(2, 3, 2, 2, 6, dtype="float32")
    geom, out_shape = ((1, 2, 1), (1, 1, 2), (1, 1, 0)), (3, 3, 3)
    out = kc.conv(x, w, *geom, out_shape, 2)
    np.testing.assert_allclose(out, kc.conv_ref(x, w, *geom, out_shape, 2), rtol=1e-4, atol=1e-4)
    dk = kc.conv_grad_kernel(x, out, w.shape, *geom, 2)
    dk_ref = kc.conv_grad_kernel_ref(x, out, w.shape, *geom, 2)
    np.testing.assert_allclose(dk, dk_ref, rtol=1e-4, atol=1e-3)
    dx = kc.conv_grad_input(out, w, x.shape, *geom, 2)
    dx_ref = kc.conv_grad_input_ref(out, w, x.shape, *geom, 2)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("keep", [True, False])
def test_narrow_gemms_in_row_blocks_match_references(keep, monkeypatch):
    # a small block budget makes the 3x3x3 -> 4 products run in blocks of 512 rows with a
    # shorter last block (the forward, and the kernel gradient from kept or rebuilt rows)
    monkeypatch.setattr(kc, "SMALL_GEMM_MACS", 512 * 27 * 4 + 5)
    x, w = randn(3, 1, 20, 21, 3, dtype="float32"), randn(1, 3, 3, 3, 4, dtype="float32")
    geom, out_shape = ((1, 1, 1), (1, 1, 1), (0, 0, 0)), (1, 18, 19)  # 3 x 342 rows
    assert kc._block_rows(27, 4) == 512
    out, cols = kc.conv(x, w, *geom, out_shape, 1, keep_cols=True)
    if not keep:  # the kernel gradient rebuilds the rows
        cols = None
    np.testing.assert_allclose(out, kc.conv_ref(x, w, *geom, out_shape, 1), rtol=1e-4, atol=1e-4)
    dout = randn(*out.shape, seed=2, dtype="float32")
    dk = kc.conv_grad_kernel(x, dout, w.shape, *geom, 1, cols=cols)
    dk_ref = kc.conv_grad_kernel_ref(x, dout, w.shape, *geom, 1)
    np.testing.assert_allclose(dk, dk_ref, rtol=1e-4, atol=1e-3)
    a, b = randn(1100, 27, dtype="float32"), randn(27, 4, seed=1, dtype="float32")
    np.testing.assert_allclose(
        kc._matmul_rows(a, b, np.empty((1100, 4), "float32")), a @ b, rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(kc._tmatmul_rows(a, a[:, :4]), a.T @ a[:, :4], rtol=1e-4, atol=1e-4)
    assert kc._block_rows(144, 32) == 0  # wide products: one call


@pytest.mark.parametrize(
    "x_shape,ksize,geom",
    [  # window rows of >= 16 values (contiguous copies) and of fewer (strided copies)
        ((2, 1, 9, 11, 8), (1, 3, 3), ((1, 1, 1), (1, 1, 1), (0, 1, 1), (1, 9, 11))),
        ((2, 1, 9, 11, 8), (1, 3, 3), ((1, 2, 2), (1, 1, 1), (0, 1, 0), (1, 5, 5))),
        ((1, 2, 7, 8, 6), (2, 3, 3), ((1, 1, 3), (2, 1, 1), (1, 2, 2), (1, 7, 3))),
        ((2, 1, 8, 9, 3), (1, 3, 3), ((1, 2, 2), (1, 1, 1), (0, 1, 1), (1, 4, 5))),
        ((2, 1, 6, 7, 1), (1, 3, 2), ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 4, 6))),
    ],
)
def test_im2col_interior_paths_match_references(x_shape, ksize, geom):
    x = randn(*x_shape, dtype="float32")
    args = (ksize, *geom, 1)
    ref = kc.im2col_ref(x, *args)
    cols = np.full(ref.shape, np.nan, dtype="float32")
    kc.im2col(x, 0, *args, cols)
    np.testing.assert_array_equal(cols, ref)
    dcols = randn(*cols.shape, seed=1, dtype="float32")
    dx = np.zeros_like(x)
    kc.col2im(dcols, 0, *args, dx)
    np.testing.assert_allclose(dx, kc.col2im_ref(dcols, x.shape, *args), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("groups", [1, 2])
def test_kept_cols_give_the_reference_kernel_gradient(groups, monkeypatch):
    # rows of 3 * 3 * 2 = 18 values: narrow enough to keep (KEEP_MAX_WIDTH)
    x, w = randn(3, 1, 7, 6, 2, dtype="float32"), randn(1, 3, 3, 2 // groups, 4, dtype="float32")
    geom, out_shape = ((1, 1, 2), (1, 1, 1), (0, 1, 1)), (1, 7, 3)
    monkeypatch.setattr(kc.threads, "num_threads", lambda: 1)  # rows are kept on one thread only
    out, cols = kc.conv(x, w, *geom, out_shape, groups, keep_cols=True)
    np.testing.assert_allclose(
        out, kc.conv_ref(x, w, *geom, out_shape, groups), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_array_equal(cols, kc.im2col_ref(x, w.shape[:3], *geom, out_shape, groups))
    dout = randn(*out.shape, seed=2, dtype="float32")
    dk = kc.conv_grad_kernel(x, dout, w.shape, *geom, groups, cols=cols)
    dk_ref = kc.conv_grad_kernel_ref(x, dout, w.shape, *geom, groups)
    np.testing.assert_allclose(dk, dk_ref, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="cols"):
        kc.conv_grad_kernel(x, dout, w.shape, *geom, groups, cols=cols[1:])
    monkeypatch.setattr(kc, "KEEP_BYTES", 0)  # too large to keep: chunked, no cols
    out2, none = kc.conv(x, w, *geom, out_shape, groups, keep_cols=True)
    assert none is None
    np.testing.assert_array_equal(out2, out)
    monkeypatch.setattr(kc, "KEEP_BYTES", 30 << 20)
    monkeypatch.setattr(kc, "KEEP_MAX_WIDTH", 17)  # rows too wide to keep
    assert kc.conv(x, w, *geom, out_shape, groups, keep_cols=True)[1] is None


def test_pointwise_conv_keeps_no_cols():
    x, w = randn(2, 1, 3, 4, 5, dtype="float32"), randn(1, 1, 1, 5, 6, dtype="float32")
    out, cols = kc.conv(x, w, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 4), keep_cols=True)
    assert cols is None
    np.testing.assert_allclose(out, x @ w[0, 0, 0], rtol=1e-5)


def test_references_agree_with_a_direct_loop():
    # guards the references themselves: one output cell computed by hand-written loops
    x, w = randn(1, 3, 5, 4, 4), randn(2, 2, 2, 2, 4, seed=1)  # groups = 2
    strides, dilation, pad, out_shape = (1, 2, 1), (2, 1, 2), (1, 0, 1), (2, 2, 2)
    out = kc.conv_ref(x, w, strides, dilation, pad, out_shape, 2)
    z, y, t, f = 1, 1, 0, 3  # filter 3 is in group 1: input channels 2, 3
    expected = 0.0
    for a in range(2):
        for e in range(2):
            for l in range(2):
                i, j, q = z - 1 + 2 * a, y * 2 + e, t - 1 + 2 * l
                if 0 <= i < 3 and 0 <= j < 5 and 0 <= q < 4:
                    expected += x[0, i, j, q, 2:4] @ w[a, e, l, :, f]
    np.testing.assert_allclose(out[0, z, y, t, f], expected)


def test_float64_stays_float64_and_matches():
    x, w = randn(2, 1, 6, 5, 3), randn(1, 3, 2, 3, 4, seed=1)
    geom = ((1, 2, 1), (1, 1, 2), (0, 1, 1), (1, 3, 3))
    out = kc.conv(x, w, *geom)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, kc.conv_ref(x, w, *geom), rtol=1e-12)


def test_pointwise_conv_is_a_plain_gemm():
    x, w = randn(2, 1, 3, 4, 5, dtype="float32"), randn(1, 1, 1, 5, 6, dtype="float32")
    geom = ((1, 1, 1), (1, 1, 1), (0, 0, 0))
    out = kc.conv(x, w, *geom, (1, 3, 4))
    np.testing.assert_allclose(out, x @ w[0, 0, 0], rtol=1e-5)
    dx = kc.conv_grad_input(out, w, x.shape, *geom)
    np.testing.assert_allclose(dx, out @ w[0, 0, 0].T, rtol=1e-5)
    dk = kc.conv_grad_kernel(x, out, w.shape, *geom)
    np.testing.assert_allclose(dk[0, 0, 0], np.einsum("bzytc,bzytf->cf", x, out), rtol=1e-5)


def test_wrappers_reject_inconsistent_arguments():
    x, w = randn(1, 1, 4, 4, 3, dtype="float32"), randn(1, 2, 2, 2, 4, dtype="float32")
    with pytest.raises(ValueError, match="channels"):
        kc.conv(x, w, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3))
    with pytest.raises(TypeError, match="float"):
        kc.conv(x, randn(1, 2, 2, 3, 4), (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3))
    args = ((1, 2, 2), (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 3, 3), 1)
    with pytest.raises(ValueError, match="col2im"):
        kc.col2im(np.zeros((5, 12), "float32"), 0, *args, np.zeros((1, 1, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match="im2col"):  # image 1 of a batch of 1
        kc.im2col(x, 1, *args, np.zeros((9, 12), "float32"))


def test_transposed_convolution_of_an_empty_image_is_zeros():
    # an input with an empty spatial axis: the output has the transposed size, all zeros (the
    # kernel's col2im divided by the zero row count before)
    x = np.zeros((1, 0, 2, 2), np.float32)
    w = np.ones((3, 3, 2, 2), np.float32)
    out = keras.ops.conv_transpose(x, w, strides=1, padding="valid").numpy()
    assert out.shape == (1, 2, 4, 2) and not out.any()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize(
    "x_shape, w_shape, groups",
    [((5, 1, 9, 8, 1), (1, 3, 3, 1, 4), 1), ((3, 2, 6, 5, 4), (2, 3, 2, 2, 6), 2)],
)
def test_conv_epilogue_adds_bias_and_relu_per_block(
    monkeypatch, threads, relu, x_shape, w_shape, groups
):
    """`conv(epilogue=(bias, relu))` is `bias_act(conv(...))`: the same numbers, in chunks of
    one image and on threads too."""
    from minikeras.kernels import bias_act

    monkeypatch.setattr(kc, "CHUNK_BYTES", 1)
    monkeypatch.setattr(kc, "PARALLEL_MIN", 1)
    monkeypatch.setattr(kc.threads, "num_threads", lambda: threads)
    x, w = randn(*x_shape, dtype="float32"), randn(*w_shape, dtype="float32")
    bias = randn(w_shape[-1], seed=3, dtype="float32")
    geom = ((1, 1, 1), (1, 1, 1), (0, 1, 0))
    out_shape = tuple(n + 2 * p - k + 1 for n, p, k in zip(x_shape[1:4], geom[2], w_shape[:3]))
    got = kc.conv(x, w, *geom, out_shape, groups, epilogue=(bias, relu))
    plain = kc.conv(x, w, *geom, out_shape, groups)
    want = bias_act.bias_act_ref(plain.reshape(-1, w_shape[-1]), bias, relu).reshape(plain.shape)
    np.testing.assert_array_equal(got, want)
    ref = bias_act.bias_act_ref(kc.conv_ref(x, w, *geom, out_shape, groups), bias, relu)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_pointwise_conv_epilogue():
    from minikeras.kernels import bias_act

    x, w = randn(2, 1, 3, 4, 5, dtype="float32"), randn(1, 1, 1, 5, 6, dtype="float32")
    bias = randn(6, seed=2, dtype="float32")
    geom = ((1, 1, 1), (1, 1, 1), (0, 0, 0))
    got = kc.conv(x, w, *geom, (1, 3, 4), epilogue=(bias, True))
    want = bias_act.bias_act_ref(kc.conv(x, w, *geom, (1, 3, 4)), bias, True)
    np.testing.assert_array_equal(got, want)


def test_conv_reference_takes_the_epilogue():
    """The cold-cache placeholder runs call `conv_ref` with the kernel's arguments."""
    from minikeras.kernels import bias_act

    x, w = randn(2, 1, 5, 4, 3, dtype="float32"), randn(1, 2, 2, 3, 4, dtype="float32")
    bias, geom = randn(4, seed=5, dtype="float32"), ((1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 4, 3))
    got = kc.conv_ref(x, w, *geom, 1, epilogue=(bias, True))
    np.testing.assert_array_equal(got, bias_act.bias_act_ref(kc.conv_ref(x, w, *geom), bias, True))
