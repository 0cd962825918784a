"""Convolution and pooling ops against direct numpy loops written here from Keras's rules."""

import itertools

import numpy as np
import pytest

import minikeras as keras
from helpers import check_grad, randn
from minikeras import ops


# -- independent references (channels-last, plain loops) ---------------------------------------


def same_pads(n, k_eff, s):
    """TensorFlow's "same": out = ceil(n / s), the smaller half of the padding first."""
    out = -(-n // s)
    total = max((out - 1) * s + k_eff - n, 0)
    return total // 2, total - total // 2


def pad_input(x, ksize, strides, dilation, padding):
    pads = []
    for n, k, s, d in zip(x.shape[1:-1], ksize, strides, dilation):
        k_eff = (k - 1) * d + 1
        rule = {"valid": (0, 0), "same": same_pads(n, k_eff, s), "causal": (k_eff - 1, 0)}
        pads.append(rule[padding])
    return np.pad(x, [(0, 0), *pads, (0, 0)]), pads


def conv_loop(x, w, strides=1, padding="valid", dilation=1):
    """Grouped convolution, one output cell and one kernel tap at a time."""
    r = x.ndim - 2
    s = (strides,) * r if isinstance(strides, int) else strides
    d = (dilation,) * r if isinstance(dilation, int) else dilation
    ksize, cg, f = w.shape[:r], w.shape[-2], w.shape[-1]
    groups = x.shape[-1] // cg
    xp, _ = pad_input(x, ksize, s, d, padding)
    out_sp = [(n - (k - 1) * dd - 1) // ss + 1 for n, k, ss, dd in zip(xp.shape[1:-1], ksize, s, d)]
    out = np.zeros((x.shape[0], *out_sp, f))
    fg = f // groups
    for o in itertools.product(*map(range, out_sp)):
        for tap in itertools.product(*map(range, ksize)):
            pos = tuple(oi * si + ti * di for oi, si, ti, di in zip(o, s, tap, d))
            for g in range(groups):
                patch = xp[(slice(None), *pos, slice(g * cg, (g + 1) * cg))]  # (batch, cg)
                taps = w[tap][:, g * fg : (g + 1) * fg]  # (cg, fg)
                out[(slice(None), *o, slice(g * fg, (g + 1) * fg))] += patch @ taps
    return out


def depthwise_loop(x, w, strides=1, padding="valid", dilation=1):
    """Output channel c * dm + m = channel c correlated with w[..., c, m]."""
    c, dm = w.shape[-2:]
    out = []
    for ch in range(c):
        one = conv_loop(x[..., ch : ch + 1], w[..., ch : ch + 1, :], strides, padding, dilation)
        out.append(one)
    return np.concatenate(out, axis=-1)  # channel-major: (c0 m0, c0 m1, c1 m0, ...)


def conv_transpose_loop(x, w, strides, padding, output_padding=None, dilation=1):
    """Scatter every input cell through the kernel, then cut the window TF's shape rule gives."""
    r = x.ndim - 2
    s = (strides,) * r if isinstance(strides, int) else strides
    d = (dilation,) * r if isinstance(dilation, int) else dilation
    op = (output_padding,) * r if isinstance(output_padding, int) else output_padding
    ksize = w.shape[:r]
    k_eff = [(k - 1) * dd + 1 for k, dd in zip(ksize, d)]
    full_sp = [(n - 1) * ss + ke for n, ss, ke in zip(x.shape[1:-1], s, k_eff)]
    lengths, starts = [], []
    for i, (n, ss, ke) in enumerate(zip(x.shape[1:-1], s, k_eff)):
        # keras deconv_output_length, then TF's forward-"same" padding places the window
        p = None if op is None else op[i]
        if p is None:
            length = n * ss + max(ke - ss, 0) if padding == "valid" else n * ss
        else:
            length = (n - 1) * ss + ke - (2 * (ke // 2) if padding == "same" else 0) + p
        start = 0 if padding == "valid" else max((n - 1) * ss + ke - length, 0) // 2
        lengths.append(length), starts.append(start)
    big = [max(fs, st + ln) for fs, st, ln in zip(full_sp, starts, lengths)]
    full = np.zeros((x.shape[0], *big, w.shape[-2]))
    for i in itertools.product(*map(range, x.shape[1:-1])):
        for tap in itertools.product(*map(range, ksize)):
            pos = tuple(ii * ss + t * dd for ii, ss, t, dd in zip(i, s, tap, d))
            full[(slice(None), *pos)] += x[(slice(None), *i)] @ w[tap].T
    window = tuple(slice(st, st + ln) for st, ln in zip(starts, lengths))
    return full[(slice(None), *window)]


def pool_loop(x, pool, strides, padding, kind):
    r = x.ndim - 2
    k = (pool,) * r if isinstance(pool, int) else pool
    s = k if strides is None else ((strides,) * r if isinstance(strides, int) else strides)
    pads = [(0, 0)] * r  # "same" pads with cells that never win the max or count in the mean
    if padding == "same":
        pads = [same_pads(n, kk, ss) for n, kk, ss in zip(x.shape[1:-1], k, s)]
    fill = -np.inf if kind == "max" else np.nan
    xp = np.pad(x.astype(float), [(0, 0), *pads, (0, 0)], constant_values=fill)
    out_sp = [(n - kk) // ss + 1 for n, kk, ss in zip(xp.shape[1:-1], k, s)]
    out = np.zeros((x.shape[0], *out_sp, x.shape[-1]))
    for o in itertools.product(*map(range, out_sp)):
        win = xp[(slice(None), *[slice(oi * ss, oi * ss + kk) for oi, ss, kk in zip(o, s, k)])]
        win = win.reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None), *o)] = win.max(axis=1) if kind == "max" else np.nanmean(win, axis=1)
    return out


# -- forward values ----------------------------------------------------------------------------

CONV_CASES = [
    # input shape, kernel shape, strides, padding, dilation
    ((2, 9, 3), (3, 3, 4), 1, "valid", 1),
    ((2, 9, 3), (3, 3, 4), 2, "same", 1),
    ((1, 10, 2), (3, 2, 3), 1, "causal", 2),
    ((1, 10, 2), (2, 2, 3), 3, "causal", 1),
    ((2, 7, 6, 3), (3, 2, 3, 5), 1, "valid", 1),
    ((2, 7, 6, 3), (3, 3, 3, 4), 2, "same", 1),
    ((1, 8, 9, 2), (3, 3, 2, 2), (2, 3), "same", 1),
    ((1, 9, 9, 2), (3, 2, 2, 3), 1, "same", (2, 3)),
    ((1, 6, 5, 2), (2, 2, 2, 2), 4, "valid", 1),  # stride > kernel
    ((1, 7, 7, 6), (3, 3, 2, 9), 1, "same", 1),  # groups = 3
    ((1, 1, 1, 4), (1, 1, 4, 2), 1, "valid", 1),  # size-1 everything
    ((1, 5, 4, 6, 2), (2, 3, 2, 2, 3), 1, "valid", 1),
    ((1, 5, 4, 6, 2), (3, 2, 2, 2, 3), (2, 1, 2), "same", (1, 2, 1)),
    ((1, 4, 4, 4, 4), (2, 2, 2, 2, 4), 1, "same", 1),  # 3-D groups = 2
]


@pytest.mark.parametrize("xs,ws,strides,padding,dilation", CONV_CASES)
def test_conv_matches_direct_loop(xs, ws, strides, padding, dilation):
    x, w = randn(*xs, dtype="float32"), randn(*ws, seed=1, dtype="float32")
    out = ops.conv(x, w, strides=strides, padding=padding, dilation_rate=dilation)
    assert out.dtype == np.float32
    expected = conv_loop(x, w, strides, padding, dilation)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-4)


def test_conv_channels_first_is_the_transposed_channels_last():
    x, w = randn(2, 7, 6, 3), randn(3, 2, 3, 4, seed=1)
    last = ops.conv(x, w, 2, "same").numpy()
    first = ops.conv(np.moveaxis(x, -1, 1), w, 2, "same", data_format="channels_first").numpy()
    np.testing.assert_allclose(first, np.moveaxis(last, -1, 1), rtol=1e-12)


@pytest.mark.parametrize(
    "xs,dm,strides,padding,dilation",
    [
        ((2, 8, 3), 2, 1, "valid", 1),
        ((1, 7, 6, 3), 2, 2, "same", 1),
        ((1, 7, 7, 2), 1, 1, "same", 2),
        ((1, 4, 5, 4, 2), 3, (1, 2, 1), "valid", 1),
    ],
)
def test_depthwise_conv_matches_direct_loop(xs, dm, strides, padding, dilation):
    x = randn(*xs)
    w = randn(*(2,) * (len(xs) - 2), xs[-1], dm, seed=1)
    out = ops.depthwise_conv(x, w, strides, padding, dilation_rate=dilation)
    expected = depthwise_loop(x, w, strides, padding, dilation)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10)


