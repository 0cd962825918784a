"""Ops of the quantized layers: Keras 3.15.1's int8 `Dense` product on int8 weights.

`quantized_dense(x, kernel, kernel_scale, bias, activation)` is the whole int8 Dense call:
inputs quantized per row by abs-max, the product accumulated exactly in integers
(`kernels/int8_vnni.py`: AVX-512 VNNI `vpdpbusd` where the CPU has it, else
`kernels/int8_gemm.py`: float32 sgemm on integer values, exact below 2**24), divided by
`kernel_scale * inputs_scale`, then `+ bias` and the activation, the last two fused into the
rescaling loop when the activation is linear or ReLU. Its gradient is
Keras's custom one: the inputs get `dout @ (kernel / kernel_scale).T` (the kernel dequantized
only for the backward pass), the bias its sum, the int8 kernel and the scales none (they are
frozen, as in Keras).
"""

import numpy as np

from ...kernels import load as load_kernels
from .. import autodiff
from ..tensor import Tensor
from .conv import _grad_output, _grad_volume, _input, _output, _strided_window, _three, _volume
from .fused_bias_act import _EPILOGUES, bias_act, pool_request


def quantized_dense(x, kernel, kernel_scale, bias=None, activation=None, epsilon=1e-7):
    """`activation(int8_product(x, kernel) / (kernel_scale * inputs_scale) + bias)`.

    Args:
        x: float inputs `(..., k)`.
        kernel: int8 `(k, n)` tensor (Keras's layout).
        kernel_scale: float32 `(n,)`: the kernel was quantized as `round(w * kernel_scale)`.
        bias: `(n,)` or None.
        activation: callable or None; linear and ReLU are applied inside the kernel.
        epsilon: the inputs quantizer's epsilon (Keras's `AbsMaxQuantizer` default 1e-7).

    Returns:
        A tensor `(..., n)` in `x`'s dtype.
    """
    a = x.data
    k, n = kernel.shape
    if a.shape[-1] != k:
        raise ValueError(
            f"quantized_dense: inputs of shape {a.shape} do not fit a kernel of shape "
            f"{tuple(kernel.shape)} (last axis {a.shape[-1]} != {k})"
        )
    lead = a.shape[:-1]
    rows = a.reshape(-1, k)
    kind = _EPILOGUES.get(activation)
    fused = a.dtype == np.float32 and kind is not None
    if a.dtype == np.float32:
        ks = np.ascontiguousarray(kernel_scale.data, dtype=np.float32).reshape(n)
        b = np.zeros(0, np.float32) if bias is None or not fused else bias.data
        b = b.astype(np.float32, copy=False)
        vnni = load_kernels("int8_vnni")
        if vnni.available() and k <= vnni.MAX_K:
            out = vnni.int8_dense(rows, kernel.data, ks, b, kind == "relu", epsilon)
        else:
            g = load_kernels("int8_gemm")
            q, scale = g.quantize_rows_f32(np.ascontiguousarray(rows), epsilon)
            acc = g.int8_matmul_blas(q, kernel.data)
            out = g.rescale_rows(acc, ks, scale, b, kind == "relu")
    else:  # float16 / bfloat16 / float64 compute: Keras's steps in numpy
        i8 = load_kernels("int8_matmul")
        q, scale = i8.quantize_rows(rows, epsilon)
        acc = i8.int8_matmul_ref(q, kernel.data).astype(np.int32)
        out = acc.astype(a.dtype) / (kernel_scale.data.astype(a.dtype) * scale)
    out = out.reshape(lead + (n,))
    parents = (x, kernel, kernel_scale) + ((bias,) if fused and bias is not None else ())

    def backward(dout):
        d = np.asarray(dout, dtype=a.dtype)
        if fused and kind == "relu":
            d = np.where(out > 0, d, np.zeros((), d.dtype))
        float_kernel = kernel.data.astype(a.dtype) / kernel_scale.data.astype(a.dtype)
        dx = (d.reshape(-1, n) @ float_kernel.T).reshape(a.shape)
        grads = [dx, None, None]
        if len(parents) == 4:
            grads.append(d.reshape(-1, n).sum(axis=0).astype(bias.dtype))
        return tuple(grads)

    y = Tensor.from_op(out, parents=parents, backward=backward, op="quantized_dense")
    if fused:
        return y
    return bias_act(y, bias, activation)


