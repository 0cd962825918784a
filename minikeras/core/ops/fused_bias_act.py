"""`bias_act`: the `activation(y + bias)` epilogue of the Dense and convolution layers, one op.

When the activation is ReLU or linear and the bias lies along the last axis, the add, the ReLU
and the bias's broadcast-sum run as one op with its own backward (the loops of
`kernels/bias_act.py` over the output viewed as (rows, channels); float16 and bfloat16 data run
them on float32 copies); otherwise the op is the plain `y + bias` followed by the activation. The layers call `bias_act` and hold no
fusion branch of their own.

Which activations the kernel applies itself is told by their owner: `minikeras.activations`
calls `register_epilogue(relu, "relu")` and `register_epilogue(linear, "linear")` at import
(the activations sit on a floor above the ops, so the ops cannot look them up).
"""

import contextlib
import threading

import numpy as np

from ...kernels import load as load_kernels
from .. import autodiff, dtypes
from ..tensor import Tensor

_EPILOGUES = {None: "linear"}  # activation -> what the kernel applies: "relu" or "linear"


def register_epilogue(activation, kind):
    """Lets `bias_act` apply `activation` inside the fused kernel; `kind` is "relu" (max(x, 0))
    or "linear" (the identity)."""
    if kind not in ("relu", "linear"):
        raise ValueError(f"register_epilogue: kind must be 'relu' or 'linear'. Received: {kind!r}")
    _EPILOGUES[activation] = kind


def bias_act(y, bias, activation=None, axis=-1):
    """`activation(y + bias)`, with `bias` (a 1-D tensor or None) laid along `axis` of `y`.

    Args:
        y: the layer's pre-activation output (a Tensor).
        bias: a (channels,) tensor, or None for no bias.
        activation: a callable, or None for linear.
        axis: the channel axis of `y` (-1 for channels-last, 1 for channels-first).

    Returns:
        A tensor of the shape of `y`.

    >>> import numpy as np
    >>> from minikeras.core.tensor import Tensor
    >>> bias_act(Tensor(np.array([[-2.0, 1.0]])), Tensor(np.array([1.0, 1.0]))).numpy().tolist()
    [[-1.0, 2.0]]
    """
    kind = _EPILOGUES.get(activation)
    if bias is not None:
        last = axis % y.ndim == y.ndim - 1
        if kind is not None and last and y.dtype == bias.dtype:
            return bias_add_activation(y, bias, relu=kind == "relu")
        if not last:  # e.g. channels-first: (1, channels, 1, ...)
            bias = bias.reshape([-1 if a == axis % y.ndim else 1 for a in range(y.ndim)])
        y = y + bias
    if kind == "linear":
        return y
    return activation(y)


def conv_bias_act(conv, inputs, kernel, bias, activation, axis, **conv_args):
    """`activation(conv(inputs, kernel, **conv_args) + bias)`: the convolution layers' call.

    When no gradient is recorded (`predict`, `no_grad`), the activation is ReLU or linear, and
    the inputs, kernel and bias are float32 or float64 tensors of one dtype, the bias and
    activation are applied inside the convolution, to each block of its output right after the
    block's GEMM while it is in cache (`conv.conv_bias_relu`); the same numbers, one pass fewer
    over the output. Otherwise `conv` (the `conv` op) then `bias_act`.
    """
    kind = _EPILOGUES.get(activation)
    if kind is not None and bias is not None and _inference(inputs, kernel, bias):
        from .conv import conv_bias_relu

        pending = pool_request()
        if pending is not None and axis in (-1, inputs.ndim - 1):
            y, pooled = conv_bias_relu(inputs, kernel, bias, kind == "relu", **conv_args, pool=True)
            if pooled:
                pending.append(True)
            return y
        return conv_bias_relu(inputs, kernel, bias, kind == "relu", **conv_args)
    return bias_act(conv(inputs, kernel, **conv_args), bias, activation, axis=axis)


_local = threading.local()


def pool_request():
    """The list that `max_pool_next` yields when a 2x2 max pooling of the next convolution's
    output is pending in this thread and no convolution took it yet; None otherwise. A
    convolution that pools its own output appends True to it."""
    pending = getattr(_local, "pool", None)
    return pending if pending is not None and not pending else None


@contextlib.contextmanager
def max_pool_next():
    """Tells the next inference `conv_bias_act` in this block (this thread) that a 2x2 max
    pooling (stride 2, "valid", channels-last) of its output follows, which it may then apply
    itself (`kernels/conv.py`'s `pool`: the full-size output is never written).

    Yields a list that holds True once a convolution did; the caller (a model running a
    Conv2D then a MaxPooling2D, `models/inference_fusion.py`) then skips the pooling."""
    previous = getattr(_local, "pool", None)
    _local.pool = done = []
    try:
        yield done
    finally:
        _local.pool = previous


def _inference(*tensors):
    """Whether these are eager tensors of one float32/float64 dtype whose op records nothing."""
    if not all(isinstance(t, Tensor) for t in tensors):
        return False
    dtype = tensors[0].dtype
    if dtype not in (np.float32, np.float64) or any(t.dtype != dtype for t in tensors):
        return False
    return not autodiff.records(*tensors)


def bias_add_activation(y, bias, relu):
    """`y + bias` along the last axis, then ReLU when `relu`; y and bias share a float dtype."""
    a = y.data
    channels = a.shape[-1]
    if bias.shape != (channels,) or a.dtype != bias.dtype or not dtypes.is_float(a.dtype):
        raise ValueError(
            f"bias_add_activation: bias of shape {bias.shape} ({bias.dtype}) does not fit an "
            f"output of shape {a.shape} ({a.dtype})"
        )
    # numba has no float16 / bfloat16 arithmetic and numpy's is slow: the kernels run on float32
    # copies, and the output and gradients are rounded back (as a float16 unit accumulating in
    # float32 would)
    half = a.dtype if a.dtype not in (np.float32, np.float64) else None
    work = np.float32 if half is not None else a.dtype
    k = load_kernels("bias_act")
    rows = np.ascontiguousarray(a if half is None else a.astype(work)).reshape(-1, channels)
    out = k.bias_act(rows, bias.data if half is None else bias.data.astype(work), relu)

    def backward(dout):
        d = np.ascontiguousarray(dout, dtype=work).reshape(-1, channels)
        dx, db = k.bias_act_grad(d, out, relu)
        return dx.reshape(a.shape).astype(a.dtype, copy=False), db.astype(bias.dtype)

    def backward_ops(dout, out):  # with ops, for higher-order gradients
        if relu:  # the ReLU's mask is constant almost everywhere
            dout = dout * (out.data > 0)
        return dout, dout  # the engine sums the bias's share over the leading axes

    value = out.reshape(a.shape) if half is None else out.reshape(a.shape).astype(half)
    return Tensor.from_op(value, (y, bias), backward, "bias_add_activation", backward_ops)