def test_separable_conv_is_depthwise_then_pointwise():
    x, dw, pw = randn(2, 7, 6, 3), randn(3, 3, 3, 2, seed=1), randn(1, 1, 6, 4, seed=2)
    out = ops.separable_conv(x, dw, pw, strides=2, padding="same")
    expected = conv_loop(depthwise_loop(x, dw, 2, "same"), pw)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10)


TRANSPOSE_CASES = [
    # input shape, kernel shape (spatial, out, in), strides, padding, output_padding, dilation
    ((2, 5, 3), (3, 2, 3), 1, "valid", None, 1),
    ((2, 5, 3), (3, 2, 3), 2, "same", None, 1),
    ((1, 4, 2), (2, 3, 2), 3, "valid", None, 1),  # stride > kernel: output n * s
    ((1, 4, 2), (3, 2, 2), 2, "same", 1, 1),
    ((1, 4, 2), (4, 2, 2), 2, "valid", 1, 1),
    ((1, 4, 2), (3, 2, 2), 1, "same", None, 2),
    ((1, 3, 4, 2), (3, 3, 3, 2), 2, "same", None, 1),
    ((1, 3, 4, 2), (2, 3, 3, 2), (2, 1), "valid", None, 1),
    ((1, 3, 4, 2), (4, 3, 2, 2), 2, "same", (0, 1), 1),
    ((1, 2, 3, 2, 2), (2, 2, 3, 3, 2), (1, 2, 2), "same", None, 1),
]