def quantized_conv(
    x,
    kernel,
    kernel_scale,
    bias=None,
    activation=None,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
    epsilon=1e-7,
    final=True,
):
    """int8 convolution: each window of `x` goes through Keras's int8 Dense product with the
    kernel reshaped to `(window values, filters)` (`kernels/conv_int8.py`), then `+ bias` and the
    activation (linear and ReLU inside the kernel).

    In inference, when the layer's output is this op's (`final`: not when the caller adds a
    LoRA update to it) and a 2x2 max pooling follows (`fused_bias_act.max_pool_next`), the op
    returns the pooled output and marks the pooling done.

    Args:
        x: float inputs `(batch, spatial..., channels)` (or channels first with `data_format`).
        kernel: int8 `(spatial..., channels, filters)`, quantized as `round(w * kernel_scale)`.
        kernel_scale: float32 `(filters,)`.
        bias: `(filters,)` or None.
        activation: callable or None.
        strides, padding, data_format, dilation_rate: as `ops.conv` (no groups).
        epsilon: the inputs quantizer's epsilon.

    Returns:
        A tensor `(batch, out_spatial..., filters)` (in `data_format`) of `x`'s float dtype.
        Its gradient, as `quantized_dense`'s: the inputs get the float convolution's input
        gradient with the kernel dequantized (for the backward pass only), the bias its sum,
        the kernel and scale none.
    """
    a, tx, fmt = _input("conv", x, data_format)
    w = kernel.data
    r = a.ndim - 2
    if w.dtype != np.int8 or w.ndim != r + 2 or w.shape[-2] != a.shape[-1]:
        raise ValueError(
            f"quantized_conv: the kernel must be int8 of shape (spatial..., {a.shape[-1]}, "
            f"filters) for inputs of shape {a.shape} ({fmt}). Received: kernel {w.dtype} "
            f"{w.shape}"
        )
    s, d, pad, out_sp = _strided_window("conv", a, w.shape, strides, dilation_rate, padding)
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype("float32")
    x5 = _volume(a, dtype)
    w5 = w.reshape(*_three(w.shape[:r], 1), *w.shape[-2:])
    geometry = (_three(s, 1), _three(d, 1), _three(pad, 0))
    out_sp3 = _three(out_sp, 1)
    kind = _EPILOGUES.get(activation)
    fused = kind is not None
    b = bias.data.astype(dtype) if fused and bias is not None else np.zeros(0, dtype)
    k8 = load_kernels("conv_int8")
    step = k8.conv_int8 if dtype == np.float32 else k8.conv_int8_ref
    # a MaxPooling2D(2) follows in inference (`models/inference_fusion.py`): pooled in the kernel
    poolable = final and fused and r == 2 and fmt == "channels_last" and min(out_sp) >= 2
    pending = pool_request() if poolable else None
    if pending is not None and not autodiff.records(tx, bias):
        out5 = step(x5, w5, kernel_scale.data, b, kind == "relu", *geometry, out_sp3, epsilon, True)
        pending.append(True)
        return Tensor(out5.reshape(a.shape[0], *out5.shape[2:]))
    out5 = step(x5, w5, kernel_scale.data, b, kind == "relu", *geometry, out_sp3, epsilon)
    out_shape = (a.shape[0], *out_sp, w.shape[-1])
    out = _output(out5, out_shape, fmt, dtype)
    parents = (tx, kernel, kernel_scale) + ((bias,) if fused and bias is not None else ())

    def backward(dout):
        g = np.asarray(dout, dtype=dtype)
        if kind == "relu":
            g = np.where(out > 0, g, np.zeros((), dtype))
        d5 = _grad_volume(g, out_shape, fmt, dtype)
        float_kernel = w5.astype(dtype) / kernel_scale.data.astype(dtype)
        kconv = load_kernels("conv")
        dx5 = kconv.conv_grad_input(d5, float_kernel, x5.shape, *geometry, 1)
        grads = [_grad_output(dx5, a.shape, fmt), None, None]
        if len(parents) == 4:
            grads.append(d5.reshape(-1, w.shape[-1]).sum(axis=0).astype(bias.dtype))
        return tuple(grads)

    y = Tensor.from_op(out, parents=parents, backward=backward, op="quantized_conv")
    if fused:
        return y
    return bias_act(y, bias, activation, axis=1 if fmt == "channels_first" else -1)
