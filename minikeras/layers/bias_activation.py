"""`bias_add_activation`: the fused `relu(y + bias)` (or `y + bias`) epilogue of the Dense and
convolution layers.

One op with its own backward instead of an add, a ReLU and the bias's broadcast-sum, running
the loops of `kernels/bias_act.py` over the channels-last output viewed as (rows, channels).
"""

import numpy as np

from ..core import ops
from ..core.tensor import Tensor
from ..kernels import load as load_kernels


def bias_add_activation(y, bias, relu):
    """`y + bias` along the last axis, then ReLU when `relu`; y and bias share a float dtype."""
    k = load_kernels("bias_act")
    a = y.data
    channels = a.shape[-1]
    if bias.shape != (channels,) or a.dtype != bias.dtype or a.dtype.kind != "f":
        raise ValueError(
            f"bias_add_activation: bias of shape {bias.shape} ({bias.dtype}) does not fit an "
            f"output of shape {a.shape} ({a.dtype})"
        )
    if a.dtype not in (np.float32, np.float64):  # numba has no float16 arithmetic
        out = y + bias
        return ops.relu(out) if relu else out
    rows = np.ascontiguousarray(a).reshape(-1, channels)
    out = k.bias_act(rows, bias.data, relu)

    def backward(dout):
        d = np.ascontiguousarray(dout, dtype=a.dtype).reshape(-1, channels)
        dx, db = k.bias_act_grad(d, out, relu)
        return dx.reshape(a.shape), db.astype(bias.dtype)

    def backward_ops(dout, out):  # with ops, for higher-order gradients
        if relu:  # the ReLU's mask is constant almost everywhere
            dout = ops.multiply(dout, out.data > 0)
        return dout, dout  # the engine sums the bias's share over the leading axes

    return Tensor.from_op(
        out.reshape(a.shape), (y, bias), backward, "bias_add_activation", backward_ops
    )