@pytest.mark.parametrize("xs,ws,strides,padding,output_padding,dilation", TRANSPOSE_CASES)
def test_conv_transpose_matches_scatter_loop(xs, ws, strides, padding, output_padding, dilation):
    x, w = randn(*xs), randn(*ws, seed=1)
    out = ops.conv_transpose(x, w, strides, padding, output_padding, dilation_rate=dilation)
    expected = conv_transpose_loop(x, w, strides, padding, output_padding, dilation)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10, atol=1e-12)


def test_conv_transpose_output_lengths_follow_keras():
    x, w = np.ones((1, 5, 1), "float32"), np.ones((3, 1, 1), "float32")
    assert ops.conv_transpose(x, w, 2).shape == (1, 11, 1)  # (n - 1) * s + k
    assert ops.conv_transpose(x, w, 4).shape == (1, 20, 1)  # (n - 1) * s + max(k, s)
    assert ops.conv_transpose(x, w, 2, "same").shape == (1, 10, 1)  # n * s
    assert ops.conv_transpose(x, w, 2, "valid", output_padding=1).shape == (1, 12, 1)
    assert ops.conv_transpose(x, w, 2, "same", output_padding=1).shape == (1, 10, 1)


POOL_CASES = [
    ((2, 9, 3), 2, None, "valid"),
    ((2, 9, 3), 3, 2, "same"),
    ((1, 7, 6, 2), 2, None, "valid"),
    ((1, 7, 6, 2), (3, 2), (2, 1), "same"),
    ((1, 5, 5, 1), 2, 3, "same"),  # stride > pool
    ((1, 4, 5, 3, 2), 2, None, "same"),
    ((1, 4, 5, 3, 2), (2, 3, 1), (1, 2, 1), "valid"),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("xs,pool,strides,padding", POOL_CASES)
def test_pools_match_direct_loop(kind, xs, pool, strides, padding):
    x = randn(*xs, dtype="float32")
    fn = ops.max_pool if kind == "max" else ops.average_pool
    out = fn(x, pool, strides, padding)
    assert out.dtype == np.float32
    expected = pool_loop(x, pool, strides, padding, kind)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_average_pool_same_divides_by_real_cells():
    x = np.array([[[1.0], [2.0], [3.0], [4.0], [5.0]]])  # window 3, stride 2, one pad each side
    out = ops.average_pool(x, 3, 2, "same").numpy().ravel()
    np.testing.assert_allclose(out, [1.5, 3.0, 4.5])  # (1+2)/2, (2+3+4)/3, (4+5)/2


def test_pool_channels_first_and_dtypes():
    x = randn(2, 3, 6, 5)  # channels first
    out = ops.max_pool(x, 2, data_format="channels_first")
    assert out.shape == (2, 3, 3, 2) and out.dtype == np.float64
    expected = np.moveaxis(pool_loop(np.moveaxis(x, 1, -1), 2, None, "valid", "max"), -1, 1)
    np.testing.assert_allclose(out.numpy(), expected)
    assert ops.average_pool(np.ones((1, 4, 4, 1), "int32"), 2).dtype == np.float32


def test_int_and_mixed_inputs_compute_in_float():
    x = np.arange(2 * 5 * 2).reshape(2, 5, 2)
    out = ops.conv(x, np.ones((2, 2, 3), "float32"))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), conv_loop(x.astype(float), np.ones((2, 2, 3))))
    assert ops.conv(x.astype("float32"), np.ones((2, 2, 3))).dtype == np.float64


