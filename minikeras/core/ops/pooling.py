"""Pooling ops: max_pool and average_pool over 1, 2 or 3 spatial axes."""

from ...kernels import load as load_kernels
from .. import autodiff
from ..tensor import Tensor
from .conv import (
    _dtypes,
    _grad_output,
    _grad_volume,
    _input,
    _ints,
    _output,
    _three,
    _volume,
    _window,
)

__all__ = ["max_pool", "average_pool"]


# -- pooling -----------------------------------------------------------------------------------


def _pool(op, inputs, pool_size, strides, padding, data_format):
    a, ta, fmt = _input(op, inputs, data_format)
    r = a.ndim - 2
    k = _ints(op, "pool_size", pool_size, r)
    s = k if strides is None else _ints(op, "strides", strides, r)
    pad, out_sp = _window(op, padding, a, k, k, s)
    ct, out_dt = _dtypes(a)
    x5 = _volume(a, ct)
    geometry = (_three(k, 1), _three(s, 1), _three(pad, 0), _three(out_sp, 1))
    return a, ta, fmt, x5, geometry, (a.shape[0], *out_sp, a.shape[-1]), ct, out_dt


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over 1-D, 2-D or 3-D windows; `strides` defaults to `pool_size`.

    Padded cells never win (TensorFlow's -inf padding); the gradient goes to the first maximum.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        pool_size: an int or one int per spatial axis.
        strides: an int or one int per spatial axis; None means `pool_size`.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        `(batch, out_spatial..., channels)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.max_pool(np.arange(4.0).reshape(1, 4, 1), 2).numpy().ravel().tolist()
    [1.0, 3.0]
    """
    kpool = load_kernels("pool")
    a, ta, fmt, x5, geometry, out_shape, ct, out_dt = _pool(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    records = autodiff.grad_enabled() and ta.requires_grad
    out5, argmax = kpool.max_pool(x5, *geometry, with_argmax=records)  # no argmax in inference
    in5 = x5.shape

    def backward(dout):
        dx5 = kpool.max_pool_grad(_grad_volume(dout, out_shape, fmt, ct), argmax, in5)
        return (_grad_output(dx5, a.shape, fmt),)

    return Tensor.from_op(_output(out5, out_shape, fmt, out_dt), (ta,), backward, "max_pool")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with "same" padding each window divides by its real (unpadded) cells.

    Args:
        inputs: `(batch, spatial..., channels)` (or channels first with `data_format`).
        pool_size: an int or one int per spatial axis.
        strides: an int or one int per spatial axis; None means `pool_size`.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means the global setting.

    Returns:
        `(batch, out_spatial..., channels)`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.average_pool(np.arange(3.0).reshape(1, 3, 1), 2, padding="same").numpy().ravel()
    array([0.5, 2. ])
    """
    kpool = load_kernels("pool")
    a, ta, fmt, x5, geometry, out_shape, ct, out_dt = _pool(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    out5 = kpool.avg_pool(x5, *geometry)
    in5 = x5.shape

    def backward(dout):
        d5 = _grad_volume(dout, out_shape, fmt, ct)
        dx5 = kpool.avg_pool_grad(d5, in5, *geometry[:3])
        return (_grad_output(dx5, a.shape, fmt),)

    return Tensor.from_op(_output(out5, out_shape, fmt, out_dt), (ta,), backward, "average_pool")
