"""Convolution and pooling ops with Keras 3's names, layouts and padding rules.

Every op moves its input to channels-last, views it as a 3-D volume `(batch, D, H, W, channels)`
(1-D and 2-D inputs get unit spatial axes in front) and calls the kernels in `kernels/conv.py`
and `kernels/pool.py`, which numba compiles on first use. "same" padding follows TensorFlow:
`out = ceil(n / s)`, total padding `max((out - 1) * s + (k - 1) * d + 1 - n, 0)`, the smaller
half before. Integer inputs compute in `floatx`, float16 in float32 (cast back at the end).
"""

import numpy as np

from ...kernels import load as load_kernels
from .. import autodiff, dtypes
from ..tensor import Tensor
from ._base import _CONST, unwrap

__all__ = ["conv", "depthwise_conv", "separable_conv", "conv_transpose"]

# -- arguments ---------------------------------------------------------------------------------


def _input(op, x, data_format):
    """The input as a channels-last array, its parent tensor and the data format."""
    a, t = unwrap(x, op)
    a = np.asarray(a)
    if a.ndim not in (3, 4, 5):
        raise ValueError(
            f"{op} expects inputs of rank 3, 4 or 5 (batch, spatial..., channels). "
            f"Received: inputs.shape={a.shape}"
        )
    if data_format is None:
        from ..image_format import image_data_format  # keras.config's, channels_last by default

        data_format = image_data_format()
    fmt = str(data_format).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    if fmt == "channels_first":
        a = np.moveaxis(a, 1, -1)
    return a, t, fmt


def _kernel(op, w, a, name="kernel"):
    k, t = unwrap(w, op)
    k = np.asarray(k)
    if k.ndim != a.ndim:
        raise ValueError(
            f"{op}: {name} must have rank {a.ndim} (spatial..., in, out) for inputs of rank "
            f"{a.ndim}. Received: inputs.shape={a.shape}, {name}.shape={k.shape}"
        )
    return k, t


def _ints(op, name, value, n, low=1):
    """An int or a sequence of n ints, each >= low, as a tuple."""
    if isinstance(value, (int, np.integer)):
        value = (int(value),) * n
    try:
        out = tuple(int(v) for v in value)
    except TypeError:
        out = ()
    if len(out) != n or any(v < low for v in out):
        raise ValueError(
            f"{op}: {name} must be an int or {n} ints, each >= {low}. Received: {name}={value!r}"
        )
    return out


def _dtypes(*arrays):
    """(compute, output) dtypes: floats promote, ints follow the floats (else floatx), and float16
    computes in float32."""
    floats = [a.dtype for a in arrays if dtypes.is_float(a.dtype)]  # bfloat16 has kind "V"
    if floats and all(f == floats[0] for f in floats):
        out = floats[0]  # (numpy cannot promote with bfloat16, even to itself)
    else:
        out = np.result_type(*floats) if floats else np.dtype(dtypes.floatx())
    return (np.dtype("float32") if out.itemsize < 4 else out), out