# -- gradients (float64 central differences) ----------------------------------------------------

GRAD_CONV = [
    ((2, 6, 2), (3, 2, 3), 1, "valid", 1),
    ((1, 7, 2), (2, 2, 2), 2, "causal", 2),
    ((1, 5, 4, 2), (3, 2, 2, 3), 2, "same", 1),
    ((1, 6, 5, 2), (2, 2, 2, 2), 1, "same", 2),
    ((1, 5, 5, 4), (2, 2, 2, 4), (2, 1), "valid", 1),  # groups = 2
    ((1, 3, 4, 3, 1), (2, 2, 2, 1, 2), (1, 2, 1), "same", 1),
]


@pytest.mark.parametrize("xs,ws,strides,padding,dilation", GRAD_CONV)
def test_conv_gradients(xs, ws, strides, padding, dilation):
    check_grad(lambda x, w: ops.conv(x, w, strides, padding, dilation_rate=dilation), xs, ws)


def test_conv_gradient_channels_first():
    check_grad(lambda x, w: ops.conv(x, w, 2, "same", "channels_first"), (1, 2, 5, 4), (3, 3, 2, 2))


def test_depthwise_and_separable_gradients():
    check_grad(lambda x, w: ops.depthwise_conv(x, w, 2, "same"), (1, 5, 4, 2), (3, 3, 2, 2))
    check_grad(
        lambda x, w: ops.depthwise_conv(x, w, 1, "valid", dilation_rate=2), (1, 7, 2), (2, 2, 3)
    )
    check_grad(
        lambda x, a, b: ops.separable_conv(x, a, b, 1, "same"),
        (1, 4, 4, 2),
        (2, 2, 2, 2),
        (1, 1, 4, 3),
    )


@pytest.mark.parametrize(
    "xs,ws,strides,padding,output_padding,dilation",
    [
        ((1, 3, 2), (3, 2, 2), 2, "valid", None, 1),
        ((1, 3, 2), (3, 2, 2), 2, "same", 1, 1),
        ((1, 3, 3, 2), (3, 2, 3, 2), 2, "same", None, 1),
        ((1, 4, 1), (2, 2, 1), 1, "same", None, 2),
    ],
)
def test_conv_transpose_gradients(xs, ws, strides, padding, output_padding, dilation):
    def fn(x, w):
        return ops.conv_transpose(x, w, strides, padding, output_padding, dilation_rate=dilation)

    check_grad(fn, xs, ws)


@pytest.mark.parametrize("fn", [ops.max_pool, ops.average_pool])
@pytest.mark.parametrize(
    "xs,pool,strides,padding",
    [
        ((2, 7, 2), 3, 2, "same"),
        ((1, 5, 4, 2), 2, None, "valid"),
        ((1, 5, 5, 1), (2, 3), 2, "same"),
        ((1, 3, 4, 3, 1), 2, 1, "same"),
    ],
)
def test_pool_gradients(fn, xs, pool, strides, padding):
    check_grad(lambda x: fn(x, pool, strides, padding), xs)


