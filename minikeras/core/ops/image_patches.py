"""`keras.ops.image.extract_patches` and `extract_patches_3d`: Keras's convolution with an identity kernel, done as one strided slice per kernel offset (each output pixel lists its window row by row, then column, then channel)."""

import itertools

import numpy as np

from ..tensor import Tensor
from ._base import to_tensor
from .image import _data_format
from .joining import pad
from .shape import moveaxis

__all__ = ["extract_patches", "extract_patches_3d"]


def _tuple(value, n, name):
    if isinstance(value, (int, np.integer)):
        value = (value,) * n
    out = tuple(int(v) for v in value)
    if len(out) != n or any(v < 1 for v in out):
        raise ValueError(
            f"image.extract_patches: {name} must be a positive int or {n} positive ints. "
            f"Received: {name}={value}"
        )
    return out


def _windows(x, size, strides, dilation, out_sizes):
    """`(n, *spatial, c)` -> `(n, *out_sizes, prod(size) * c)`: every window, flattened."""
    nd = len(size)
    out = np.empty(x.shape[:1] + tuple(out_sizes) + tuple(size) + x.shape[-1:], x.dtype)
    keys = []
    for offset in itertools.product(*(range(k) for k in size)):
        # window element `offset` of output pixel o sits at o * stride + offset * dilation
        src = (slice(None),) + tuple(
            slice(i * d, i * d + (m - 1) * s + 1, s)
            for i, d, m, s in zip(offset, dilation, out_sizes, strides)
        )
        dst = (slice(None),) * (1 + nd) + offset
        out[dst] = x.data[src]
        keys.append((src, dst))
    flat = out.reshape(out.shape[: 1 + nd] + (-1,))

    def backward(dout):
        # each input pixel gets the sum over the windows (and offsets) that copied it
        dout = dout.reshape(out.shape)
        dx = np.zeros(x.shape, dout.dtype)
        for src, dst in keys:
            dx[src] += dout[dst]
        return (dx,)

    return Tensor.from_op(flat, (x,), backward, "extract_patches")


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Extracts patches from images (2-D `size`) or volumes (3-D `size`).

    Each output pixel holds its flattened window in the order Keras produces (its convolution
    with an identity kernel): window rows, then columns, then channels.

    Args:
        images: `(h, w, c)` or `(n, h, w, c)` for 2-D patches; `(d, h, w, c)` or
            `(n, d, h, w, c)` for 3-D patches (channels first with `data_format`).
        size: the patch size: an int or `(ph, pw)` for 2-D, `(pd, ph, pw)` for 3-D.
        strides: the step between patches; None means `size` (patches that do not overlap).
        dilation_rate: the step between the pixels of one patch.
        padding: "valid" (only whole windows) or "same" (zero padding as a "same"
            convolution: `ceil(in / stride)` patches, the odd pixel of padding after).
        data_format: "channels_last" or "channels_first"; None means
            `keras.config.image_data_format()`.

    Returns:
        `(..., out_h, out_w, ph * pw * c)` (channels last) or `(..., ph * pw * c, out_h, out_w)`
        (channels first), the batch axis only if the input has one; same dtype as the input and
        differentiable in it.

    >>> import numpy as np, minikeras as keras
    >>> x = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> p = keras.ops.image.extract_patches(x, 2)
    >>> p.shape, p.numpy()[0, 1].tolist()
    ((2, 2, 4), [2.0, 3.0, 6.0, 7.0])
    >>> keras.ops.image.extract_patches(np.ones((2, 20, 20, 3)), (3, 3), (1, 1)).shape
    (2, 18, 18, 27)
    """
    if not isinstance(size, (int, np.integer)):
        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "image.extract_patches: size must be an int or a tuple. "
                f"Received: size={size} of type {type(size).__name__}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "image.extract_patches: size must be a tuple of length 2 or 3. "
                f"Received: size={size} with length {len(size)}"
            )
    nd = 2 if isinstance(size, (int, np.integer)) else len(size)
    x = to_tensor(images, op="image.extract_patches")
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"image.extract_patches: {nd}-D patches need images of rank {nd + 1} (unbatched) or "
            f"{nd + 2} (batched). Received input with shape {x.shape}."
        )
    if str(padding).lower() not in ("valid", "same"):
        raise ValueError(
            f"image.extract_patches: padding must be 'valid' or 'same'. Received: {padding!r}"
        )
    size = _tuple(size, nd, "size")
    strides = size if strides is None else _tuple(strides, nd, "strides")
    dilation = _tuple(dilation_rate, nd, "dilation_rate")
    first = str(_data_format(data_format)).lower() == "channels_first"
    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x[None]
    if first:
        x = moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    spans = [(k - 1) * d + 1 for k, d in zip(size, dilation)]  # the dilated window
    if str(padding).lower() == "same":
        out_sizes = [-(-n // s) for n, s in zip(spatial, strides)]
        totals = [
            max((o - 1) * s + k - n, 0) for o, s, k, n in zip(out_sizes, strides, spans, spatial)
        ]
        x = pad(x, [(0, 0)] + [(t // 2, t - t // 2) for t in totals] + [(0, 0)])
    else:
        out_sizes = [(n - k) // s + 1 for n, k, s in zip(spatial, spans, strides)]
        if min(out_sizes) < 1:
            raise ValueError(
                f"image.extract_patches: the window {tuple(spans)} (size {size}, dilation "
                f"{dilation}) is larger than the images {tuple(spatial)} with padding='valid'."
            )
    y = _windows(x, size, strides, dilation, out_sizes)
    if first:
        y = moveaxis(y, -1, 1)
    return y[0] if unbatched else y


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Extracts 3-D patches from volumes: `extract_patches` with an int `size` meaning a cube.

    Args:
        volumes: `(d, h, w, c)` or `(n, d, h, w, c)` (channels first with `data_format`).
        size: an int or `(pd, ph, pw)`.
        strides, dilation_rate, padding, data_format: as in `extract_patches`.

    Returns:
        `(..., out_d, out_h, out_w, pd * ph * pw * c)` patches (channels last).

    >>> import numpy as np, minikeras as keras
    >>> keras.ops.image.extract_patches_3d(np.ones((2, 10, 10, 10, 3)), 3).shape
    (2, 3, 3, 3, 81)
    """
    if isinstance(size, (int, np.integer)):
        size = (size,) * 3
    return extract_patches(volumes, size, strides, dilation_rate, padding, data_format)