def _window(op, padding, a, k_shape, sizes, strides, dilation=None, causal=False):
    """Padding before each spatial axis and the output spatial shape for a padding name."""
    pad = str(padding).lower()
    if pad not in ("valid", "same") and not (pad == "causal" and causal):
        allowed = "'valid', 'same' or 'causal' (1-D only)" if causal else "'valid' or 'same'"
        raise ValueError(f"{op}: padding must be {allowed}. Received: padding={padding!r}")
    dilation = dilation or (1,) * len(sizes)
    before, out = [], []
    for n, k, s, d in zip(a.shape[1:-1], sizes, strides, dilation):
        k_eff = (k - 1) * d + 1
        if pad == "valid":
            o, b = (n - k_eff) // s + 1, 0
        elif pad == "same":
            o = -(-n // s)
            b = max((o - 1) * s + k_eff - n, 0) // 2
        else:  # causal: (k_eff - 1) zeros on the left only
            o, b = (n - 1) // s + 1, k_eff - 1
        if n < 1 or o < 1 or (pad == "valid" and n < k_eff):
            raise ValueError(
                f"{op}: the window (size {k_eff} with dilation) is larger than the padded input "
                f"(size {n}). Received: inputs.shape={a.shape}, kernel/pool shape={k_shape}, "
                f"padding={padding!r}"
            )
        before.append(b)
        out.append(o)
    return tuple(before), tuple(out)


def _strided_window(op, a, w_shape, strides, dilation_rate, padding, k_shape=None):
    """A convolution's per-axis strides and dilation (checked), the padding before each spatial
    axis and the output spatial shape for a kernel of shape `w_shape` (spatial..., in, out);
    1-D convolutions may be causal. `k_shape` is the kernel shape errors show (`w_shape`)."""
    r = a.ndim - 2
    s = _ints(op, "strides", strides, r)
    d = _ints(op, "dilation_rate", dilation_rate, r)
    k_shape = w_shape if k_shape is None else k_shape
    pad, out_sp = _window(op, padding, a, k_shape, w_shape[:r], s, d, causal=(r == 1))
    return s, d, pad, out_sp


def _three(t, fill):
    """A per-spatial-axis tuple extended in front to three axes."""
    return (fill,) * (3 - len(t)) + tuple(t)


def _volume(a, dtype):
    """(b, *spatial, c) -> contiguous (b, D, H, W, c) of `dtype`."""
    return np.ascontiguousarray(a, dtype=dtype).reshape(
        a.shape[0], *_three(a.shape[1:-1], 1), a.shape[-1]
    )


def _kernel_volume(w, dtype):
    """(*spatial, in, out) -> contiguous (KD, KH, KW, in, out) of `dtype`."""
    return np.ascontiguousarray(w, dtype=dtype).reshape(*_three(w.shape[:-2], 1), *w.shape[-2:])


def _output(v, shape, fmt, dtype):
    """A 5-D kernel result back to `shape` (channels-last), then to `fmt` and `dtype`."""
    out = v.reshape(shape)
    if fmt == "channels_first":
        out = np.ascontiguousarray(np.moveaxis(out, -1, 1))
    return out.astype(dtype, copy=False)


def _grad_volume(dout, shape, fmt, dtype):
    """An incoming gradient (in the op's data format) as a contiguous channels-last volume."""
    d = np.asarray(dout)
    if fmt == "channels_first":
        d = np.moveaxis(d, 1, -1)
    return _volume(d.reshape(shape), dtype)


def _grad_output(v, shape, fmt):
    out = v.reshape(shape)
    return np.moveaxis(out, -1, 1) if fmt == "channels_first" else out


def _volume_ops(t, shape5, fmt, dtype):
    """`_volume` with ops, for differentiable backwards: a Tensor in the op's data format (or an
    array) as the channels-last `shape5` volume of `dtype`."""
    from .conversion import cast
    from .shape import moveaxis, reshape

    if fmt == "channels_first":
        t = moveaxis(t, 1, -1)
    return cast(reshape(t, shape5), dtype)


def _grad_output_ops(v, shape, fmt):
    """`_grad_output` with ops."""
    from .shape import moveaxis, reshape

    out = reshape(v, shape)
    return moveaxis(out, -1, 1) if fmt == "channels_first" else out


# -- differentiable convolution primitives -----------------------------------------------------
# A convolution's gradients are a transposed convolution (input) and a correlation of the input
# with the output gradient (kernel). With these two as ops whose gradients are again among the
# three, gradients of gradients (WGAN-GP's penalty) differentiate to any order. They work on the
# 5-D channels-last volumes of `kernels/conv.py`; `geometry` is (strides, dilation, pad).


def _conv5(x, w, geometry, out_sp, groups):
    """conv of the volume `x` (b, D, H, W, c) with `w` (KD, KH, KW, c/groups, f) as an op."""
    kconv = load_kernels("conv")
    x, tx = unwrap(x, "conv")
    w, tw = unwrap(w, "conv")
    out = kconv.conv(x, w, *geometry, out_sp, groups)

    def backward(d):
        d = np.ascontiguousarray(d, dtype=out.dtype)
        dx = kconv.conv_grad_input(d, w, x.shape, *geometry, groups) if tx.requires_grad else None
        dw = None
        if tw.requires_grad:
            dw = kconv.conv_grad_kernel(x, d, w.shape, *geometry, groups)
        return dx, dw

    def backward_ops(d, out):
        dx = dw = None
        if autodiff.wanted(tx):
            dx = _conv5_grad_input(d, _operand(w, tw), x.shape, geometry, groups)
        if autodiff.wanted(tw):
            dw = _conv5_grad_kernel(_operand(x, tx), d, w.shape, geometry, groups)
        return dx, dw

    return Tensor.from_op(out, (tx, tw), backward, "conv", backward_ops)


def _conv5_grad_input(d, w, in_shape, geometry, groups):
    """The input gradient of `_conv5` for the output gradient `d` (a transposed convolution)."""
    kconv = load_kernels("conv")
    d, td = unwrap(d, "conv_grad_input")
    w, tw = unwrap(w, "conv_grad_input")
    out = kconv.conv_grad_input(
        np.ascontiguousarray(d, dtype=w.dtype), w, in_shape, *geometry, groups
    )
    out_sp = d.shape[1:4]

    def backward(g):  # <grad_input(d, w), g> = <d, conv(g, w)>, whose w-gradient is grad_kernel
        g = np.ascontiguousarray(g, dtype=out.dtype)
        dd = kconv.conv(g, w, *geometry, out_sp, groups) if td.requires_grad else None
        dw = kconv.conv_grad_kernel(g, d, w.shape, *geometry, groups) if tw.requires_grad else None
        return dd, dw

    def backward_ops(g, out):
        dd = _conv5(g, _operand(w, tw), geometry, out_sp, groups) if autodiff.wanted(td) else None
        dw = None
        if autodiff.wanted(tw):
            dw = _conv5_grad_kernel(g, _operand(d, td), w.shape, geometry, groups)
        return dd, dw

    return Tensor.from_op(out, (td, tw), backward, "conv_grad_input", backward_ops)


def _conv5_grad_kernel(x, d, w_shape, geometry, groups):
    """The kernel gradient of `_conv5` for the input `x` and output gradient `d`."""
    kconv = load_kernels("conv")
    x, tx = unwrap(x, "conv_grad_kernel")
    d, td = unwrap(d, "conv_grad_kernel")
    out = kconv.conv_grad_kernel(
        x, np.ascontiguousarray(d, dtype=x.dtype), w_shape, *geometry, groups
    )
    out_sp = d.shape[1:4]

    def backward(g):  # <grad_kernel(x, d), g> = <conv(x, g), d>
        g = np.ascontiguousarray(g, dtype=out.dtype)
        dx = kconv.conv_grad_input(d, g, x.shape, *geometry, groups) if tx.requires_grad else None
        dd = kconv.conv(x, g, *geometry, out_sp, groups) if td.requires_grad else None
        return dx, dd

    def backward_ops(g, out):
        dx = dd = None
        if autodiff.wanted(tx):
            dx = _conv5_grad_input(_operand(d, td), g, x.shape, geometry, groups)
        if autodiff.wanted(td):
            dd = _conv5(_operand(x, tx), g, geometry, out_sp, groups)
        return dx, dd

    return Tensor.from_op(out, (tx, td), backward, "conv_grad_kernel", backward_ops)


def _operand(value, tensor):
    return value if tensor is _CONST else tensor


# -- convolutions ------------------------------------------------------------------------------


def _conv(
    op, a, ta, w, tw, fmt, strides, padding, dilation_rate, groups, kernel_shape, epilogue=None,
    pool=False,
):  # fmt: skip
    """Grouped N-d convolution of channels-last `a` with `w` (spatial..., in/groups, out);
    `epilogue=(bias, relu)` (inference only) goes to the kernel, and with it `pool` (2-D,
    channels-last, outputs of 2x2 or more) 2x2 max pooling."""
    kconv = load_kernels("conv")
    geo = (strides, dilation_rate, padding)
    s, d, pad, out_sp = _strided_window(op, a, w.shape, *geo, k_shape=kernel_shape)
    ct, out_dt = _dtypes(a, w)
    x5, w5 = _volume(a, ct), _kernel_volume(w, ct)
    geometry = (_three(s, 1), _three(d, 1), _three(pad, 0))
    cols = None  # the forward's im2col matrix, kept for the kernel gradient when small enough
    if tw.requires_grad and autodiff.grad_enabled():
        out5, cols = kconv.conv(x5, w5, *geometry, _three(out_sp, 1), groups, keep_cols=True)
    elif pool:
        out5 = kconv.conv(
            x5, w5, *geometry, _three(out_sp, 1), groups, epilogue=epilogue, pool=True
        )
        out_sp = tuple(n // 2 for n in out_sp)
    else:
        out5 = kconv.conv(x5, w5, *geometry, _three(out_sp, 1), groups, epilogue=epilogue)
    out_shape = (a.shape[0], *out_sp, w.shape[-1])

    def backward(dout):
        d5 = _grad_volume(dout, out_shape, fmt, ct)
        dx = dkernel = None
        if ta.requires_grad and tw.requires_grad:  # both in one pass over dout
            dx5, dkernel = kconv.conv_grads(x5, d5, w5, *geometry, groups, cols=cols)
            return _grad_output(dx5, a.shape, fmt), dkernel.reshape(kernel_shape)
        if ta.requires_grad:
            dx5 = kconv.conv_grad_input(d5, w5, x5.shape, *geometry, groups)
            dx = _grad_output(dx5, a.shape, fmt)
        if tw.requires_grad:
            dkernel = kconv.conv_grad_kernel(x5, d5, w5.shape, *geometry, groups, cols=cols)
            dkernel = dkernel.reshape(kernel_shape)
        return dx, dkernel

    def backward_ops(dout, out):  # the same with the differentiable primitives above
        d5 = _volume_ops(dout, (a.shape[0], *_three(out_sp, 1), w.shape[-1]), fmt, ct)
        dx = dkernel = None
        if autodiff.wanted(ta):
            w5t = _volume_ops(tw, w5.shape, "channels_last", ct) if tw is not _CONST else w5
            dx5 = _conv5_grad_input(d5, w5t, x5.shape, geometry, groups)
            dx = _grad_output_ops(dx5, a.shape, fmt)
        if autodiff.wanted(tw):
            x5t = _volume_ops(ta, x5.shape, fmt, ct) if ta is not _CONST else x5
            dkernel = _conv5_grad_kernel(x5t, d5, w5.shape, geometry, groups)
            dkernel = _grad_output_ops(dkernel, kernel_shape, "channels_last")
        return dx, dkernel

    out = _output(out5, out_shape, fmt, out_dt)
    return Tensor.from_op(out, (ta, tw), backward, op, backward_ops)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """General N-D convolution (1-D, 2-D or 3-D, from the input rank), as `keras.ops.conv`.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        kernel: `(spatial..., channels // groups, filters)`; grouped when the input has
            `groups` times the kernel's input channels.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: "valid", "same", or "causal" for 1-D (left padding only).
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()` ("channels_last" unless set).

    Returns:
        `(batch, out_spatial..., filters)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.conv(np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 4)), padding="same").shape
    (1, 5, 5, 4)
    """
    a, ta, fmt = _input("conv", inputs, data_format)
    w, tw = _kernel("conv", kernel, a)
    c, cg, f = a.shape[-1], w.shape[-2], w.shape[-1]
    if cg < 1 or c % cg or f % (c // cg):
        raise ValueError(
            "conv: the input channels must be a multiple (groups) of the kernel's input channels "
            f"and the filters divisible by groups. Received: inputs.shape={a.shape} "
            f"({fmt}), kernel.shape={w.shape}"
        )
    return _conv("conv", a, ta, w, tw, fmt, strides, padding, dilation_rate, c // cg, w.shape)


def conv_bias_relu(
    inputs, kernel, bias, relu, strides, padding, data_format, dilation_rate, pool=False
):
    """Inference-only `conv(inputs, kernel) + bias` (then ReLU when `relu`) of float arrays or
    tensors of one dtype (float32 or float64): the bias and ReLU are applied to each block of
    the output right after its GEMM (`kernels/conv.py`, `epilogue`). Records no gradient; the
    caller (`fused_bias_act.conv_bias_act`) checks that none is wanted.

    `pool=True` asks for a 2x2 max pooling (stride 2, "valid") of the result too; returns
    `(output, pooled)`, `pooled` False where it could not (not 2-D channels-last, or an output
    smaller than 2x2): the output is then the unpooled one."""
    a, _, fmt = _input("conv", inputs, data_format)
    w, _ = _kernel("conv", kernel, a)
    b = unwrap(bias, "conv")[0]
    c, cg, f = a.shape[-1], w.shape[-2], w.shape[-1]
    if cg < 1 or c % cg or f % (c // cg) or b.shape != (f,) or not a.dtype == w.dtype == b.dtype:
        raise ValueError(
            f"conv_bias_relu: inputs {a.shape} ({a.dtype}), kernel {w.shape} ({w.dtype}) and "
            f"bias {b.shape} ({b.dtype}) do not fit"
        )
    args = (fmt, strides, padding, dilation_rate, c // cg, w.shape)
    if pool:
        out_sp = _strided_window("conv", a, w.shape, strides, dilation_rate, padding)[3]
        pool = len(out_sp) == 2 and min(out_sp) >= 2
        y = _conv("conv", a, _CONST, w, _CONST, *args, epilogue=(b, bool(relu)), pool=pool)
        return y, pool
    return _conv("conv", a, _CONST, w, _CONST, *args, epilogue=(b, bool(relu)))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each channel with its own `depth_multiplier` filters.

    `kernel` is `(spatial..., channels, depth_multiplier)`; output channel `c * dm + m` is channel
    `c` convolved with `kernel[..., c, m]`.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        kernel: `(spatial..., channels, depth_multiplier)`.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        `(batch, out_spatial..., channels * depth_multiplier)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.depthwise_conv(np.ones((1, 4, 4, 3)), np.ones((2, 2, 3, 2))).shape
    (1, 3, 3, 6)
    """
    a, ta, fmt = _input("depthwise_conv", inputs, data_format)
    w, tw = _kernel("depthwise_conv", kernel, a)
    c = a.shape[-1]
    if w.shape[-2] != c:
        raise ValueError(
            f"depthwise_conv: kernel.shape[-2] must equal the input channels ({c}). "
            f"Received: inputs.shape={a.shape} ({fmt}), kernel.shape={w.shape}"
        )
    if a.ndim in (3, 4):  # 1-D and 2-D: the direct kernel in kernels/depthwise.py
        return _depthwise_direct(a, ta, w, tw, fmt, strides, padding, dilation_rate)
    grouped = w.reshape(*w.shape[:-2], 1, c * w.shape[-1])  # channel c*dm+m stays in group c
    return _conv(
        "depthwise_conv", a, ta, grouped, tw, fmt, strides, padding, dilation_rate, c, w.shape
    )


def _depthwise_direct(a, ta, w, tw, fmt, strides, padding, dilation_rate):
    """1-D or 2-D depthwise convolution of channels-last `a` with the direct numba kernels; 1-D
    inputs run as 2-D with a unit row axis. Padding is passed as (before, after) per axis."""
    kdw = load_kernels("depthwise")
    op = "depthwise_conv"
    r = a.ndim - 2
    s, d, pad, out_sp = _strided_window(op, a, w.shape, strides, dilation_rate, padding)
    pads = []
    for n, k, st, di, b, o in zip(a.shape[1:-1], w.shape[:r], s, d, pad, out_sp):
        pads += [b, max((o - 1) * st + (k - 1) * di + 1 - n - b, 0)]
    unit = (1,) * (2 - r)
    s, d, pads = unit + s, unit + d, tuple([0, 0] * (2 - r) + pads)
    ct, out_dt = _dtypes(a, w)
    in_hw = (*unit, *a.shape[1:-1])
    x4 = np.ascontiguousarray(a, dtype=ct).reshape(a.shape[0], *in_hw, a.shape[-1])
    w4 = np.ascontiguousarray(w, dtype=ct).reshape(*unit, *w.shape)
    out4 = kdw.depthwise_conv2d(x4, w4, s, d, pads)
    if out4.shape[1:3] != (*unit, *out_sp):  # the kernel and _window must agree on the size
        raise AssertionError(f"{op}: output {out4.shape} does not match {out_sp}")
    out_shape = (a.shape[0], *out_sp, out4.shape[-1])

    def backward(dout):
        g = np.asarray(dout)
        if fmt == "channels_first":
            g = np.moveaxis(g, 1, -1)
        g4 = np.ascontiguousarray(g.reshape(out_shape), dtype=ct).reshape(out4.shape)
        dx = dkernel = None
        if ta.requires_grad:
            dx4 = kdw.depthwise_conv2d_grad_input(g4, w4, in_hw, s, d, pads)
            dx = _grad_output(dx4, a.shape, fmt)
        if tw.requires_grad:
            dkernel = kdw.depthwise_conv2d_grad_kernel(
                x4, g4, w4.shape[:2], w4.shape[3], s, d, pads
            ).reshape(w.shape)
        return dx, dkernel

    return Tensor.from_op(_output(out4, out_shape, fmt, out_dt), (ta, tw), backward, op)


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """Depthwise convolution followed by a pointwise (1x1) `conv`, as Keras composes it.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        depthwise_kernel: `(spatial..., channels, depth_multiplier)`.
        pointwise_kernel: `(1, ..., 1, channels * depth_multiplier, filters)`.
        strides, dilation_rate: an int or one int per spatial axis (of the depthwise step).
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        `(batch, out_spatial..., filters)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.separable_conv(np.ones((1, 4, 4, 3)), np.ones((3, 3, 3, 2)),
    ...                          np.ones((1, 1, 6, 5))).shape
    (1, 2, 2, 5)
    """
    y = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(y, pointwise_kernel, 1, "valid", data_format, 1)


def _transpose_pads(k_eff, stride, padding, output_padding):
    """Keras's (left, right) padding of the stride-dilated input of a transposed convolution."""
    if padding == "valid":
        extra = max(k_eff, stride) - k_eff if output_padding is None else output_padding
        return k_eff - 1, k_eff - 1 + extra
    total = stride + k_eff - 2 if output_padding is None else k_eff + k_eff % 2 - 2 + output_padding
    left = min((total + 1) // 2, k_eff - 1)
    return left, total - left


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the input-gradient of `conv`), as `keras.ops.conv_transpose`.

    `kernel` is `(spatial..., filters, channels)`. Output length per axis: "valid" gives
    `(n - 1) * s + max(k, s)` and "same" gives `n * s`, with k the dilated kernel size; an
    `output_padding` p gives `(n - 1) * s + k + p` ("valid") or `(n - 1) * s + k % 2 + p`.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        kernel: `(spatial..., filters, channels)`.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: "valid" or "same".
        output_padding: None, or an int or one int per axis, each smaller than the stride.
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        `(batch, out_spatial..., filters)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.conv_transpose(np.ones((1, 3, 3, 4)), np.ones((3, 3, 2, 4)), 2, "same").shape
    (1, 6, 6, 2)
    """
    op = "conv_transpose"
    kconv = load_kernels("conv")
    a, ta, fmt = _input(op, inputs, data_format)
    w, tw = _kernel(op, kernel, a)
    if w.shape[-1] != a.shape[-1]:
        raise ValueError(
            f"{op}: kernel.shape[-1] must equal the input channels ({a.shape[-1]}). "
            f"Received: inputs.shape={a.shape} ({fmt}), kernel.shape={w.shape}"
        )
    r = a.ndim - 2
    s = _ints(op, "strides", strides, r)
    d = _ints(op, "dilation_rate", dilation_rate, r)
    pad_name = str(padding).lower()
    if pad_name not in ("valid", "same"):
        raise ValueError(f"{op}: padding must be 'valid' or 'same'. Received: padding={padding!r}")
    extra = [None] * r
    if output_padding is not None:
        extra = _ints(op, "output_padding", output_padding, r, low=0)
    crop, out_sp = [], []
    for n, k, st, di, p in zip(a.shape[1:-1], w.shape[:r], s, d, extra):
        k_eff = (k - 1) * di + 1
        left, right = _transpose_pads(k_eff, st, pad_name, p)
        crop.append(k_eff - 1 - left)  # rows of the full transposed output dropped at the start
        out_sp.append((n - 1) * st + left + right - k_eff + 2)
    if min(out_sp) < 1:
        raise ValueError(f"{op}: empty output {tuple(out_sp)} for inputs.shape={a.shape}")
    ct, out_dt = _dtypes(a, w)
    x5, w5 = _volume(a, ct), _kernel_volume(w, ct)  # w5: a forward kernel (.., filters, channels)
    geometry = (_three(s, 1), _three(d, 1), _three(crop, 0))
    out_shape = (a.shape[0], *out_sp, w.shape[-2])
    y5_shape = (a.shape[0], *_three(out_sp, 1), w.shape[-2])
    out5 = kconv.conv_grad_input(x5, w5, y5_shape, *geometry)

    def backward(dout):
        d5 = _grad_volume(dout, out_shape, fmt, ct)
        dx = dkernel = None
        if ta.requires_grad:
            dx = _grad_output(kconv.conv(d5, w5, *geometry, x5.shape[1:4]), a.shape, fmt)
        if tw.requires_grad:
            dkernel = kconv.conv_grad_kernel(d5, x5, w5.shape, *geometry).reshape(w.shape)
        return dx, dkernel

    def backward_ops(dout, out):  # the output is `_conv5_grad_input(x5, w5)`: its gradients
        d5 = _volume_ops(dout, y5_shape, fmt, ct)
        dx = dkernel = None
        if autodiff.wanted(ta):
            w5t = _volume_ops(tw, w5.shape, "channels_last", ct) if tw is not _CONST else w5
            dx = _grad_output_ops(_conv5(d5, w5t, geometry, x5.shape[1:4], 1), a.shape, fmt)
        if autodiff.wanted(tw):
            x5t = _volume_ops(ta, x5.shape, fmt, ct) if ta is not _CONST else x5
            dkernel = _conv5_grad_kernel(d5, x5t, w5.shape, geometry, 1)
            dkernel = _grad_output_ops(dkernel, w.shape, "channels_last")
        return dx, dkernel

    out = _output(out5, out_shape, fmt, out_dt)
    return Tensor.from_op(out, (ta, tw), backward, op, backward_ops)
