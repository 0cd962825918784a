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
from ..tensor import Tensor
from .fused_bias_act import _EPILOGUES, bias_act


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