def test_gradient_reaches_variables_through_tape():
    w = keras.Variable(randn(3, 3, 1, 2, dtype="float32"))
    x = randn(2, 5, 5, 1, dtype="float32")
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.max_pool(ops.conv(x, w, padding="same"), 2))
    (g,) = tape.gradient(loss, [w])
    assert g.shape == (3, 3, 1, 2) and g.dtype == np.float32 and np.abs(g).sum() > 0


@pytest.mark.parametrize("keep", [True, False])
def test_conv_kernel_gradient_with_and_without_kept_im2col(keep, monkeypatch):
    # 16 input channels: window rows of 48 values (the im2col fast copies); the forward's im2col
    # matrix is kept for the kernel gradient unless it is over the kernels' KEEP_BYTES
    from minikeras.kernels import conv as kconv

    if not keep:
        monkeypatch.setattr(kconv, "KEEP_BYTES", 0)
    x = randn(3, 9, 8, 16, dtype="float32")
    w = keras.Variable(randn(3, 3, 16, 5, seed=1, dtype="float32"))
    r = randn(3, 5, 4, 5, seed=2, dtype="float32")  # the loss is sum(conv * r), so dout = r
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.conv(x, w, 2, "same") * r)
    (g,) = tape.gradient(loss, [w])
    xp, _ = pad_input(x, (3, 3), (2, 2), (1, 1), "same")  # out 5x4
    expected = np.zeros((3, 3, 16, 5))
    for a, e in itertools.product(range(3), range(3)):
        patch = xp[:, a : a + 9 : 2, e : e + 7 : 2, :]  # (3, 5, 4, 16)
        expected[a, e] = np.einsum("byxc,byxf->cf", patch, r)
    np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-4)


# -- bad input ---------------------------------------------------------------------------------


def test_bad_inputs_raise_clear_errors():
    x = np.zeros((1, 4, 4, 2), "float32")
    shapes = r"conv.*larger than the padded input.*\(1, 4, 4, 2\).*\(5, 5, 2, 3\)"
    with pytest.raises(ValueError, match=shapes):
        ops.conv(x, np.zeros((5, 5, 2, 3), "float32"))
    with pytest.raises(ValueError, match="conv.*input channels"):
        ops.conv(x, np.zeros((3, 3, 3, 4), "float32"))
    with pytest.raises(ValueError, match="rank 3, 4 or 5"):
        ops.conv(np.zeros((4, 2)), np.zeros((3, 2, 1)))
    with pytest.raises(ValueError, match="kernel must have rank 4"):
        ops.conv(x, np.zeros((3, 2, 3)))
    with pytest.raises(ValueError, match="padding"):
        ops.conv(x, np.zeros((3, 3, 2, 3)), padding="causal")  # causal is 1-D only
    with pytest.raises(ValueError, match="strides"):
        ops.conv(x, np.zeros((3, 3, 2, 3)), strides=(1, 1, 1))
    with pytest.raises(ValueError, match="data_format"):
        ops.conv(x, np.zeros((3, 3, 2, 3)), data_format="NHWC")
    with pytest.raises(ValueError, match="depthwise_conv.*kernel.shape\\[-2\\]"):
        ops.depthwise_conv(x, np.zeros((3, 3, 3, 1)))
    with pytest.raises(ValueError, match="conv_transpose.*kernel.shape\\[-1\\]"):
        ops.conv_transpose(x, np.zeros((3, 3, 2, 3)), 2)
    with pytest.raises(ValueError, match="max_pool.*larger than the padded input"):
        ops.max_pool(x, 5)
    with pytest.raises(ValueError, match="pool_size"):
        ops.average_pool(x, 0)


def test_default_data_format_follows_config():
    from minikeras import config

    x = randn(1, 2, 5, 4)  # channels first
    config.set_image_data_format("channels_first")
    try:
        out = ops.average_pool(x, 2).numpy()
    finally:
        config.set_image_data_format("channels_last")
    np.testing.assert_allclose(out, ops.average_pool(x, 2, data_format="channels_first").numpy())
