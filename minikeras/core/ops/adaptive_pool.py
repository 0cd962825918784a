"""`keras.ops.nn.adaptive_average_pool` and `adaptive_max_pool`: pooling to a fixed output size.

Output cell `i` of a spatial axis of length `n` pooled to `m` cells covers the input range
`[floor(i * n / m), ceil((i + 1) * n / m))`, PyTorch's `adaptive_*_pool` windows, which Keras 3
reproduces on every backend. A box is a product of such ranges, so the pools are separable: one
axis at a time. The average along an axis is a matmul with a fixed `(n, m)` weight matrix; the max
gathers each window (padded with -inf to the widest one) and reduces it, so gradients flow through
those ops' backwards.
"""

import numpy as np

from ..tensor import Tensor
from . import indexing as _indexing
from . import joining as _joining
from . import reduce as _reduce
from ._base import to_tensor
from .linalg import matmul
from .shape import moveaxis, reshape

__all__ = ["adaptive_average_pool", "adaptive_max_pool"]


def _windows(n, m):
    """Start and (exclusive) end of each of the `m` adaptive windows over `n` positions."""
    i = np.arange(m)
    return (i * n) // m, -((-(i + 1) * n) // m)


def _standardize(op, inputs, output_size, data_format):
    x = to_tensor(inputs, op=op)
    rank = len(x.shape) - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"{op} expects inputs of rank 3, 4 or 5 (batch, spatial..., channels). "
            f"Received: inputs.shape={x.shape}"
        )
    if data_format is None:
        from ..image_format import image_data_format  # keras.config's, channels_last by default

        data_format = image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: data_format must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    sizes = (output_size,) * rank if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != rank or any(int(s) < 1 for s in sizes):
        raise ValueError(
            f"{op}: output_size must be a positive int or a tuple of {rank} positive ints for "
            f"inputs of rank {rank + 2}. Received: output_size={output_size}"
        )
    first = 2 if data_format == "channels_first" else 1
    return x, [int(s) for s in sizes], list(range(first, first + rank))


def _average_axis(x, axis, m):
    n = x.shape[axis]
    start, end = _windows(n, m)
    pos = np.arange(n)[:, None]
    inside = (pos >= start) & (pos < end)  # (n, m)
    weights = (inside / (end - start)).astype(x.dtype)
    moved = moveaxis(x, axis, -1)
    return moveaxis(matmul(moved, Tensor(weights)), -1, axis)


def _max_axis(x, axis, m):
    n = x.shape[axis]
    start, end = _windows(n, m)
    width = int((end - start).max())
    idx = start[:, None] + np.arange(width)  # (m, width), past a window's end -> the -inf pad
    idx = np.where(idx < end[:, None], idx, n)
    pad = [(0, 0)] * len(x.shape)
    pad[axis] = (0, 1)
    padded = _joining.pad(x, pad, constant_values=-np.inf)
    gathered = _indexing.take(padded, idx.ravel(), axis=axis)
    shape = list(x.shape)
    shape[axis : axis + 1] = [m, width]
    return _reduce.max(reshape(gathered, shape), axis=axis + 1)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling whose windows are chosen so the output has `output_size` spatial cells.

    Args:
        inputs: a tensor of rank 3, 4 or 5: `(batch, spatial..., channels)` (or channels first).
        output_size: an int (the same on every spatial axis) or a tuple, one int per axis.
        data_format: `"channels_last"` or `"channels_first"`; `None` reads
            `keras.config.image_data_format()`.

    Returns:
        The pooled tensor, spatial axes of sizes `output_size`.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(5.0).reshape(1, 5, 1)
    >>> keras.ops.adaptive_average_pool(x, 2)[0, :, 0].numpy().tolist()
    [1.0, 3.0]
    """
    x, sizes, axes = _standardize("adaptive_average_pool", inputs, output_size, data_format)
    for axis, m in zip(axes, sizes):
        x = _average_axis(x, axis, m)
    return x


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling whose windows are chosen so the output has `output_size` spatial cells.

    Args:
        inputs: a tensor of rank 3, 4 or 5: `(batch, spatial..., channels)` (or channels first).
        output_size: an int (the same on every spatial axis) or a tuple, one int per axis.
        data_format: `"channels_last"` or `"channels_first"`; `None` reads
            `keras.config.image_data_format()`.

    Returns:
        The pooled tensor, spatial axes of sizes `output_size`.

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.adaptive_max_pool(np.arange(5.0).reshape(1, 5, 1), 2)[0, :, 0].numpy().tolist()
    [2.0, 4.0]
    """
    x, sizes, axes = _standardize("adaptive_max_pool", inputs, output_size, data_format)
    for axis, m in zip(axes, sizes):
        x = _max_axis(x, axis, m)
    return x
